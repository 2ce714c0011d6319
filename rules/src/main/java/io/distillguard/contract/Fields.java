package io.distillguard.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Reads one top-level field of a record by the contract's rules for its kind (id, text, short name,
 * timestamp, count, entropy), throwing {@link Invalid} with the precise reason. An optional field
 * given as JSON {@code null} counts as absent.
 */
final class Fields {

  private static final BigDecimal MAX_INT = BigDecimal.valueOf(Integer.MAX_VALUE);

  private Fields() {}

  /** Null for absent or JSON null. */
  static JsonNode present(JsonNode root, String field) {
    JsonNode v = root.get(field);
    return v == null || v.isNull() ? null : v;
  }

  static String requiredId(JsonNode root, String field) {
    String id = requiredText(root, field);
    TextRules.checkIdentifier(field, id);
    return id;
  }

  static String requiredText(JsonNode root, String field) {
    JsonNode v = present(root, field);
    if (v == null) {
      throw new Invalid("missing field: " + field);
    }
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw new Invalid("field " + field + " must be a non-empty string");
    }
    String text = v.asText();
    TextRules.checkLength(field, text, ContractCodec.MAX_TEXT_CHARS);
    TextRules.checkUnicode(field, text);
    return text;
  }

  /** An optional identifier: absent, or a valid id (see {@link TextRules#checkIdentifier}). */
  static String optionalId(JsonNode root, String field) {
    String id = optionalString(root, field);
    if (id != null) {
      if (id.isEmpty()) {
        throw new Invalid("field " + field + " must be a non-empty string");
      }
      TextRules.checkIdentifier(field, id);
    }
    return id;
  }

  /**
   * An optional short name ({@code model}, {@code tier}): at most {@link
   * ContractCodec#MAX_ID_CHARS}.
   */
  static String optionalName(JsonNode root, String field) {
    String name = optionalString(root, field);
    if (name != null) {
      TextRules.checkLength(field, name, ContractCodec.MAX_ID_CHARS);
      TextRules.checkUnicode(field, name);
    }
    return name;
  }

  private static String optionalString(JsonNode root, String field) {
    JsonNode v = present(root, field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw new Invalid("field " + field + " must be a string");
    }
    return v.asText();
  }

  static Instant requiredTimestamp(JsonNode root, String field) {
    if (present(root, field) == null) {
      throw new Invalid("missing field: " + field);
    }
    return optionalTimestamp(root, field);
  }

  static Instant optionalTimestamp(JsonNode root, String field) {
    JsonNode v = present(root, field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw new Invalid("field " + field + " must be an RFC 3339 string");
    }
    Instant t = Timestamps.parse(v.asText());
    if (t == null) {
      String shown = v.asText().length() > 40 ? v.asText().substring(0, 40) + "..." : v.asText();
      throw new Invalid("bad " + field + ": '" + shown + "' is not RFC 3339");
    }
    return t;
  }

  static Integer optionalCount(JsonNode root, String field) {
    JsonNode v = present(root, field);
    if (v == null) {
      return null;
    }
    String rule = field + " must be an integer >= 0";
    if (!v.isNumber()) {
      throw new Invalid(rule);
    }
    BigDecimal d = v.decimalValue();
    // JSON Schema counts 12.0 as an integer; so do we.
    if (d.signum() < 0 || d.stripTrailingZeros().scale() > 0) {
      throw new Invalid(rule);
    }
    if (d.compareTo(MAX_INT) > 0) {
      throw new Invalid(field + " must be at most " + Integer.MAX_VALUE);
    }
    return d.intValue();
  }

  static Double optionalEntropy(JsonNode root, String field) {
    JsonNode v = present(root, field);
    if (v == null) {
      return null;
    }
    String rule = field + " must be a number >= 0";
    if (!v.isNumber()) {
      throw new Invalid(rule);
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d) || d < 0) {
      throw new Invalid(rule);
    }
    return d;
  }
}
