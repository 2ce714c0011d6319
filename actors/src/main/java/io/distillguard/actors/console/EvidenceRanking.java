package io.distillguard.actors.console;

import io.distillguard.signals.AccountSignals;
import io.distillguard.store.QueryRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders an account's stored prompts by how much each weighs as evidence of use beyond the stated
 * one: distance from the stated use (1 - cosine similarity) plus one for a category the stated use
 * makes unlikely. The reasons say which of the two held, in words a reviewer reads. Pure.
 */
public final class EvidenceRanking {

  /** One prompt with its weight and why it weighs. */
  public record Ranked(
      QueryRecord record, double weight, boolean farFromStatedUse, boolean unexpected) {}

  private EvidenceRanking() {}

  /**
   * The {@code limit} records that weigh most, heaviest first (newer first among equals).
   *
   * @param unexpected per category of {@code categories}, whether the stated use makes it unlikely;
   *     null without a profile (then only the distance counts, and it means little)
   */
  public static List<Ranked> top(
      List<QueryRecord> records, List<String> categories, boolean[] unexpected, int limit) {
    List<Ranked> out = new ArrayList<>(records.size());
    for (QueryRecord r : records) {
      int i = categories.indexOf(r.category());
      boolean unexpectedCategory = unexpected != null && i >= 0 && unexpected[i];
      boolean far =
          unexpected != null && r.statedUseSimilarity() < AccountSignals.OFF_STATED_USE_SIMILARITY;
      double weight = (1.0 - r.statedUseSimilarity()) + (unexpectedCategory ? 1.0 : 0.0);
      out.add(new Ranked(r, weight, far, unexpectedCategory));
    }
    out.sort(
        Comparator.comparingDouble(Ranked::weight)
            .reversed()
            .thenComparing(r -> -r.record().timestampMillis()));
    return List.copyOf(out.subList(0, Math.min(limit, out.size())));
  }
}
