package io.distillguard.actors.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterFilesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static String letter(String line, String receivedAt) throws Exception {
    return JSON.writeValueAsString(
            Map.of(
                "source", "events.jsonl", "reason", "r", "line", line, "received_at", receivedAt))
        + "\n";
  }

  @Test
  void erasureRemovesTheAccountsLettersWholeOrCut() throws Exception {
    Path file = dir.resolve("dead-letters.jsonl");
    Files.writeString(
        file,
        letter("{\"account_id\":\"a\\\"b\",\"prompt\":\"x\"}", "2026-10-05T00:00:00Z")
            + letter(
                "{\"event_id\":\"1\", \"account_id\" : \"a\\\"b\", \"prompt\":\"cut",
                "2026-10-05T00:00:00Z")
            + letter("{\"account_id\":\"a\\\"bc\"}", "2026-10-05T00:00:00Z")
            + letter("not json at all a\"b", "2026-10-05T00:00:00Z"));
    assertThat(DeadLetterFiles.erase(file, "a\"b")).isEqualTo(2);
    String left = Files.readString(file);
    assertThat(left.lines()).hasSize(2);
    assertThat(left).contains("a\\\\\\\"bc").contains("not json at all");
    assertThat(DeadLetterFiles.erase(dir.resolve("absent.jsonl"), "a")).isZero();
  }

  @Test
  void retentionRemovesLettersReceivedBeforeTheCutoff() throws Exception {
    Path file = dir.resolve("dead-letters.jsonl");
    Files.writeString(
        file,
        letter("old", "2026-01-01T00:00:00Z")
            + letter("new", "2026-12-01T00:00:00Z")
            + "a line that is not a dead letter\n");
    assertThat(DeadLetterFiles.expire(file, Instant.parse("2026-06-01T00:00:00Z"))).isEqualTo(1);
    assertThat(Files.readString(file))
        .doesNotContain("\"old\"")
        .contains("\"new\"")
        .contains("not a dead letter");
  }
}
