package io.distillguard.store;

import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The vector-store contract against a real Milvus server. <b>Conditional run:</b> it runs only when
 * the environment variable {@code MILVUS_URI} is set (e.g. {@code http://127.0.0.1:19530} after
 * {@code docker compose -f deploy/milvus/docker-compose.yml up -d}; {@code MILVUS_TOKEN} is used
 * when set). Without it JUnit reports the class as skipped, which is what CI without a Milvus
 * server shows; {@link MilvusProtocolIT} covers the adapter's protocol in every build.
 *
 * <p>Each test gets its own collection (a random name), dropped afterwards.
 */
@EnabledIfEnvironmentVariable(named = "MILVUS_URI", matches = ".+")
class RealMilvusIT extends VectorStoreContract {

  private static MilvusClientV2 admin;
  private String collection;

  @BeforeAll
  static void connect() {
    ConnectConfig.ConnectConfigBuilder config =
        ConnectConfig.builder()
            .uri(System.getenv("MILVUS_URI"))
            .connectTimeoutMs(10_000)
            .rpcDeadlineMs(60_000);
    String token = System.getenv("MILVUS_TOKEN");
    if (token != null && !token.isBlank()) {
      config.token(token);
    }
    admin = new MilvusClientV2(config.build());
  }

  @AfterAll
  static void disconnect() {
    if (admin != null) {
      admin.close();
    }
  }

  @Override
  protected VectorStore openStore() {
    collection = "dg_contract_" + UUID.randomUUID().toString().replace("-", "");
    return MilvusVectorStore.open(
        StoreSettings.milvus(
                System.getenv("MILVUS_URI"), System.getenv("MILVUS_TOKEN"), collection, null)
            .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60)));
  }

  @Override
  protected void closeStore(VectorStore s) {
    s.close();
    admin.dropCollection(DropCollectionReq.builder().collectionName(collection).build());
  }
}
