package io.distillguard.store;

import static io.distillguard.store.MilvusVectorStore.ACCOUNT_ID;
import static io.distillguard.store.MilvusVectorStore.CATEGORY;
import static io.distillguard.store.MilvusVectorStore.CATEGORY_MAX_LENGTH;
import static io.distillguard.store.MilvusVectorStore.EMBEDDING;
import static io.distillguard.store.MilvusVectorStore.EVENT_ID;
import static io.distillguard.store.MilvusVectorStore.HNSW_EF_CONSTRUCTION;
import static io.distillguard.store.MilvusVectorStore.HNSW_M;
import static io.distillguard.store.MilvusVectorStore.ID;
import static io.distillguard.store.MilvusVectorStore.ID_MAX_LENGTH;
import static io.distillguard.store.MilvusVectorStore.METADATA;
import static io.distillguard.store.MilvusVectorStore.PROMPT;
import static io.distillguard.store.MilvusVectorStore.PROMPT_MAX_BYTES;
import static io.distillguard.store.MilvusVectorStore.RECORD_ID_LENGTH;
import static io.distillguard.store.MilvusVectorStore.STATED_USE_SIMILARITY;
import static io.distillguard.store.MilvusVectorStore.TIMESTAMP;
import static io.distillguard.store.MilvusVectorStore.TTL_PROPERTY;

import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.AlterCollectionPropertiesReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.collection.response.DescribeCollectionResp;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Milvus collection behind {@link MilvusVectorStore}: creates it with its schema and index when
 * it does not exist, checks the primary key of one that does, keeps its TTL equal to the configured
 * retention, and loads it (see the schema in {@link MilvusVectorStore}'s class comment).
 */
final class MilvusCollection {

  private static final Logger LOG = LoggerFactory.getLogger(MilvusCollection.class);

  private final StoreSettings settings;
  private final String collection;
  private final MilvusClientV2 client;
  private final MilvusCalls calls;

  MilvusCollection(StoreSettings settings, MilvusClientV2 client, MilvusCalls calls) {
    this.settings = settings;
    this.collection = settings.collection();
    this.client = client;
    this.calls = calls;
  }

  /** Creates the collection if it does not exist, corrects its TTL, and loads it. */
  void ensure() {
    boolean exists =
        calls.call(
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
      calls.call("create collection", () -> client.createCollection(create.build()));
      LOG.info("Created Milvus collection {} at {}", collection, settings.milvusUri());
    } else {
      DescribeCollectionResp described =
          calls.call(
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
    calls.call(
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
    calls.call(
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
}
