package io.distillguard.campaign;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleBiFunction;

/**
 * The campaign signals read from pairs of members ({@link CampaignSignals#PAIRWISE_OVERLAP}, {@link
 * CampaignSignals#DISJOINT_PAIR_SHARE}, {@link CampaignSignals#STATED_USE_OVERLAP}), over a
 * deterministic sample of the pairs, so a campaign of 25,000 members (312 million pairs) costs what
 * one of a few dozen does.
 */
final class MemberPairs {

  /** Member pairs sampled at most. */
  static final int MAX = 400;

  /**
   * Two members' histograms intersecting less than this are near-disjoint slices ({@link
   * CampaignSignals#DISJOINT_PAIR_SHARE}): at most a quarter of either's traffic where the other
   * asks.
   */
  static final double DISJOINT_BELOW = 0.5;

  /**
   * A member counts towards {@link CampaignSignals#DISJOINT_PAIR_SHARE} from this many queries: two
   * members with a handful of queries each look disjoint by chance.
   */
  static final long MIN_SLICE_QUERIES = 40;

  private MemberPairs() {}

  /**
   * Mean of {@code measure} over the pairs of {@code items} that {@link #sampled} gives; {@code
   * none} when there is no pair.
   */
  static <T> double mean(List<T> items, ToDoubleBiFunction<T, T> measure, double none) {
    int[][] pairs = sampled(items.size());
    if (pairs.length == 0) {
      return none;
    }
    double sum = 0;
    for (int[] p : pairs) {
      sum += measure.applyAsDouble(items.get(p[0]), items.get(p[1]));
    }
    return sum / pairs.length;
  }

  /**
   * The pairs {@code (i, j)}, {@code i < j}, of {@code n} items that the pair signals measure: a
   * deterministic sample of at most {@value #MAX}, every step-th pair in the order (0,1), (0,2),
   * ..., (0,n-1), (1,2), ..., with {@code step = max(1, pairs / MAX)}. Each is found from its index
   * by walking the rows once, so the cost is O(n + MAX) however many pairs there are.
   */
  static int[][] sampled(int n) {
    if (n < 2) {
      return new int[0][];
    }
    long pairs = (long) n * (n - 1) / 2;
    long step = Math.max(1, pairs / MAX);
    int count = (int) Math.min(MAX, (pairs + step - 1) / step);
    int[][] out = new int[count][];
    int i = 0;
    long rowStart = 0; // the index of the pair (i, i + 1)
    for (int k = 0; k < count; k++) {
      long index = k * step;
      while (index >= rowStart + (n - 1 - i)) {
        rowStart += n - 1 - i;
        i++;
      }
      out[k] = new int[] {i, (int) (i + 1 + (index - rowStart))};
    }
    return out;
  }

  /** Mean histogram intersection over pairs, a deterministic sample of at most {@link #MAX}. */
  static double overlap(List<MemberSummary> list) {
    List<MemberSummary> active = list.stream().filter(m -> m.queries() > 0).toList();
    return mean(active, MemberPairs::intersection, 0);
  }

  /**
   * Share of the pairs of members with at least MIN_SLICE_QUERIES queries each that ask
   * near-disjoint slices ({@link #disjoint}; a deterministic sample of at most {@link #MAX} pairs);
   * 0 when fewer than two members have that many queries.
   */
  static double disjointShare(List<MemberSummary> list) {
    List<MemberSummary> sliced =
        list.stream().filter(m -> m.queries() >= MIN_SLICE_QUERIES).toList();
    return mean(sliced, (a, b) -> disjoint(a, b) ? 1 : 0, 0);
  }

  /**
   * Whether two members ask near-disjoint slices: their histograms intersect less than
   * DISJOINT_BELOW, and less than that share of either one's queries falls in the categories the
   * other asked twice or more. The intersection of two sparse histograms is small by chance (40
   * queries over 20 categories meet in few of them even when drawn alike); the categories another
   * member asked repeatedly fill in fast and say where its slice is.
   */
  private static boolean disjoint(MemberSummary a, MemberSummary b) {
    return intersection(a, b) < DISJOINT_BELOW
        && shareIn(a, b) < DISJOINT_BELOW
        && shareIn(b, a) < DISJOINT_BELOW;
  }

  /** Share of {@code a}'s queries in categories {@code b} asked at least twice. */
  private static double shareIn(MemberSummary a, MemberSummary b) {
    long in = 0;
    for (Map.Entry<String, Long> e : a.categories().entrySet()) {
      Long other = b.categories().get(e.getKey());
      if (other != null && other >= 2) {
        in += e.getValue();
      }
    }
    return (double) in / a.queries();
  }

  private static double intersection(MemberSummary a, MemberSummary b) {
    // Σ min(a_i / A, b_i / B) as Σ min(a_i B, b_i A) / (A B): exact integers until the one
    // division, so the result does not depend on the order the categories come in.
    long s = 0;
    for (Map.Entry<String, Long> e : a.categories().entrySet()) {
      Long other = b.categories().get(e.getKey());
      if (other != null) {
        s += Math.min(e.getValue() * b.queries(), other * a.queries());
      }
    }
    return (double) s / ((double) a.queries() * b.queries());
  }

  /**
   * Mean Jaccard overlap of the members' expected category sets over pairs that both state a use (a
   * deterministic sample of at most MAX); 1 when fewer than two members state one.
   */
  static double statedUseOverlap(List<MemberSummary> list) {
    List<Set<String>> sets =
        list.stream().map(MemberSummary::expectedCategories).filter(s -> !s.isEmpty()).toList();
    return mean(sets, MemberPairs::jaccard, 1);
  }

  private static double jaccard(Set<String> a, Set<String> b) {
    int both = 0;
    for (String c : a) {
      if (b.contains(c)) {
        both++;
      }
    }
    return (double) both / (a.size() + b.size() - both);
  }
}
