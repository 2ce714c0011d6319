package io.distillguard.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads and writes the v1 wire records (query events and account profiles, one JSON object per
 * line) and enforces the v1 contract on input.
 *
 * <p>Parsing never throws: any input, however malformed, yields either {@link Parsed.Ok} or {@link
 * Parsed.Rejected} with exactly one precise reason (the first rule the line breaks, checked in a
 * fixed order: line length, JSON syntax, object, then fields in contract order). Unknown fields are
 * ignored; an optional field given as JSON {@code null} counts as absent.
 *
 * <p>Rules beyond the JSON Schema files in {@code schema/}: the embedding dimension and the prompt
 * and line lengths come from {@link ContractLimits}; embedding entries must be finite as 32-bit
 * floats; duplicate keys in one object are refused (the record would be ambiguous).
 *
 * <p>Writing emits snake_case, omits absent optionals and normalises timestamps to UTC ({@code
 * 2026-10-05T00:00:19.291Z}). For every accepted record, {@code parse(write(r))} equals {@code r}.
 *
 * <p>Thread-safe and {@link Serializable}; creating one is cheap (the Jackson reader is shared).
 */
public final class ContractCodec implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * Floats are read as BigDecimal so that no number is rounded on the way in. An event's {@code
   * embedding} array bypasses this ({@link EmbeddingArray}): each entry is rounded to float once,
   * from its decimal text, and {@code parse(write(e))} reproduces every float bit-exactly.
   */
  private static final ObjectReader READER =
      Json.mapper()
          .reader()
          .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /**
   * RFC 3339 date-time: seconds required, fraction optional, offset {@code Z} or {@code ±hh:mm}.
   */
  private static final Pattern RFC3339 =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

  /**
   * Reads one field value of an event line in {@link #readEvent}: the same configuration as {@link
   * #READER}, minus the trailing-token check (the value is followed by the rest of the object).
   */
  private static final ObjectReader VALUE_READER =
      READER.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private static final BigDecimal MAX_INT = BigDecimal.valueOf(Integer.MAX_VALUE);

  /**
   * Longest identifier ({@code event_id}, {@code account_id}, {@code api_key_id}, {@code org_id})
   * and short name ({@code model}, {@code tier}, {@code client.ip}), in Unicode code points. Ids
   * end up as database keys (journal persistence ids, Milvus VarChar primary keys), so they must
   * fit every store with room to spare.
   */
  public static final int MAX_ID_CHARS = 128;

  /** Longest {@code client.user_agent} and {@code stated_use}, in code points. */
  public static final int MAX_TEXT_CHARS = 4_096;

  private final ContractLimits limits;

  /** A codec that enforces the given limits. */
  public ContractCodec(ContractLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** The limits this codec enforces. */
  public ContractLimits limits() {
    return limits;
  }

  /** Parses and validates one query-event line. Never throws. */
  public Parsed<QueryEvent> parseEvent(String line) {
    try {
      EventLine read = readEvent(line);
      JsonNode root = read.fields();
      QueryEvent event =
          new QueryEvent(
              requiredId(root, "event_id"),
              requiredId(root, "account_id"),
              requiredTimestamp(root, "timestamp"),
              promptOf(root),
              embeddingOf(read),
              optionalId(root, "api_key_id"),
              optionalName(root, "model"),
              optionalCount(root, "prompt_tokens"),
              optionalCount(root, "completion_tokens"),
              optionalEntropy(root, "response_entropy"),
              clientOf(root));
      if (event.prompt() == null && event.embedding() == null) {
        throw new Invalid(
            "missing field: prompt (required unless embedding or embedding_b64 is given)");
      }
      return new Parsed.Ok<>(event);
    } catch (Invalid e) {
      return new Parsed.Rejected<>(e.getMessage(), line);
    } catch (RuntimeException | StackOverflowError e) {
      // Defensive: a rule above that did not anticipate some input must still dead-letter the line.
      return new Parsed.Rejected<>("unreadable record: " + e.getClass().getSimpleName(), line);
    }
  }

  /** Parses and validates one account-profile line. Never throws. */
  public Parsed<AccountProfile> parseProfile(String line) {
    try {
      JsonNode root = readObject(line);
      AccountProfile profile =
          new AccountProfile(
              requiredId(root, "account_id"),
              requiredText(root, "stated_use"),
              optionalId(root, "org_id"),
              optionalName(root, "tier"),
              optionalTimestamp(root, "created_at"),
              optionalTimestamp(root, "verified_at"),
              optionalName(root, "signup_ip"),
              optionalName(root, "payment_fingerprint"),
              optionalName(root, "email_domain"));
      return new Parsed.Ok<>(profile);
    } catch (Invalid e) {
      return new Parsed.Rejected<>(e.getMessage(), line);
    } catch (RuntimeException | StackOverflowError e) {
      return new Parsed.Rejected<>("unreadable record: " + e.getClass().getSimpleName(), line);
    }
  }

  /** One JSON line (no trailing newline) for the event; absent optionals are omitted. */
  public String writeEvent(QueryEvent e) {
    ObjectNode o = NODES.objectNode();
    o.put("event_id", e.eventId());
    o.put("account_id", e.accountId());
    o.put("timestamp", formatTimestamp(e.timestamp()));
    putIfPresent(o, "prompt", e.prompt());
    if (e.embedding() != null) {
      ArrayNode arr = o.putArray("embedding");
      for (float f : e.embedding()) {
        arr.add(f);
      }
    }
    putIfPresent(o, "api_key_id", e.apiKeyId());
    putIfPresent(o, "model", e.model());
    if (e.promptTokens() != null) {
      o.put("prompt_tokens", e.promptTokens().intValue());
    }
    if (e.completionTokens() != null) {
      o.put("completion_tokens", e.completionTokens().intValue());
    }
    if (e.responseEntropy() != null) {
      o.put("response_entropy", e.responseEntropy().doubleValue());
    }
    if (e.client() != null) {
      ObjectNode c = o.putObject("client");
      putIfPresent(c, "ip", e.client().ip());
      putIfPresent(c, "user_agent", e.client().userAgent());
    }
    return write(o);
  }

  /** One JSON line (no trailing newline) for the profile; absent optionals are omitted. */
  public String writeProfile(AccountProfile p) {
    ObjectNode o = NODES.objectNode();
    o.put("account_id", p.accountId());
    o.put("stated_use", p.statedUse());
    putIfPresent(o, "org_id", p.orgId());
    putIfPresent(o, "tier", p.tier());
    if (p.createdAt() != null) {
      o.put("created_at", formatTimestamp(p.createdAt()));
    }
    if (p.verifiedAt() != null) {
      o.put("verified_at", formatTimestamp(p.verifiedAt()));
    }
    putIfPresent(o, "signup_ip", p.signupIp());
    putIfPresent(o, "payment_fingerprint", p.paymentFingerprint());
    putIfPresent(o, "email_domain", p.emailDomain());
    return write(o);
  }

  /**
   * Parses an RFC 3339 date-time ({@code 2026-10-05T00:00:19.291Z}, {@code
   * 2026-10-05T02:00:19+02:00}); {@code null} when the text is not one.
   */
  public static Instant parseTimestamp(String text) {
    if (text == null || !RFC3339.matcher(text).matches()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(
              text.toUpperCase(java.util.Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant();
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** RFC 3339 in UTC with a {@code Z} suffix and only as many fraction digits as needed. */
  public static String formatTimestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  // ---- reading -------------------------------------------------------------------------------

  /**
   * An event line's top-level fields; a top-level {@code embedding} array is read into {@code
   * embedding} rather than into the tree.
   */
  private record EventLine(JsonNode fields, EmbeddingArray embedding) {}

  /**
   * Like {@link #readObject}, but streams the top-level object so that the 384 numbers of an {@code
   * embedding} go straight to floats ({@link EmbeddingArray}) instead of through BigDecimal tree
   * nodes; every other value is read as a tree exactly as {@link #readObject} would. A line that is
   * not a well-formed object (a syntax error, another root type, trailing tokens) is handed to
   * {@link #readObject} so that its reason is word for word the same.
   */
  private EventLine readEvent(String line) {
    if (line == null || line.length() > limits.maxLineChars() || line.isBlank()) {
      return new EventLine(readObject(line), null);
    }
    try (JsonParser p = READER.createParser(line)) {
      p.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new EventLine(readObject(line), null);
      }
      ObjectNode fields = NODES.objectNode();
      EmbeddingArray embedding = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (value == JsonToken.START_ARRAY && name.equals("embedding")) {
          embedding = EmbeddingArray.read(p, limits.embeddingDimension());
        } else {
          fields.set(name, VALUE_READER.readTree(p));
        }
      }
      if (p.nextToken() != null) {
        return new EventLine(readObject(line), null);
      }
      return new EventLine(fields, embedding);
    } catch (java.io.IOException | RuntimeException e) {
      return new EventLine(readObject(line), null);
    }
  }

  private JsonNode readObject(String line) {
    if (line == null) {
      throw new Invalid("not JSON: no input");
    }
    if (line.length() > limits.maxLineChars()) {
      throw new Invalid("line is " + line.length() + " characters, limit " + limits.maxLineChars());
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

  /** Null for absent or JSON null. */
  private static JsonNode present(JsonNode root, String field) {
    JsonNode v = root.get(field);
    return v == null || v.isNull() ? null : v;
  }

  private static String requiredId(JsonNode root, String field) {
    String id = requiredText(root, field);
    TextRules.checkIdentifier(field, id);
    return id;
  }

  private static String requiredText(JsonNode root, String field) {
    JsonNode v = present(root, field);
    if (v == null) {
      throw new Invalid("missing field: " + field);
    }
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw new Invalid("field " + field + " must be a non-empty string");
    }
    String text = v.asText();
    TextRules.checkLength(field, text, MAX_TEXT_CHARS);
    TextRules.checkUnicode(field, text);
    return text;
  }

  /** An optional identifier: absent, or a valid id (see {@link #checkIdentifier}). */
  private static String optionalId(JsonNode root, String field) {
    String id = optionalString(root, field);
    if (id != null) {
      if (id.isEmpty()) {
        throw new Invalid("field " + field + " must be a non-empty string");
      }
      TextRules.checkIdentifier(field, id);
    }
    return id;
  }

  /** An optional short name ({@code model}, {@code tier}): at most {@link #MAX_ID_CHARS}. */
  private static String optionalName(JsonNode root, String field) {
    String name = optionalString(root, field);
    if (name != null) {
      TextRules.checkLength(field, name, MAX_ID_CHARS);
      TextRules.checkUnicode(field, name);
    }
    return name;
  }

  /**
   * Why {@code id} breaks the identifier rule (see {@link TextRules#checkIdentifier}), e.g. {@code
   * "field id is 129 characters, limit 128"}; {@code null} when it is a valid id. For ids that
   * arrive outside a record (Kafka keys, URL paths).
   */
  public static String idProblem(String id) {
    if (id == null || id.isEmpty()) {
      return "field id must be a non-empty string";
    }
    try {
      TextRules.checkIdentifier("id", id);
      return null;
    } catch (Invalid e) {
      return e.getMessage();
    }
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

  private static Instant requiredTimestamp(JsonNode root, String field) {
    if (present(root, field) == null) {
      throw new Invalid("missing field: " + field);
    }
    return optionalTimestamp(root, field);
  }

  private static Instant optionalTimestamp(JsonNode root, String field) {
    JsonNode v = present(root, field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw new Invalid("field " + field + " must be an RFC 3339 string");
    }
    Instant t = parseTimestamp(v.asText());
    if (t == null) {
      String shown = v.asText().length() > 40 ? v.asText().substring(0, 40) + "..." : v.asText();
      throw new Invalid("bad " + field + ": '" + shown + "' is not RFC 3339");
    }
    return t;
  }

  private String promptOf(JsonNode root) {
    JsonNode v = present(root, "prompt");
    if (v == null) {
      return null;
    }
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw new Invalid("field prompt must be a non-empty string");
    }
    String prompt = v.asText();
    // Characters are Unicode code points, as JSON Schema's maxLength counts them; the UTF-16
    // length is an upper bound, so the count is only taken for long prompts.
    if (prompt.length() > limits.maxPromptChars()) {
      int chars = prompt.codePointCount(0, prompt.length());
      if (chars > limits.maxPromptChars()) {
        throw new Invalid("prompt is " + chars + " characters, limit " + limits.maxPromptChars());
      }
    }
    // The tokenizer and the stores take UTF-8: text that has none is refused here, with a reason.
    TextRules.checkUnicode("prompt", prompt);
    return prompt;
  }

  private float[] embeddingOf(EventLine line) {
    float[] fromJson = jsonEmbeddingOf(line);
    float[] fromBase64 = base64EmbeddingOf(line.fields());
    if (fromJson != null && fromBase64 != null && !Arrays.equals(fromJson, fromBase64)) {
      throw new Invalid("embedding and embedding_b64 are both given and differ");
    }
    return fromJson != null ? fromJson : fromBase64;
  }

  private float[] jsonEmbeddingOf(EventLine line) {
    EmbeddingArray streamed = line.embedding();
    if (streamed != null) {
      if (streamed.size() != limits.embeddingDimension()) {
        throw new Invalid(
            "embedding has "
                + streamed.size()
                + " dimensions, expected "
                + limits.embeddingDimension());
      }
      if (streamed.problem() != null) {
        throw new Invalid(streamed.problem());
      }
      return streamed.values();
    }
    return treeEmbeddingOf(line.fields());
  }

  private float[] base64EmbeddingOf(JsonNode root) {
    JsonNode v = present(root, "embedding_b64");
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw new Invalid("embedding_b64 must be a base64 string");
    }
    try {
      return EmbeddingBase64.decode(v.asText(), limits.embeddingDimension());
    } catch (IllegalArgumentException e) {
      throw new Invalid(e.getMessage());
    }
  }

  /** The embedding when it is still in the tree: absent, not an array, or a malformed line. */
  private float[] treeEmbeddingOf(JsonNode root) {
    JsonNode v = present(root, "embedding");
    if (v == null) {
      return null;
    }
    if (!v.isArray()) {
      throw new Invalid("embedding must be an array of numbers");
    }
    if (v.size() != limits.embeddingDimension()) {
      throw new Invalid(
          "embedding has " + v.size() + " dimensions, expected " + limits.embeddingDimension());
    }
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode x = v.get(i);
      if (!x.isNumber()) {
        throw new Invalid(EmbeddingArray.NOT_NUMBERS);
      }
      float f = x.floatValue();
      if (!Float.isFinite(f)) {
        throw new Invalid(EmbeddingArray.NON_FINITE);
      }
      out[i] = f;
    }
    return out;
  }

  private static Integer optionalCount(JsonNode root, String field) {
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

  private static Double optionalEntropy(JsonNode root, String field) {
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

  private static QueryEvent.ClientInfo clientOf(JsonNode root) {
    JsonNode v = present(root, "client");
    if (v == null) {
      return null;
    }
    if (!v.isObject()) {
      throw new Invalid("client must be an object");
    }
    JsonNode ip = present(v, "ip");
    JsonNode userAgent = present(v, "user_agent");
    if ((ip != null && !ip.isTextual()) || (userAgent != null && !userAgent.isTextual())) {
      throw new Invalid(
          "field client."
              + (ip != null && !ip.isTextual() ? "ip" : "user_agent")
              + " must be a string");
    }
    if (ip != null) {
      TextRules.checkLength("client.ip", ip.asText(), MAX_ID_CHARS);
      TextRules.checkUnicode("client.ip", ip.asText());
    }
    if (userAgent != null) {
      TextRules.checkLength("client.user_agent", userAgent.asText(), MAX_TEXT_CHARS);
      TextRules.checkUnicode("client.user_agent", userAgent.asText());
    }
    return new QueryEvent.ClientInfo(
        ip == null ? null : ip.asText(), userAgent == null ? null : userAgent.asText());
  }

  // ---- writing -------------------------------------------------------------------------------

  private static void putIfPresent(ObjectNode o, String field, String value) {
    if (value != null) {
      o.put(field, value);
    }
  }

  private static String write(ObjectNode o) {
    try {
      return Json.mapper().writeValueAsString(o);
    } catch (JsonProcessingException e) {
      // A tree of strings and numbers always serialises; this would be a Jackson bug.
      throw new IllegalStateException("cannot serialise record", e);
    }
  }

  /** A rule violation; carries the reason. Cheap: no stack trace. */
  static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Invalid(String reason) {
      super(reason, null, false, false);
    }
  }
}
