package io.distillguard.ingest.store;

import io.distillguard.store.StoreSettings;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@link StoreSettings} in a form that travels inside a serialized Flink sink ({@code Path} is not
 * serializable). The Milvus token is deliberately not carried: it is read from {@code MILVUS_TOKEN}
 * on the TaskManager, so the secret never lands in the job graph.
 */
record StoreTarget(
    StoreSettings.Backend backend,
    String dataDir,
    String milvusUri,
    String collection,
    Duration retention,
    int dimension,
    Duration connectTimeout,
    Duration rpcDeadline,
    boolean hasToken)
    implements Serializable {

  static StoreTarget of(StoreSettings s) {
    return new StoreTarget(
        s.backend(),
        s.dataDir() == null ? null : s.dataDir().toString(),
        s.milvusUri(),
        s.collection(),
        s.retention(),
        s.dimension(),
        s.connectTimeout(),
        s.rpcDeadline(),
        s.milvusToken() != null);
  }

  StoreSettings toSettings() {
    String token = hasToken ? System.getenv("MILVUS_TOKEN") : null;
    return new StoreSettings(
        backend,
        dataDir == null ? null : Path.of(dataDir),
        milvusUri,
        token,
        collection,
        retention,
        dimension,
        connectTimeout,
        rpcDeadline);
  }
}
