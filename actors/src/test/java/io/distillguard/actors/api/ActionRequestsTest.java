package io.distillguard.actors.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bodies of the admin actions on deliveries and the quarantine: both forms, and refusals. */
class ActionRequestsTest {

  @Test
  void redeliveryTakesIdsOrEveryExhaustedDelivery() {
    assertThat(RedeliveryRequest.parse("{\"webhook_ids\": [\"a\", \"b\"]}"))
        .isEqualTo(new RedeliveryRequest(List.of("a", "b"), false));
    assertThat(RedeliveryRequest.parse("{\"status\": \"EXHAUSTED\"}"))
        .isEqualTo(new RedeliveryRequest(List.of(), true));
    String tooMany = "[" + "\"x\",".repeat(RedeliveryRequest.MAX_IDS) + "\"x\"]";
    for (String bad :
        List.of(
            "",
            "[]",
            "not json",
            "{}",
            "{\"webhook_ids\": []}",
            "{\"webhook_ids\": [\"\"]}",
            "{\"webhook_ids\": [1]}",
            "{\"webhook_ids\": " + tooMany + "}",
            "{\"status\": \"DELIVERED\"}",
            "{\"status\": \"EXHAUSTED\", \"webhook_ids\": [\"a\"]}")) {
      assertThatThrownBy(() -> RedeliveryRequest.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(RedeliveryRequest.USAGE);
    }
  }

  @Test
  void quarantineRetryTakesSequenceNumbersOrTheOldestEntries() {
    assertThat(QuarantineRetryRequest.parse("{\"seqs\": [3, 7]}"))
        .isEqualTo(new QuarantineRetryRequest(List.of(3L, 7L), false));
    assertThat(QuarantineRetryRequest.parse("{\"all\": true}"))
        .isEqualTo(new QuarantineRetryRequest(List.of(), true));
    for (String bad :
        List.of(
            "",
            "{}",
            "{\"seqs\": []}",
            "{\"seqs\": [0]}",
            "{\"seqs\": [\"3\"]}",
            "{\"seqs\": [1.5]}",
            "{\"all\": false}",
            "{\"all\": \"true\"}",
            "{\"all\": true, \"seqs\": [1]}")) {
      assertThatThrownBy(() -> QuarantineRetryRequest.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(QuarantineRetryRequest.USAGE);
    }
  }
}
