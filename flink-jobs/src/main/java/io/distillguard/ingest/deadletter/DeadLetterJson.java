package io.distillguard.ingest.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * The dead-letter encoding, one JSON object per line (file) or record value (Kafka): {@code
 * {"source": ..., "reason": ..., "line": <the original input>, "received_at": <RFC 3339>}}.
 *
 * <p><b>Capped.</b> An encoded dead letter is at most {@link #MAX_BYTES} bytes of UTF-8, so it
 * always fits a Kafka record (1 MiB by default) and a refused 900 KB line cannot become a record
 * the producer refuses (which would fail the task and restart it onto the same line forever). A
 * line that would not fit is cut to its first {@link #KEPT_CHARS} characters and the letter says
 * so: {@code "line_truncated": true}, {@code "line_length"} (characters of the whole line) and
 * {@code "line_sha256"} (hex SHA-256 of the whole line's UTF-8), enough to find the original
 * upstream. Reasons and sources are cut to {@link #MAX_REASON_CHARS} characters.
 */
public final class DeadLetterJson implements SerializationSchema<DeadLetter> {

  /** Largest encoded dead letter, in UTF-8 bytes. */
  public static final int MAX_BYTES = 512 * 1024;

  /**
   * Characters of a too-long line that are kept: escaped, one UTF-16 character takes at most 6
   * bytes ({@code \u0000}), so this many always fit with the other fields.
   */
  public static final int KEPT_CHARS = (MAX_BYTES - 16 * 1024) / 6;

  /** Longest reason or source kept. */
  public static final int MAX_REASON_CHARS = 1_000;

  @Override
  public byte[] serialize(DeadLetter d) {
    return toJson(d).getBytes(StandardCharsets.UTF_8);
  }

  /** One line of JSON (newlines inside the original line are escaped), at most MAX_BYTES. */
  public static String toJson(DeadLetter d) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("source", cut(d.source(), MAX_REASON_CHARS));
    node.put("reason", cut(d.reason(), MAX_REASON_CHARS));
    String line = d.line();
    node.put("line", line);
    node.put("received_at", Instant.ofEpochMilli(d.receivedAtMillis()).toString());
    String json = write(node);
    if (line != null && json.length() > KEPT_CHARS && utf8Length(json) > MAX_BYTES) {
      node.put("line", cut(line, KEPT_CHARS));
      node.put("line_truncated", true);
      node.put("line_length", line.length());
      node.put("line_sha256", sha256(line));
      json = write(node);
    }
    return json;
  }

  /** Reads a line written by {@link #toJson} (a truncated line reads back truncated). */
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

  /** Hex SHA-256 of the text's UTF-8 bytes (unpaired surrogates encode as {@code ?}). */
  public static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static String cut(String s, int maxChars) {
    if (s == null || s.length() <= maxChars) {
      return s;
    }
    int end = maxChars;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    return s.substring(0, end);
  }

  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return n;
  }

  private static String write(ObjectNode node) {
    try {
      return Json.mapper().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("dead letter not encodable", e);
    }
  }
}
