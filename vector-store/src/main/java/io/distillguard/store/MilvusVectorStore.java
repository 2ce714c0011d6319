package io.distillguard.store;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.exception.MilvusClientException;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.AlterCollectionPropertiesReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.collection.response.DescribeCollectionResp;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.QueryResp;
import io.milvus.v2.service.vector.response.SearchResp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VectorStore} on a Milvus collection through {@link MilvusClientV2}.
 *
 * <p><b>Schema</b> (created when the collection does not exist): {@code id} VarChar primary key,
 * the {@link #recordId} of (account id, event id), so an upsert of the same event of the same
 * account replaces while the same event id from another account is another row; {@code event_id}
 * VarChar, {@code account_id} VarChar partition key (per-account searches touch one partition),
 * {@code timestamp} Int64 (epoch millis), {@code category} VarChar, {@code stated_use_similarity}
 * Float, {@code prompt} VarChar, {@code metadata} JSON and {@code embedding} FloatVector of the
 * configured dimension with an HNSW index on the COSINE metric. A retention sets the collection
 * property {@code collection.ttl.seconds}: Milvus drops expired rows on its own compaction.
 *
 * <p><b>Prompts are truncated</b> to {@link #PROMPT_MAX_BYTES} UTF-8 bytes (the VarChar limit we
 * declare), at a character boundary; a longer prompt reads back shortened. Ids and categories
 * longer than their fields' limits are rejected by the server.
 *
 * <p><b>Consistency.</b> Every read uses {@link ConsistencyLevel#STRONG}: the port promises that a
 * record is visible once {@code upsert} returns, and evidence shown to a reviewer must include the
 * latest writes. That waits for the server's latest timestamp; a dashboard that tolerates a second
 * of staleness could use BOUNDED instead.
 *
 * <p><b>Ordering.</b> Milvus queries have no server-side order, so {@link #query} fetches the keys
 * and timestamps of matching rows (at most {@link #QUERY_WINDOW} of them, Milvus's query window),
 * sorts newest first client-side and then fetches the full rows of the first {@code limit}; when
 * more rows match, narrow the filter with a time range.
 *
 * <p><b>Errors.</b> An unreachable server fails the constructor after the connect timeout; that and
 * every later gRPC or client failure is rethrown as a {@link VectorStoreException} naming the URI
 * and what to check. {@link #flush} does nothing: Milvus acknowledges an upsert once its
 * write-ahead log holds it, and a Milvus flush (sealing segments) costs a second or more.
 *
 * <p>Thread-safe: {@link MilvusClientV2} is, and this class keeps no mutable state.
 */
public final class MilvusVectorStore implements VectorStore {

  private static final Logger LOG = LoggerFactory.getLogger(MilvusVectorStore.class);

  public static final String ID = "id";
  public static final String EVENT_ID = "event_id";
  public static final String ACCOUNT_ID = "account_id";
  public static final String TIMESTAMP = "timestamp";
  public static final String CATEGORY = "category";
  public static final String STATED_USE_SIMILARITY = "stated_use_similarity";
  public static final String PROMPT = "prompt";
  public static final String METADATA = "metadata";
  public static final String EMBEDDING = "embedding";

  public static final int ID_MAX_LENGTH = 256;

  /** The collection property Milvus expires rows by. */
  public static final String TTL_PROPERTY = "collection.ttl.seconds";

  /** Length of {@link #recordId}: a SHA-256 in hex. */
  public static final int RECORD_ID_LENGTH = 64;

  public static final int CATEGORY_MAX_LENGTH = 256;
  public static final int PROMPT_MAX_BYTES = 65_535;

  /** HNSW graph degree: 16 is Milvus's usual default and fine for 384-d sentence embeddings. */
  public static final int HNSW_M = 16;

  public static final int HNSW_EF_CONSTRUCTION = 200;
  public static final int UPSERT_BATCH = 500;
  public static final int QUERY_WINDOW = 16_384;

  private static final List<String> RECORD_FIELDS =
      List.of(
          EVENT_ID,
          ACCOUNT_ID,
          TIMESTAMP,
          CATEGORY,
          STATED_USE_SIMILARITY,
          PROMPT,
          METADATA,
          EMBEDDING);

  private final StoreSettings settings;
  private final String collection;
  private final MilvusClientV2 client;

  private MilvusVectorStore(StoreSettings settings, MilvusClientV2 client) {
    this.settings = settings;
    this.collection = settings.collection();
    this.client = client;
  }

  /**
   * Connects, creating and loading the collection if it does not exist.
   *
   * @throws VectorStoreException when the server cannot be reached within the connect timeout or
   *     refuses the schema
   */
  public static MilvusVectorStore open(StoreSettings settings) {
    if (settings.backend() != StoreSettings.Backend.MILVUS) {
      throw new IllegalArgumentException("not Milvus settings: " + settings);
    }
    ConnectConfig.ConnectConfigBuilder config =
        ConnectConfig.builder()
            .uri(settings.milvusUri())
            .connectTimeoutMs(settings.connectTimeout().toMillis())
            // Default 0 means no deadline at all: a stuck server would hang the pipeline.
            .rpcDeadlineMs(settings.rpcDeadline().toMillis());
    if (settings.milvusToken() != null) {
      config.token(settings.milvusToken());
    }
    MilvusClientV2 client;
    try {
      client = new MilvusClientV2(config.build());
    } catch (StatusRuntimeException | MilvusClientException e) {
      throw new VectorStoreException(
          "cannot reach Milvus at "
              + settings.milvusUri()
              + " within "
              + settings.connectTimeout().toMillis()
              + " ms: check that the server is running (deploy/milvus/README.md), that MILVUS_URI"
              + " points at its gRPC port (19530) and that MILVUS_TOKEN is right ("
              + e.getMessage()
              + ")",
          e);
    }
    MilvusVectorStore store = new MilvusVectorStore(settings, client);
    try {
      store.ensureCollection();
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    return store;
  }

  private void ensureCollection() {
    boolean exists =
        call(
            "check collection",
            () ->
                client.hasCollection(
                    HasCollectionReq.builder().collectionName(collection).build()));
    if (!exists) {
      CreateCollectionReq.CollectionSchema schema = client.createSchema();
      schema.addField(
          AddFieldReq.builder()
              .fieldName(ID)
              .dataType(DataType.VarChar)
              .maxLength(RECORD_ID_LENGTH)
              .isPrimaryKey(true)
              .autoID(false)
              .build());
      schema.addField(
          AddFieldReq.builder()
              .fieldName(EVENT_ID)
              .dataType(DataType.VarChar)
              .maxLength(ID_MAX_LENGTH)
              .build());
      schema.addField(
          AddFieldReq.builder()
              .fieldName(ACCOUNT_ID)
              .dataType(DataType.VarChar)
              .maxLength(ID_MAX_LENGTH)
              .isPartitionKey(true)
              .build());
      schema.addField(AddFieldReq.builder().fieldName(TIMESTAMP).dataType(DataType.Int64).build());
      schema.addField(
          AddFieldReq.builder()
              .fieldName(CATEGORY)
              .dataType(DataType.VarChar)
              .maxLength(CATEGORY_MAX_LENGTH)
              .build());
      schema.addField(
          AddFieldReq.builder().fieldName(STATED_USE_SIMILARITY).dataType(DataType.Float).build());
      schema.addField(
          AddFieldReq.builder()
              .fieldName(PROMPT)
              .dataType(DataType.VarChar)
              .maxLength(PROMPT_MAX_BYTES)
              .build());
      schema.addField(AddFieldReq.builder().fieldName(METADATA).dataType(DataType.JSON).build());
      schema.addField(
          AddFieldReq.builder()
              .fieldName(EMBEDDING)
              .dataType(DataType.FloatVector)
              .dimension(settings.dimension())
              .build());
      IndexParam index =
          IndexParam.builder()
              .fieldName(EMBEDDING)
              .indexType(IndexParam.IndexType.HNSW)
              .metricType(IndexParam.MetricType.COSINE)
              .extraParams(Map.of("M", HNSW_M, "efConstruction", HNSW_EF_CONSTRUCTION))
              .build();
      CreateCollectionReq.CreateCollectionReqBuilder create =
          CreateCollectionReq.builder()
              .collectionName(collection)
              .collectionSchema(schema)
              .indexParams(List.of(index))
              .consistencyLevel(ConsistencyLevel.STRONG);
      if (settings.retention() != null) {
        create.property(TTL_PROPERTY, Long.toString(settings.retention().toSeconds()));
      }
      call("create collection", () -> client.createCollection(create.build()));
      LOG.info("Created Milvus collection {} at {}", collection, settings.milvusUri());
    } else {
      DescribeCollectionResp described =
          call(
              "describe collection",
              () ->
                  client.describeCollection(
                      DescribeCollectionReq.builder().collectionName(collection).build()));
      String primary = described.getPrimaryFieldName();
      if (!ID.equals(primary)) {
        // Keyed by event id alone, a reused id from another account would overwrite evidence.
        throw new VectorStoreException(
            "Milvus collection "
                + collection
                + " at "
                + settings.milvusUri()
                + " has primary key "
                + primary
                + ", expected "
                + ID
                + " (records are keyed by account and event since v1 ids became per-account):"
                + " set MILVUS_COLLECTION to a new name, or drop the old collection");
      }
      applyRetention(described.getProperties());
    }
    // Loading is idempotent; a collection created by someone else may not be loaded yet.
    call(
        "load collection",
        () ->
            client.loadCollection(LoadCollectionReq.builder().collectionName(collection).build()));
  }

  /**
   * Makes an existing collection's TTL the configured retention: a collection created before a
   * retention was set, or with another one, is corrected on every start rather than keeping the TTL
   * it was created with. Without a configured retention the collection keeps what it has (logged).
   */
  private void applyRetention(Map<String, String> properties) {
    String current = properties == null ? null : properties.get(TTL_PROPERTY);
    if (settings.retention() == null) {
      if (current != null) {
        LOG.info(
            "Milvus collection {} keeps its TTL of {} s (no retention configured)",
            collection,
            current);
      }
      return;
    }
    String wanted = Long.toString(settings.retention().toSeconds());
    if (wanted.equals(current)) {
      return;
    }
    call(
        "alter collection TTL",
        () -> {
          client.alterCollectionProperties(
              AlterCollectionPropertiesReq.builder()
                  .collectionName(collection)
                  .property(TTL_PROPERTY, wanted)
                  .build());
          return null;
        });
    LOG.info(
        "Milvus collection {}: TTL set to {} s (was {})",
        collection,
        wanted,
        current == null ? "none" : current + " s");
  }

  @Override
  public void upsert(List<QueryRecord> records) {
    for (int start = 0; start < records.size(); start += UPSERT_BATCH) {
      List<QueryRecord> batch =
          records.subList(start, Math.min(records.size(), start + UPSERT_BATCH));
      List<JsonObject> rows = new ArrayList<>(batch.size());
      for (QueryRecord r : batch) {
        checkDimension(r.embedding(), r.eventId());
        rows.add(toRow(r));
      }
      call(
          "upsert",
          () -> client.upsert(UpsertReq.builder().collectionName(collection).data(rows).build()));
    }
  }

  @Override
  public List<ScoredRecord> search(float[] vector, RecordFilter filter, int limit) {
    checkDimension(vector, "query vector");
    if (limit <= 0) {
      return List.of();
    }
    SearchReq.SearchReqBuilder req =
        SearchReq.builder()
            .collectionName(collection)
            .annsField(EMBEDDING)
            .metricType(IndexParam.MetricType.COSINE)
            .data(List.of(new FloatVec(vector)))
            .limit(limit)
            .outputFields(RECORD_FIELDS)
            // ef >= limit is required by HNSW; a wider beam gives better recall for small limits.
            .searchParams(Map.of("ef", Math.max(64, limit)))
            .consistencyLevel(ConsistencyLevel.STRONG);
    String expr = filterExpression(filter);
    if (!expr.isEmpty()) {
      req.filter(expr);
    }
    SearchResp resp = call("search", () -> client.search(req.build()));
    List<ScoredRecord> out = new ArrayList<>();
    for (List<SearchResp.SearchResult> hits : resp.getSearchResults()) {
      for (SearchResp.SearchResult hit : hits) {
        out.add(new ScoredRecord(fromEntity(hit.getEntity()), hit.getScore()));
      }
    }
    out.sort(
        Comparator.comparingDouble((ScoredRecord s) -> -s.score())
            .thenComparing(s -> s.record().eventId()));
    return out;
  }

  @Override
  public List<QueryRecord> query(RecordFilter filter, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    String expr = filterExpression(filter);
    List<QueryResp.QueryResult> keys =
        queryRows(expr, List.of(ID, EVENT_ID, TIMESTAMP), QUERY_WINDOW, "query");
    if (keys.size() == QUERY_WINDOW) {
      LOG.warn(
          "Milvus query matched {} or more rows; newest-first order covers only those returned."
              + " Narrow the filter with a time range",
          QUERY_WINDOW);
    }
    record Key(String id, String eventId, long timestamp) {}
    List<Key> sorted = new ArrayList<>(keys.size());
    for (QueryResp.QueryResult k : keys) {
      sorted.add(
          new Key(
              (String) k.getEntity().get(ID),
              (String) k.getEntity().get(EVENT_ID),
              ((Number) k.getEntity().get(TIMESTAMP)).longValue()));
    }
    sorted.sort(
        Comparator.comparingLong((Key k) -> -k.timestamp())
            .thenComparing(Key::eventId)
            .thenComparing(Key::id));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, sorted.size()); i++) {
      ids.add(sorted.get(i).id());
    }
    if (ids.isEmpty()) {
      return List.of();
    }
    Map<String, QueryRecord> byId = new HashMap<>();
    for (QueryResp.QueryResult row :
        queryRows(
            ID
                + " in ["
                + String.join(", ", ids.stream().map(MilvusVectorStore::quote).toList())
                + "]",
            RECORD_FIELDS,
            ids.size(),
            "query")) {
      QueryRecord r = fromEntity(row.getEntity());
      byId.put(recordId(r.accountId(), r.eventId()), r);
    }
    List<QueryRecord> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      QueryRecord r = byId.get(id);
      if (r != null) { // deleted between the two reads
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public long count(RecordFilter filter) {
    List<QueryResp.QueryResult> rows =
        queryRows(filterExpression(filter), List.of("count(*)"), 0, "count");
    if (rows.isEmpty()) {
      return 0;
    }
    return ((Number) rows.get(0).getEntity().get("count(*)")).longValue();
  }

  @Override
  public long deleteAccount(String accountId) {
    String expr = ACCOUNT_ID + " == " + quote(accountId);
    long n = count(RecordFilter.account(accountId));
    call(
        "delete",
        () -> client.delete(DeleteReq.builder().collectionName(collection).filter(expr).build()));
    LOG.info(
        "Deleted {} records of account {} from Milvus collection {}", n, accountId, collection);
    return n;
  }

  /** Does nothing; see the class comment (upserts are durable once acknowledged). */
  @Override
  public void flush() {}

  @Override
  public void close() {
    client.close();
  }

  private List<QueryResp.QueryResult> queryRows(
      String expr, List<String> fields, long limit, String what) {
    QueryReq.QueryReqBuilder req =
        QueryReq.builder()
            .collectionName(collection)
            .outputFields(fields)
            .consistencyLevel(ConsistencyLevel.STRONG);
    if (!expr.isEmpty()) {
      req.filter(expr);
    }
    if (limit > 0) {
      req.limit(limit);
    }
    return call(what, () -> client.query(req.build())).getQueryResults();
  }

  /**
   * The Milvus boolean expression for a filter; empty for {@link RecordFilter#all()}. Strings are
   * double-quoted with backslashes and quotes escaped.
   */
  static String filterExpression(RecordFilter f) {
    List<String> parts = new ArrayList<>(4);
    if (f.accountId() != null) {
      parts.add(ACCOUNT_ID + " == " + quote(f.accountId()));
    }
    if (f.fromMillis() != null) {
      parts.add(TIMESTAMP + " >= " + f.fromMillis());
    }
    if (f.toMillis() != null) {
      parts.add(TIMESTAMP + " <= " + f.toMillis());
    }
    if (f.category() != null) {
      parts.add(CATEGORY + " == " + quote(f.category()));
    }
    return String.join(" && ", parts);
  }

  /** A Milvus string literal: {@code "..."} with {@code \} and {@code "} escaped. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /**
   * The primary key of a record: SHA-256 (hex) of the account id's length, the account id and the
   * event id. Fixed length and plain ASCII whatever characters the ids hold, and unambiguous (the
   * length prefix keeps {@code ("a|b", "c")} and {@code ("a", "b|c")} apart).
   */
  static String recordId(String accountId, String eventId) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update((accountId.length() + ":" + accountId + eventId).getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
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

  private static JsonObject toRow(QueryRecord r) {
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
    com.google.gson.JsonArray v = new com.google.gson.JsonArray(r.embedding().length);
    for (float f : r.embedding()) {
      v.add(f);
    }
    row.add(EMBEDDING, v);
    return row;
  }

  private static QueryRecord fromEntity(Map<String, Object> e) {
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

  private void checkDimension(float[] v, String what) {
    if (v == null || v.length != settings.dimension()) {
      throw new IllegalArgumentException(
          what
              + " has dimension "
              + (v == null ? 0 : v.length)
              + ", the store expects "
              + settings.dimension());
    }
  }

  private <T> T call(String what, Supplier<T> op) {
    try {
      return op.get();
    } catch (StatusRuntimeException | MilvusClientException e) {
      throw new VectorStoreException(
          "Milvus "
              + what
              + " on collection "
              + collection
              + " at "
              + settings.milvusUri()
              + " failed: "
              + e.getMessage()
              + " (check that the server is up and MILVUS_URI / MILVUS_TOKEN are right)",
          e);
    }
  }

  private void call(String what, Runnable op) {
    call(
        what,
        () -> {
          op.run();
          return null;
        });
  }
}
