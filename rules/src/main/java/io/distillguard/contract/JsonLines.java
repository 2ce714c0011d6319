package io.distillguard.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One JSON object per line, both ways: the shared Jackson reader with the contract's settings, the
 * line-level rules (length, syntax, an object at the root) and the writer every record goes out
 * through.
 */
final class JsonLines {

  /**
   * Floats are read as BigDecimal so that no number is rounded on the way in. An event's {@code
   * embedding} array bypasses this ({@link EmbeddingArray}): each entry is rounded to float once,
   * from its decimal text, and {@code parse(write(e))} reproduces every float bit-exactly.
   */
  static final ObjectReader READER =
      Json.mapper()
          .reader()
          .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /**
   * Reads one field value of a streamed line: the same configuration as {@link #READER}, minus the
   * trailing-token check (the value is followed by the rest of the object).
   */
  static final ObjectReader VALUE_READER =
      READER.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private JsonLines() {}

  /**
   * The line's JSON object, or {@link Invalid} with the first line-level rule it breaks: no input,
   * longer than {@code maxLineChars}, blank, not JSON, not an object.
   */
  static JsonNode readObject(String line, int maxLineChars) {
    if (line == null) {
      throw new Invalid("not JSON: no input");
    }
    if (line.length() > maxLineChars) {
      throw new Invalid("line is " + line.length() + " characters, limit " + maxLineChars);
    }
    if (line.isBlank()) {
      throw new Invalid("not JSON: empty line");
    }
    JsonNode root;
    try {
      root = READER.readTree(line);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null ? "" : " (at column " + e.getLocation().getColumnNr() + ")";
      throw new Invalid("not JSON: " + firstLine(e.getOriginalMessage()) + where);
    } catch (java.io.IOException e) {
      throw new Invalid("not JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || root.isMissingNode()) {
      throw new Invalid("not JSON: empty line");
    }
    if (!root.isObject()) {
      throw new Invalid("not a JSON object");
    }
    return root;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed";
    }
    int nl = message.indexOf('\n');
    String first = nl < 0 ? message : message.substring(0, nl);
    return first.length() > 200 ? first.substring(0, 200) + "..." : first;
  }

  static void putIfPresent(ObjectNode o, String field, String value) {
    if (value != null) {
      o.put(field, value);
    }
  }

  /** One line, no trailing newline. */
  static String write(ObjectNode o) {
    try {
      return Json.mapper().writeValueAsString(o);
    } catch (JsonProcessingException e) {
      // A tree of strings and numbers always serialises; this would be a Jackson bug.
      throw new IllegalStateException("cannot serialise record", e);
    }
  }
}
