package io.distillguard.store;

import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.exception.MilvusClientException;
import java.util.function.Supplier;

/**
 * Runs Milvus client calls on one collection, rethrowing every gRPC or client failure as a {@link
 * VectorStoreException} that names the operation, the collection, the URI and what to check.
 */
final class MilvusCalls {

  private final StoreSettings settings;

  MilvusCalls(StoreSettings settings) {
    this.settings = settings;
  }

  <T> T call(String what, Supplier<T> op) {
    try {
      return op.get();
    } catch (StatusRuntimeException | MilvusClientException e) {
      throw new VectorStoreException(
          "Milvus "
              + what
              + " on collection "
              + settings.collection()
              + " at "
              + settings.milvusUri()
              + " failed: "
              + e.getMessage()
              + " (check that the server is up and MILVUS_URI / MILVUS_TOKEN are right)",
          e);
    }
  }

  void call(String what, Runnable op) {
    call(
        what,
        () -> {
          op.run();
          return null;
        });
  }
}
