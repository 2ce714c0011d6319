package io.distillguard.ingest.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeadLetterJsonTest {

  @Test
  void aShortLineIsKeptWholeAndReadsBack() {
    DeadLetter d = new DeadLetter("events", "not JSON: x", "{\"a\":\n1}", 1_791_158_419_000L);
    String json = DeadLetterJson.toJson(d);
    assertThat(json).doesNotContain("\n").doesNotContain("line_truncated");
    assertThat(DeadLetterJson.fromJson(json)).isEqualTo(d);
  }

  @Test
  void aHugeLineIsCutToFitTheSinkWithItsLengthAndDigest() throws Exception {
    // Control characters escape to six bytes each: the worst case for the encoded size.
    String line = "{\"prompt\":\"" + "\u0001\u00e9\uD83D\uDE00x".repeat(200_000) + "\"}";
    DeadLetter d = new DeadLetter("events", "r".repeat(5_000), line, 0L);
    byte[] bytes = new DeadLetterJson().serialize(d);
    assertThat(bytes.length).isLessThanOrEqualTo(DeadLetterJson.MAX_BYTES);

    JsonNode n = Json.mapper().readTree(new String(bytes, StandardCharsets.UTF_8));
    assertThat(n.path("line_truncated").asBoolean()).isTrue();
    assertThat(n.path("line_length").asInt()).isEqualTo(line.length());
    assertThat(n.path("line_sha256").asText()).isEqualTo(DeadLetterJson.sha256(line));
    assertThat(line).startsWith(n.path("line").asText());
    assertThat(n.path("line").asText()).hasSizeGreaterThan(DeadLetterJson.KEPT_CHARS - 2);
    assertThat(n.path("reason").asText()).hasSize(DeadLetterJson.MAX_REASON_CHARS);
  }

  @Test
  void aNullLineIsWrittenAsNull() {
    DeadLetter d = new DeadLetter("profiles", "empty record", null, 0L);
    assertThat(DeadLetterJson.fromJson(DeadLetterJson.toJson(d))).isEqualTo(d);
  }
}
