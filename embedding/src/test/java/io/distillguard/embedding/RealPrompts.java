package io.distillguard.embedding;

import io.distillguard.fixtures.PromptSamples;
import java.util.ArrayList;
import java.util.List;

/** Human-written prompts from the repository's own samples ({@link PromptSamples}). */
final class RealPrompts {

  private RealPrompts() {}

  /** The first {@code limit} texts of a sampled source, e.g. {@code "gsm8k"}. */
  static List<String> first(String dataset, int limit) {
    return PromptSamples.texts(dataset, limit);
  }

  /**
   * A mix of short (banking77, clinc150) and long (gsm8k, mmlu, self-instruct user-oriented)
   * prompts.
   */
  static List<String> mixed(int perDataset) {
    List<String> texts = new ArrayList<>();
    for (String dataset :
        List.of("banking77", "self_instruct_user_oriented", "gsm8k", "mmlu", "clinc150")) {
      texts.addAll(first(dataset, perDataset));
    }
    return texts;
  }

  static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}
