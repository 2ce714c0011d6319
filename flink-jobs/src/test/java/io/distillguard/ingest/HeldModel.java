package io.distillguard.ingest;

import io.distillguard.embedding.BatchingEmbedder;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.SharedEmbedders;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps the shared model of {@link #settings()} loaded for a whole test class: each job run's (or
 * harness's) operators acquire and release it, so without a holder every run would load it again.
 * Register it with {@code @RegisterExtension} on a static field.
 */
public final class HeldModel implements BeforeAllCallback, AfterAllCallback {

  private final EmbedderSettings settings;
  private BatchingEmbedder model;

  private HeldModel(EmbedderSettings settings) {
    this.settings = settings;
  }

  /** Holds the shared model of {@code settings} from before the first test to after the last. */
  public static HeldModel of(EmbedderSettings settings) {
    return new HeldModel(settings);
  }

  /** The settings the model is shared under (give the job the same, so it finds it loaded). */
  public EmbedderSettings settings() {
    return settings;
  }

  /** The held model; loaded between the class's first and last test. */
  public BatchingEmbedder model() {
    if (model == null) {
      throw new IllegalStateException("the model is held from before the first test only");
    }
    return model;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    model = SharedEmbedders.acquire(settings);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    model.close();
    model = null;
  }
}
