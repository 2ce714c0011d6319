package io.distillguard.store;

import static io.distillguard.store.VectorStoreContract.record;
import static io.distillguard.store.VectorStoreContract.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorStoresTest {

  @TempDir Path dataDir;

  @Test
  void handlesOnOneTargetShareOneStoreUntilTheLastCloses() {
    StoreSettings settings = StoreSettings.embedded(dataDir);
    VectorStore a = VectorStores.open(settings);
    VectorStore b = VectorStores.open(StoreSettings.embedded(dataDir.resolve(".")));
    assertThat(VectorStores.references(settings)).isEqualTo(2);

    a.upsert(List.of(record("e1", "acct", 1, "x", vector(new Random(1), 0))));
    assertThat(b.count(RecordFilter.all())).isEqualTo(1);

    a.close();
    a.close(); // idempotent: releases one reference only
    assertThat(VectorStores.references(settings)).isEqualTo(1);
    assertThatThrownBy(() -> a.count(RecordFilter.all())).isInstanceOf(IllegalStateException.class);
    assertThat(b.count(RecordFilter.all())).isEqualTo(1);

    b.close();
    assertThat(VectorStores.references(settings)).isZero();
    // The data dir lock was released: a direct open works now.
    try (EmbeddedVectorStore direct = EmbeddedVectorStore.open(settings)) {
      assertThat(direct.count(RecordFilter.all())).isEqualTo(1);
    }
  }

  @Test
  void environmentChoosesTheBackend() {
    assertThat(StoreSettings.fromEnvironment(dataDir, Map.of()).backend())
        .isEqualTo(StoreSettings.Backend.EMBEDDED);
    StoreSettings milvus =
        StoreSettings.fromEnvironment(
            dataDir,
            Map.of(
                "MILVUS_URI", "http://127.0.0.1:19530",
                "MILVUS_TOKEN", "root:Milvus",
                "MILVUS_COLLECTION", "evidence",
                "MILVUS_TTL", "30d"));
    assertThat(milvus.backend()).isEqualTo(StoreSettings.Backend.MILVUS);
    assertThat(milvus.collection()).isEqualTo("evidence");
    assertThat(milvus.retention()).isEqualTo(Duration.ofDays(30));
    assertThat(milvus.toString()).doesNotContain("root:Milvus");
    assertThat(
            StoreSettings.fromEnvironment(dataDir, Map.of("MILVUS_URI", "http://h:1")).collection())
        .isEqualTo(StoreSettings.DEFAULT_COLLECTION);
    assertThatThrownBy(
            () -> StoreSettings.fromEnvironment(dataDir, Map.of("MILVUS_COLLECTION", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MILVUS_URI");
  }

  @Test
  void durationsParseInTheUsualForms() {
    assertThat(StoreSettings.parseDuration("3600")).isEqualTo(Duration.ofHours(1));
    assertThat(StoreSettings.parseDuration("90m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(StoreSettings.parseDuration("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(StoreSettings.parseDuration("P7D")).isEqualTo(Duration.ofDays(7));
    assertThatThrownBy(() -> StoreSettings.parseDuration("soon"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void oneRetentionSettingReachesEveryStore(@TempDir Path dataDir) {
    assertThat(
            StoreSettings.fromEnvironment(dataDir, Map.of("DISTILLGUARD_RETENTION", "30d"))
                .retention())
        .isEqualTo(Duration.ofDays(30));
    assertThat(
            StoreSettings.fromEnvironment(
                    dataDir, Map.of("DISTILLGUARD_RETENTION", "30d", "MILVUS_URI", "http://h:1"))
                .retention())
        .isEqualTo(Duration.ofDays(30));
    assertThat(
            StoreSettings.fromEnvironment(
                    dataDir,
                    Map.of(
                        "DISTILLGUARD_RETENTION",
                        "30d",
                        "MILVUS_URI",
                        "http://h:1",
                        "MILVUS_TTL",
                        "7d"))
                .retention())
        .isEqualTo(Duration.ofDays(7));
    assertThat(StoreSettings.fromEnvironment(dataDir, Map.of()).retention()).isNull();
  }
}
