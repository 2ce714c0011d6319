package io.distillguard.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The query-event part of the contract: reads one event line into a {@link QueryEvent} (throwing
 * {@link Invalid} with the first rule it breaks, fields in contract order) and writes one back.
 */
final class EventCodec implements Serializable {

  private static final long serialVersionUID = 1L;

  private final ContractLimits limits;

  EventCodec(ContractLimits limits) {
    this.limits = limits;
  }

  QueryEvent read(String line) {
    EventLine read = readEvent(line);
    JsonNode root = read.fields();
    QueryEvent event =
        new QueryEvent(
            Fields.requiredId(root, "event_id"),
            Fields.requiredId(root, "account_id"),
            Fields.requiredTimestamp(root, "timestamp"),
            promptOf(root),
            embeddingOf(read),
            Fields.optionalId(root, "api_key_id"),
            Fields.optionalName(root, "model"),
            Fields.optionalCount(root, "prompt_tokens"),
            Fields.optionalCount(root, "completion_tokens"),
            Fields.optionalEntropy(root, "response_entropy"),
            clientOf(root));
    if (event.prompt() == null && event.embedding() == null) {
      throw new Invalid(
          "missing field: prompt (required unless embedding or embedding_b64 is given)");
    }
    return event;
  }

  String write(QueryEvent e) {
    ObjectNode o = JsonLines.NODES.objectNode();
    o.put("event_id", e.eventId());
    o.put("account_id", e.accountId());
    o.put("timestamp", Timestamps.format(e.timestamp()));
    JsonLines.putIfPresent(o, "prompt", e.prompt());
    if (e.embedding() != null) {
      ArrayNode arr = o.putArray("embedding");
      for (float f : e.embedding()) {
        arr.add(f);
      }
    }
    JsonLines.putIfPresent(o, "api_key_id", e.apiKeyId());
    JsonLines.putIfPresent(o, "model", e.model());
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
      JsonLines.putIfPresent(c, "ip", e.client().ip());
      JsonLines.putIfPresent(c, "user_agent", e.client().userAgent());
    }
    return JsonLines.write(o);
  }

  /**
   * An event line's top-level fields; a top-level {@code embedding} array is read into {@code
   * embedding} rather than into the tree.
   */
  private record EventLine(JsonNode fields, EmbeddingArray embedding) {}

  /**
   * Like {@link JsonLines#readObject}, but streams the top-level object so that the 384 numbers of
   * an {@code embedding} go straight to floats ({@link EmbeddingArray}) instead of through
   * BigDecimal tree nodes; every other value is read as a tree exactly as {@link
   * JsonLines#readObject} would. A line that is not a well-formed object (a syntax error, another
   * root type, trailing tokens) is handed to {@link JsonLines#readObject} so that its reason is
   * word for word the same.
   */
  private EventLine readEvent(String line) {
    if (line == null || line.length() > limits.maxLineChars() || line.isBlank()) {
      return new EventLine(readObject(line), null);
    }
    try (JsonParser p = JsonLines.READER.createParser(line)) {
      p.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new EventLine(readObject(line), null);
      }
      ObjectNode fields = JsonLines.NODES.objectNode();
      EmbeddingArray embedding = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (value == JsonToken.START_ARRAY && name.equals("embedding")) {
          embedding = EmbeddingArray.read(p, limits.embeddingDimension());
        } else {
          fields.set(name, JsonLines.VALUE_READER.readTree(p));
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
    return JsonLines.readObject(line, limits.maxLineChars());
  }

  private String promptOf(JsonNode root) {
    JsonNode v = Fields.present(root, "prompt");
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
    JsonNode v = Fields.present(root, "embedding_b64");
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
    JsonNode v = Fields.present(root, "embedding");
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

  private static QueryEvent.ClientInfo clientOf(JsonNode root) {
    JsonNode v = Fields.present(root, "client");
    if (v == null) {
      return null;
    }
    if (!v.isObject()) {
      throw new Invalid("client must be an object");
    }
    JsonNode ip = Fields.present(v, "ip");
    JsonNode userAgent = Fields.present(v, "user_agent");
    if ((ip != null && !ip.isTextual()) || (userAgent != null && !userAgent.isTextual())) {
      throw new Invalid(
          "field client."
              + (ip != null && !ip.isTextual() ? "ip" : "user_agent")
              + " must be a string");
    }
    if (ip != null) {
      TextRules.checkLength("client.ip", ip.asText(), ContractCodec.MAX_ID_CHARS);
      TextRules.checkUnicode("client.ip", ip.asText());
    }
    if (userAgent != null) {
      TextRules.checkLength("client.user_agent", userAgent.asText(), ContractCodec.MAX_TEXT_CHARS);
      TextRules.checkUnicode("client.user_agent", userAgent.asText());
    }
    return new QueryEvent.ClientInfo(
        ip == null ? null : ip.asText(), userAgent == null ? null : userAgent.asText());
  }
}
