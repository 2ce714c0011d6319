package io.distillguard.campaign;

import java.util.List;
import java.util.Map;

/**
 * Each member's categorised queries off and in its own stated use (every one off it for a member
 * that states no use), in the members' order: what the three off-use signals ({@link
 * CampaignSignals#MEMBER_UNEXPECTED_SHARE}, {@link CampaignSignals#OFF_USE_QUERIES}, {@link
 * CampaignSignals#OFF_USE_EVIDENCE}) read, counted once.
 */
final class MemberOffUse {

  /**
   * Share of a sweeping member's queries off its stated use, and of an app's that keeps to it (the
   * taxonomy's expectation of a stated use is rough: members asking what they said they would show
   * 0.3-0.6 off it), for {@link CampaignSignals#OFF_USE_EVIDENCE}.
   */
  static final double SWEEP_OFF_USE = 0.85;

  /** See {@link #SWEEP_OFF_USE}. */
  static final double APP_OFF_USE = 0.4;

  private final long[] off;
  private final long[] in;

  private MemberOffUse(long[] off, long[] in) {
    this.off = off;
    this.in = in;
  }

  static MemberOffUse of(List<MemberSummary> list) {
    long[] off = new long[list.size()];
    long[] in = new long[list.size()];
    for (int i = 0; i < list.size(); i++) {
      MemberSummary m = list.get(i);
      for (Map.Entry<String, Long> e : m.categories().entrySet()) {
        if (m.expectedCategories().contains(e.getKey())) {
          in[i] += e.getValue();
        } else {
          off[i] += e.getValue();
        }
      }
    }
    return new MemberOffUse(off, in);
  }

  /**
   * Mean over members with queries of their own off-stated-use share; a member that states no use
   * has said nothing it could keep to, so all its queries count as off it.
   */
  double memberUnexpectedShare(List<MemberSummary> list) {
    double sum = 0;
    int counted = 0;
    for (int i = 0; i < list.size(); i++) {
      long queries = list.get(i).queries();
      if (queries == 0) {
        continue;
      }
      sum += (double) off[i] / queries;
      counted++;
    }
    return counted == 0 ? 0 : sum / counted;
  }

  /**
   * Queries of all members in categories off their own stated uses (every categorised query of a
   * member that states none), as {@link #memberUnexpectedShare} counts them.
   */
  long queries() {
    long sum = 0;
    for (long o : off) {
      sum += o;
    }
    return sum;
  }

  /**
   * Log-likelihood ratio, summed over members, of their off-use and in-use query counts (as {@link
   * #queries} counts them; queries without a category count neither way) under SWEEP_OFF_USE
   * against APP_OFF_USE. Each member's counts are exact integers, so the sum does not depend on the
   * order a summary's categories come in (an immutable map's order differs from one JVM to the
   * next).
   */
  double evidence() {
    double perOff = Math.log(SWEEP_OFF_USE / APP_OFF_USE);
    double perIn = Math.log((1 - SWEEP_OFF_USE) / (1 - APP_OFF_USE));
    double llr = 0;
    for (int i = 0; i < off.length; i++) {
      llr += off[i] * perOff + in[i] * perIn;
    }
    return llr;
  }
}
