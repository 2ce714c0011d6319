package io.distillguard.embedding;

import java.util.List;

/**
 * Turns texts into L2-normalised vectors. The port between the detection logic and whatever model
 * runs underneath; implementations must be safe to call from several threads at once.
 */
public interface TextEmbedder extends AutoCloseable {

  /** The length of every vector this embedder returns. */
  int dimension();

  /**
   * Embeds a batch of texts; the result has one L2-normalised vector per text, in order.
   *
   * @throws IllegalArgumentException if a text is null
   */
  List<float[]> embedAll(List<String> texts);

  /** Embeds one text. */
  default float[] embed(String text) {
    return embedAll(List.of(text)).get(0);
  }

  @Override
  default void close() {}
}
