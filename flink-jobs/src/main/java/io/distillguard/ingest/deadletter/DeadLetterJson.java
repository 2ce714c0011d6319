package io.distillguard.ingest.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * The dead-letter encoding, one JSON object per line (file) or record value (Kafka): {@code
 * {"source": ..., "reason": ..., "line": <the original input, unchanged>, "received_at": <RFC
 * 3339>}}.
 */
public final class DeadLetterJson implements SerializationSchema<DeadLetter> {

  @Override
  public byte[] serialize(DeadLetter d) {
    return toJson(d).getBytes(StandardCharsets.UTF_8);
  }

  /** One line of JSON (newlines inside the original line are escaped). */
  public static String toJson(DeadLetter d) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("source", d.source());
    node.put("reason", d.reason());
    node.put("line", d.line());
    node.put("received_at", Instant.ofEpochMilli(d.receivedAtMillis()).toString());
    try {
      return Json.mapper().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("dead letter not encodable", e);
    }
  }

  /** Reads a line written by {@link #toJson}. */
  public static DeadLetter fromJson(String json) {
    try {
      JsonNode n = Json.mapper().readTree(json);
      return new DeadLetter(
          n.path("source").asText(null),
          n.path("reason").asText(null),
          n.path("line").isNull() ? null : n.path("line").asText(null),
          Instant.parse(n.path("received_at").asText()).toEpochMilli());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a dead letter: " + e.getOriginalMessage(), e);
    }
  }
}
