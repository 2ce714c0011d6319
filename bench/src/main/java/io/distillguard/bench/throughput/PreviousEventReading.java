package io.distillguard.bench.throughput;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.Json;
import java.time.Instant;

/**
 * The baseline of the parse benchmark: how {@code ContractCodec.parseEvent} read an event line
 * before the embedding array was streamed. The whole line became a Jackson tree with every float as
 * a BigDecimal node, then each embedding entry was converted with {@code floatValue()}. The field
 * work of the other fields (ids, timestamp, prompt) is done as well, so the two readings do the
 * same job on the same line.
 */
final class PreviousEventReading {

  private static final ObjectReader READER =
      Json.mapper()
          .reader()
          .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private PreviousEventReading() {}

  /**
   * The embedding of a valid event line; throws on anything else (the benchmark's lines are valid).
   */
  static float[] embedding(String line) throws Exception {
    JsonNode root = READER.readTree(line);
    String eventId = root.get("event_id").asText();
    String accountId = root.get("account_id").asText();
    Instant timestamp = ContractCodec.parseTimestamp(root.get("timestamp").asText());
    JsonNode prompt = root.get("prompt");
    if (eventId.isEmpty()
        || accountId.isEmpty()
        || timestamp == null
        || (prompt != null && !prompt.isTextual())) {
      throw new IllegalArgumentException("not a valid benchmark line");
    }
    JsonNode v = root.get("embedding");
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode x = v.get(i);
      if (!x.isNumber()) {
        throw new IllegalArgumentException("embedding must be an array of numbers");
      }
      float f = x.floatValue();
      if (!Float.isFinite(f)) {
        throw new IllegalArgumentException("embedding contains a non-finite number");
      }
      out[i] = f;
    }
    return out;
  }
}
