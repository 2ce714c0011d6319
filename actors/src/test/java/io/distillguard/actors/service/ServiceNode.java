package io.distillguard.actors.service;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.ClusterSettings;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A single-node service on its own embedded vector store and embedder, closed together: the service
 * first, then the embedder, then the store.
 */
record ServiceNode(VectorStore store, MiniLmEmbedder embedder, ActorService service)
    implements AutoCloseable {

  /**
   * Opens the store {@code <name>-store} and starts a local service on the data dir {@code
   * <name>-data} (both in {@code dir}), its HTTP API on 127.0.0.1 with no token, with {@code
   * settings} applied on top.
   */
  static ServiceNode start(Path dir, String name, UnaryOperator<ActorSettings> settings)
      throws Exception {
    VectorStore store = VectorStores.open(StoreSettings.embedded(dir.resolve(name + "-store")));
    try {
      MiniLmEmbedder embedder = MiniLmEmbedder.create(EmbedderSettings.DEFAULT);
      try {
        ActorService service =
            ActorService.start(
                settings.apply(
                    ActorSettings.defaults(dir.resolve(name + "-data"))
                        .withHttp("127.0.0.1", 0, null)),
                ClusterSettings.local(),
                store,
                embedder);
        return new ServiceNode(store, embedder, service);
      } catch (Exception | Error e) {
        embedder.close();
        throw e;
      }
    } catch (Exception | Error e) {
      store.close();
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    try (store;
        embedder;
        service) {
      // closed in reverse order: service, embedder, store
    }
  }
}
