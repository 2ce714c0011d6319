package io.distillguard.store;

import com.google.gson.JsonObject;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.exception.MilvusClientException;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.QueryResp;
import io.milvus.v2.service.vector.response.SearchResp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VectorStore} on a Milvus collection through {@link MilvusClientV2}.
 *
 * <p><b>Schema</b> (created when the collection does not exist): {@code id} VarChar primary key,
 * the {@code MilvusRows.recordId} of (account id, event id), so an upsert of the same event of the
 * same account replaces while the same event id from another account is another row; {@code
 * event_id} VarChar, {@code account_id} VarChar partition key (per-account searches touch one
 * partition), {@code timestamp} Int64 (epoch millis), {@code category} VarChar, {@code
 * stated_use_similarity} Float, {@code prompt} VarChar, {@code metadata} JSON and {@code embedding}
 * FloatVector of the configured dimension with an HNSW index on the COSINE metric. A retention sets
 * the collection property {@code collection.ttl.seconds}: Milvus drops expired rows on its own
 * compaction.
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
 *
 * <p>Parts: {@code MilvusCollection} (schema, index, TTL, loading), {@code MilvusRows} (records to
 * rows and back), {@code MilvusExpressions} (filters) and {@code MilvusCalls} (error translation).
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

  private final StoreSettings settings;
  private final String collection;
  private final MilvusClientV2 client;
  private final MilvusCalls calls;

  private MilvusVectorStore(StoreSettings settings, MilvusClientV2 client) {
    this.settings = settings;
    this.collection = settings.collection();
    this.client = client;
    this.calls = new MilvusCalls(settings);
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
      new MilvusCollection(settings, client, store.calls).ensure();
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    return store;
  }

  @Override
  public void upsert(List<QueryRecord> records) {
    for (int start = 0; start < records.size(); start += UPSERT_BATCH) {
      List<QueryRecord> batch =
          records.subList(start, Math.min(records.size(), start + UPSERT_BATCH));
      List<JsonObject> rows = new ArrayList<>(batch.size());
      for (QueryRecord r : batch) {
        checkDimension(r.embedding(), r.eventId());
        rows.add(MilvusRows.toRow(r));
      }
      calls.call(
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
            .outputFields(MilvusRows.RECORD_FIELDS)
            // ef >= limit is required by HNSW; a wider beam gives better recall for small limits.
            .searchParams(Map.of("ef", Math.max(64, limit)))
            .consistencyLevel(ConsistencyLevel.STRONG);
    String expr = MilvusExpressions.filterExpression(filter);
    if (!expr.isEmpty()) {
      req.filter(expr);
    }
    SearchResp resp = calls.call("search", () -> client.search(req.build()));
    List<ScoredRecord> out = new ArrayList<>();
    for (List<SearchResp.SearchResult> hits : resp.getSearchResults()) {
      for (SearchResp.SearchResult hit : hits) {
        out.add(new ScoredRecord(MilvusRows.fromEntity(hit.getEntity()), hit.getScore()));
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
    String expr = MilvusExpressions.filterExpression(filter);
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
                + String.join(", ", ids.stream().map(MilvusExpressions::quote).toList())
                + "]",
            MilvusRows.RECORD_FIELDS,
            ids.size(),
            "query")) {
      QueryRecord r = MilvusRows.fromEntity(row.getEntity());
      byId.put(MilvusRows.recordId(r.accountId(), r.eventId()), r);
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
        queryRows(MilvusExpressions.filterExpression(filter), List.of("count(*)"), 0, "count");
    if (rows.isEmpty()) {
      return 0;
    }
    return ((Number) rows.get(0).getEntity().get("count(*)")).longValue();
  }

  @Override
  public long deleteAccount(String accountId) {
    String expr = ACCOUNT_ID + " == " + MilvusExpressions.quote(accountId);
    long n = count(RecordFilter.account(accountId));
    calls.call(
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
    return calls.call(what, () -> client.query(req.build())).getQueryResults();
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
}
