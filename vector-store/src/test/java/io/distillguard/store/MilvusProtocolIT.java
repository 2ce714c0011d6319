package io.distillguard.store;

import static io.distillguard.store.VectorStoreContract.record;
import static io.distillguard.store.VectorStoreContract.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vector-store contract against {@link MilvusVectorStore} through the real Milvus SDK, talking
 * gRPC to {@link MilvusProtocolStandIn}. A protocol test: it proves what the adapter sends and how
 * it reads answers, not how a Milvus server behaves ({@link RealMilvusIT} does that when a server
 * is available).
 */
class MilvusProtocolIT extends VectorStoreContract {

  private static MilvusProtocolStandIn standIn;
  private static final AtomicInteger COLLECTIONS = new AtomicInteger();
  private String collection;

  @BeforeAll
  static void startStandIn() throws Exception {
    standIn = MilvusProtocolStandIn.start();
  }

  @AfterAll
  static void stopStandIn() throws Exception {
    standIn.close();
  }

  @Override
  protected VectorStore openStore() {
    collection = "contract_" + COLLECTIONS.incrementAndGet();
    return MilvusVectorStore.open(settings(collection, null));
  }

  @Override
  protected void closeStore(VectorStore s) {
    s.close();
    standIn.drop(collection);
  }

  private static StoreSettings settings(String name, Duration ttl) {
    return StoreSettings.milvus(standIn.uri(), null, name, ttl)
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  @Test
  void createsTheDocumentedSchemaWithPartitionKeyAndTtl() {
    try (MilvusVectorStore s = MilvusVectorStore.open(settings("with_ttl", Duration.ofDays(7)))) {
      assertThat(standIn.properties("with_ttl"))
          .containsEntry("collection.ttl.seconds", Long.toString(Duration.ofDays(7).toSeconds()));
      List<FieldSchema> fields = standIn.schema("with_ttl").getFieldsList();
      assertThat(fields)
          .extracting(FieldSchema::getName)
          .containsExactly(
              "id",
              "event_id",
              "account_id",
              "timestamp",
              "category",
              "stated_use_similarity",
              "prompt",
              "metadata",
              "embedding");
      FieldSchema pk = fields.get(0);
      assertThat(pk.getIsPrimaryKey()).isTrue();
      assertThat(pk.getDataType()).isEqualTo(DataType.VarChar);
      assertThat(fields.get(1).getIsPrimaryKey()).isFalse();
      assertThat(fields.get(2).getIsPartitionKey()).isTrue();
      assertThat(fields.get(8).getDataType()).isEqualTo(DataType.FloatVector);
      assertThat(standIn.calls).contains("CreateCollection", "CreateIndex", "LoadCollection");
    }
    // Reopening an existing collection does not recreate it.
    int creates = (int) standIn.calls.stream().filter("CreateCollection"::equals).count();
    MilvusVectorStore.open(settings("with_ttl", null)).close();
    assertThat(standIn.calls.stream().filter("CreateCollection"::equals).count())
        .isEqualTo(creates);
  }

  @Test
  void theRetentionIsAppliedAndCorrectedOnEveryStartNotOnlyAtCreation() {
    // Created without a retention: no TTL.
    MilvusVectorStore.open(settings("ttl_later", null)).close();
    assertThat(standIn.properties("ttl_later")).doesNotContainKey("collection.ttl.seconds");
    // A retention configured later is applied to the existing collection on start...
    MilvusVectorStore.open(settings("ttl_later", Duration.ofDays(30))).close();
    assertThat(standIn.properties("ttl_later"))
        .containsEntry("collection.ttl.seconds", Long.toString(Duration.ofDays(30).toSeconds()));
    // ...and a changed one corrects it.
    MilvusVectorStore.open(settings("ttl_later", Duration.ofDays(7))).close();
    assertThat(standIn.properties("ttl_later"))
        .containsEntry("collection.ttl.seconds", Long.toString(Duration.ofDays(7).toSeconds()));
    // An unchanged one is not altered again.
    long alters = standIn.calls.stream().filter("AlterCollection"::equals).count();
    MilvusVectorStore.open(settings("ttl_later", Duration.ofDays(7))).close();
    assertThat(standIn.calls.stream().filter("AlterCollection"::equals).count()).isEqualTo(alters);
  }

  @Test
  void aCollectionKeyedByEventIdAloneIsRefusedWithAClearMessage() {
    MilvusClientV2 client =
        new MilvusClientV2(
            ConnectConfig.builder().uri(standIn.uri()).rpcDeadlineMs(10_000).build());
    try {
      CreateCollectionReq.CollectionSchema schema = client.createSchema();
      schema.addField(
          AddFieldReq.builder()
              .fieldName("event_id")
              .dataType(io.milvus.v2.common.DataType.VarChar)
              .maxLength(256)
              .isPrimaryKey(true)
              .build());
      schema.addField(
          AddFieldReq.builder()
              .fieldName("embedding")
              .dataType(io.milvus.v2.common.DataType.FloatVector)
              .dimension(DIM)
              .build());
      client.createCollection(
          CreateCollectionReq.builder()
              .collectionName("old_schema")
              .collectionSchema(schema)
              .build());
    } finally {
      client.close();
    }
    assertThatThrownBy(() -> MilvusVectorStore.open(settings("old_schema", null)))
        .isInstanceOf(VectorStoreException.class)
        .hasMessageContaining("has primary key event_id, expected id")
        .hasMessageContaining("MILVUS_COLLECTION");
    standIn.drop("old_schema");
  }

  @Test
  void recordIdsAreFixedLengthAsciiAndKeepAccountAndEventApart() {
    String id = MilvusRows.recordId("acct|\"x\"", "e-1");
    assertThat(id).hasSize(MilvusVectorStore.RECORD_ID_LENGTH).matches("[0-9a-f]+");
    assertThat(MilvusRows.recordId("a|b", "c"))
        .isNotEqualTo(MilvusRows.recordId("a", "b|c"))
        .isEqualTo(MilvusRows.recordId("a|b", "c"));
  }

  @Test
  void longPromptsAreTruncatedToTheFieldLimit() {
    String longPrompt = "é".repeat(MilvusVectorStore.PROMPT_MAX_BYTES); // 2 bytes each
    QueryRecord r =
        new QueryRecord(
            "long", "a", 1, "x", 0f, longPrompt, vector(new Random(1), 0), java.util.Map.of());
    store.upsert(List.of(r));
    String stored = store.query(RecordFilter.account("a"), 1).get(0).prompt();
    assertThat(stored).hasSize(MilvusVectorStore.PROMPT_MAX_BYTES / 2);
    assertThat(longPrompt).startsWith(stored);
  }

  @Test
  void serverErrorsSurfaceAsVectorStoreExceptions() {
    store.upsert(List.of(record("e1", "a", 1, "x", vector(new Random(2), 0))));
    standIn.drop(collection); // the collection vanishes under the adapter
    assertThatThrownBy(() -> store.count(RecordFilter.all()))
        .isInstanceOf(VectorStoreException.class)
        .hasMessageContaining(standIn.uri())
        .hasMessageContaining("collection not found");
  }

  @Test
  void anUnreachableServerFailsFastWithAClearMessage() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    String uri = "http://127.0.0.1:" + port;
    long started = System.nanoTime();
    assertThatThrownBy(
            () ->
                MilvusVectorStore.open(
                    StoreSettings.milvus(uri, null, "x", null)
                        .withTimeouts(Duration.ofMillis(1500), Duration.ofSeconds(2))))
        .isInstanceOf(VectorStoreException.class)
        .hasMessageContaining("cannot reach Milvus at " + uri)
        .hasMessageContaining("MILVUS_URI");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
  }
}
