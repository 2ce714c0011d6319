package io.distillguard.ingest.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.distillguard.contract.ContractCodec;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * The event time of a raw event line, read at the source so that Kafka watermarks are generated per
 * partition: the top-level {@code timestamp} field, found by a streaming scan that stops there (the
 * full parse comes later, in {@link ParseEventsFunction}). A line without a readable, plausible
 * timestamp gets {@link Long#MIN_VALUE}, which never moves a watermark: hostile lines cannot push
 * event time forward, they are dead-lettered by the parse step.
 */
public final class EventTimeOfLine implements SerializableTimestampAssigner<String> {

  private static final JsonFactory JSON = new JsonFactory();

  private final EventTimeRange range;

  public EventTimeOfLine(EventTimeRange range) {
    this.range = Objects.requireNonNull(range, "range");
  }

  @Override
  public long extractTimestamp(String line, long recordTimestamp) {
    return eventTime(line, range, System.currentTimeMillis());
  }

  /** The line's plausible event time in epoch millis, or {@link Long#MIN_VALUE}. */
  static long eventTime(String line, EventTimeRange range, long nowMillis) {
    if (line == null || line.isEmpty()) {
      return Long.MIN_VALUE;
    }
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Long.MIN_VALUE;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("timestamp".equals(name)) {
          if (value != JsonToken.VALUE_STRING) {
            return Long.MIN_VALUE;
          }
          Instant t = ContractCodec.parseTimestamp(p.getText());
          return t == null || range.problem(t, nowMillis) != null
              ? Long.MIN_VALUE
              : t.toEpochMilli();
        }
        p.skipChildren();
      }
      return Long.MIN_VALUE;
    } catch (IOException | RuntimeException e) {
      return Long.MIN_VALUE;
    }
  }
}
