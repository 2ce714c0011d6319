package io.distillguard.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimeOfLineTest {

  private static final long NOW = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

  private static long time(String line) {
    return EventTimeOfLine.eventTime(line, EventTimeRange.DEFAULT, NOW);
  }

  @Test
  void readsTheTopLevelTimestampOnly() {
    assertThat(
            time(
                "{\"event_id\":\"e\",\"client\":{\"timestamp\":\"2030-01-01T00:00:00Z\"},"
                    + "\"embedding\":[[1],[2]],\"timestamp\":\"2026-10-05T02:00:19+02:00\"}"))
        .isEqualTo(Instant.parse("2026-10-05T00:00:19Z").toEpochMilli());
  }

  @Test
  void anythingElseNeverMovesAWatermark() {
    for (String line :
        new String[] {
          null,
          "",
          "not json",
          "[]",
          "{\"timestamp\":17}",
          "{\"timestamp\":\"yesterday\"}",
          "{\"timestamp\":\"9999-12-31T23:59:59Z\"}",
          "{\"timestamp\":\"1970-01-01T00:00:00Z\"}",
          "{\"event_id\":\"e\"}",
          "{\"x\":"
              + "[".repeat(5000)
              + "]".repeat(5000)
              + ",\"timestamp\":\"2026-10-05T00:00:19Z\"}",
          "{\"event_id\":\"e\",\"timestamp\""
        }) {
      assertThat(time(line))
          .as(line == null ? "null" : line.substring(0, Math.min(60, line.length())))
          .isEqualTo(Long.MIN_VALUE);
    }
  }
}
