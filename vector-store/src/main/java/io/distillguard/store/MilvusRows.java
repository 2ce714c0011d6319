package io.distillguard.store;

import static io.distillguard.store.MilvusVectorStore.ACCOUNT_ID;
import static io.distillguard.store.MilvusVectorStore.CATEGORY;
import static io.distillguard.store.MilvusVectorStore.EMBEDDING;
import static io.distillguard.store.MilvusVectorStore.EVENT_ID;
import static io.distillguard.store.MilvusVectorStore.ID;
import static io.distillguard.store.MilvusVectorStore.METADATA;
import static io.distillguard.store.MilvusVectorStore.PROMPT;
import static io.distillguard.store.MilvusVectorStore.PROMPT_MAX_BYTES;
import static io.distillguard.store.MilvusVectorStore.STATED_USE_SIMILARITY;
import static io.distillguard.store.MilvusVectorStore.TIMESTAMP;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conversion of {@link QueryRecord}s to Milvus rows and back, with the row's primary key
 * ({@link #recordId}) and the prompt cut to the declared VarChar limit ({@link #truncateUtf8}).
 */
final class MilvusRows {

  /** The fields a full record is read back from. */
  static final List<String> RECORD_FIELDS =
      List.of(
          EVENT_ID,
          ACCOUNT_ID,
          TIMESTAMP,
          CATEGORY,
          STATED_USE_SIMILARITY,
          PROMPT,
          METADATA,
          EMBEDDING);

  private MilvusRows() {}

  /**
   * The primary key of a record: SHA-256 (hex) of the account id's length, the account id and the
   * event id. Fixed length and plain ASCII whatever characters the ids hold, and unambiguous (the
   * length prefix keeps {@code ("a|b", "c")} and {@code ("a", "b|c")} apart).
   */
  static String recordId(String accountId, String eventId) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((accountId.length() + ":" + accountId + eventId).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** Cuts a string to at most {@code maxBytes} UTF-8 bytes without splitting a character. */
  static String truncateUtf8(String s, int maxBytes) {
    if (s.length() * 3L <= maxBytes || s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
      return s;
    }
    int bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + len > maxBytes) {
        break;
      }
      bytes += len;
      i += Character.charCount(cp);
    }
    return s.substring(0, i);
  }

  static JsonObject toRow(QueryRecord r) {
    JsonObject row = new JsonObject();
    row.addProperty(ID, recordId(r.accountId(), r.eventId()));
    row.addProperty(EVENT_ID, r.eventId());
    row.addProperty(ACCOUNT_ID, r.accountId());
    row.addProperty(TIMESTAMP, r.timestampMillis());
    row.addProperty(CATEGORY, r.category());
    row.addProperty(STATED_USE_SIMILARITY, r.statedUseSimilarity());
    row.addProperty(PROMPT, truncateUtf8(r.prompt(), PROMPT_MAX_BYTES));
    JsonObject meta = new JsonObject();
    r.metadata().forEach(meta::addProperty);
    row.add(METADATA, meta);
    JsonArray v = new JsonArray(r.embedding().length);
    for (float f : r.embedding()) {
      v.add(f);
    }
    row.add(EMBEDDING, v);
    return row;
  }

  static QueryRecord fromEntity(Map<String, Object> e) {
    Object vec = e.get(EMBEDDING);
    float[] embedding;
    if (vec instanceof List<?> list) {
      embedding = new float[list.size()];
      for (int i = 0; i < embedding.length; i++) {
        embedding[i] = ((Number) list.get(i)).floatValue();
      }
    } else if (vec instanceof float[] arr) {
      embedding = arr;
    } else {
      throw new VectorStoreException("Milvus returned no embedding for " + e.get(EVENT_ID));
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    Object meta = e.get(METADATA);
    JsonElement json =
        meta instanceof JsonElement j
            ? j
            : meta == null ? null : JsonParser.parseString(meta.toString());
    if (json != null && json.isJsonObject()) {
      for (Map.Entry<String, JsonElement> m : json.getAsJsonObject().entrySet()) {
        metadata.put(m.getKey(), m.getValue().isJsonNull() ? "" : m.getValue().getAsString());
      }
    }
    return new QueryRecord(
        (String) e.get(EVENT_ID),
        (String) e.get(ACCOUNT_ID),
        ((Number) e.get(TIMESTAMP)).longValue(),
        (String) e.get(CATEGORY),
        ((Number) e.get(STATED_USE_SIMILARITY)).floatValue(),
        (String) e.get(PROMPT),
        embedding,
        metadata);
  }
}
