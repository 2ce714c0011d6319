package io.distillguard.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The vector-store contract against the embedded on-disk store. */
class EmbeddedVectorStoreTest extends VectorStoreContract {

  @TempDir Path dataDir;

  @Override
  protected VectorStore openStore() {
    return EmbeddedVectorStore.open(StoreSettings.embedded(dataDir));
  }
}
