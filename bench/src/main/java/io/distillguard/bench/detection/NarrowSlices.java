package io.distillguard.bench.detection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Narrow slices of the broad capability space, each with a stated use that matches it: one mmlu
 * subject, one p3 task family, maths, code or writing. A swarm member that sends only its slice
 * looks like the app its stated use describes.
 */
public final class NarrowSlices {

  /** The instruction-following sets, in the order the traffic builders draw from them. */
  public static final List<String> INSTRUCTION_SETS =
      List.of(
          "self_instruct_seed",
          "self_instruct_user_oriented",
          "mt_bench",
          "vicuna_bench",
          "wizardlm_testset",
          "alpaca_eval_human",
          "ifeval");

  /**
   * One slice.
   *
   * @param statedUse the stated use that matches it
   * @param appName how an app of that use names itself
   * @param rows its prompts
   */
  public record Slice(String statedUse, String appName, List<PromptPool.Row> rows) {}

  private NarrowSlices() {}

  /** The slices of a split's pool, in a fixed order. */
  public static List<Slice> of(PromptPool pool) {
    List<Slice> narrowSlices = new ArrayList<>();
    Map<String, List<PromptPool.Row>> mmlu = new LinkedHashMap<>();
    pool.source("mmlu")
        .forEach(r -> mmlu.computeIfAbsent(r.domain(), k -> new ArrayList<>()).add(r));
    mmlu.forEach(
        (subject, rows) -> {
          if (rows.size() >= 60) {
            String pretty = subject.replace('_', ' ');
            narrowSlices.add(
                new Slice(
                    "Exam preparation app for "
                        + pretty
                        + ": practice questions with explanations.",
                    "a " + pretty + " study app",
                    rows));
          }
        });
    Map<String, List<PromptPool.Row>> p3 = new LinkedHashMap<>();
    pool.source("p3_t0_sample")
        .forEach(r -> p3.computeIfAbsent(r.category(), k -> new ArrayList<>()).add(r));
    // Map.of iterates in a per-JVM random order, which changed the narrow slices' order (and every
    // random draw after them) from one run to the next; a sorted map keeps a seed's traffic fixed.
    Map<String, String[]> p3Uses =
        new java.util.TreeMap<>(
            Map.of(
                "sentiment",
                    new String[] {
                      "Review analytics tool that classifies the sentiment of customer reviews.",
                      "a review analytics tool"
                    },
                "summarization",
                    new String[] {
                      "News and meeting summarisation service for our readers.",
                      "a summarisation service"
                    },
                "extractive_qa",
                    new String[] {
                      "Reading comprehension assistant that answers questions about documents.",
                      "a document Q&A tool"
                    },
                "multiple_choice_qa",
                    new String[] {
                      "Quiz and trivia app answering multiple-choice questions.", "a quiz app"
                    },
                "topic_classification",
                    new String[] {
                      "Content moderation and tagging tool that classifies articles by topic.",
                      "a tagging tool"
                    },
                "paraphrase_identification",
                    new String[] {
                      "Duplicate question detection for our Q&A forum.", "a forum tool"
                    }));
    p3Uses.forEach(
        (category, use) -> {
          List<PromptPool.Row> rows = p3.get(category);
          if (rows != null && rows.size() >= 60) {
            narrowSlices.add(new Slice(use[0], use[1], rows));
          }
        });
    List<PromptPool.Row> math = new ArrayList<>(pool.source("math"));
    math.addAll(pool.source("gsm8k"));
    narrowSlices.add(
        new Slice(AppDomain.LEGIT.get(6).statedUses().get(0), "a maths tutoring app", math));
    List<PromptPool.Row> code = new ArrayList<>(pool.source("mbpp"));
    code.addAll(pool.source("humaneval"));
    code.addAll(pool.source("conala"));
    narrowSlices.add(new Slice(AppDomain.LEGIT.get(5).statedUses().get(0), "an IDE plugin", code));
    List<PromptPool.Row> writing = new ArrayList<>();
    for (String s : INSTRUCTION_SETS) {
      writing.addAll(pool.source(s));
    }
    narrowSlices.add(
        new Slice(
            "Writing assistant for marketing and communications teams.",
            "a writing assistant",
            writing));
    return narrowSlices;
  }
}
