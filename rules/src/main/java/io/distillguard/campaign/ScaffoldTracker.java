package io.distillguard.campaign;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which prompt scaffold dominates one account's traffic. A scaffold links accounts only once it is
 * the account's habit (at least {@value #MIN_USES} uses and {@value #MIN_SHARE} of its queries): a
 * campaign wraps nearly every query in its template, while the shapes of free-form questions ("how
 * do I ...?") come and go. Counts are kept for at most {@value #SLOTS} scaffolds (space-saving: a
 * new one replaces the least used), so the tracker is bounded. Not thread-safe.
 */
public final class ScaffoldTracker {

  static final int SLOTS = 8;
  static final int MIN_USES = 3;
  static final double MIN_SHARE = 0.3;

  private final Map<LinkKey, Long> counts = new HashMap<>();
  private long total;

  /**
   * Counts one query's scaffold keys (none, or its literal head and tail); returns those that are
   * (or have once been) the account's dominant scaffold, so the caller links the account through
   * them.
   */
  public List<LinkKey> record(List<LinkKey> scaffolds) {
    total++;
    if (scaffolds.isEmpty()) {
      return List.of();
    }
    List<LinkKey> out = new ArrayList<>(scaffolds.size());
    for (LinkKey k : scaffolds) {
      if (count(k)) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * Counts one query's scaffold; returns it when it is (or has once been) the account's dominant
   * scaffold, else null.
   */
  public LinkKey record(LinkKey scaffold) {
    List<LinkKey> d = record(scaffold == null ? List.of() : List.of(scaffold));
    return d.isEmpty() ? null : d.get(0);
  }

  private boolean count(LinkKey scaffold) {
    Long c = counts.get(scaffold);
    if (c == null) {
      if (counts.size() >= SLOTS) {
        LinkKey least = null;
        long min = Long.MAX_VALUE;
        for (Map.Entry<LinkKey, Long> e : counts.entrySet()) {
          if (Math.abs(e.getValue()) < min) {
            min = Math.abs(e.getValue());
            least = e.getKey();
          }
        }
        counts.remove(least);
        c = min;
      } else {
        c = 0L;
      }
    }
    // A negative count marks a scaffold already reported as dominant.
    boolean reported = c < 0;
    long next = Math.abs(c) + 1;
    boolean dominant = next >= MIN_USES && next >= MIN_SHARE * total;
    counts.put(scaffold, reported || dominant ? -next : next);
    return dominant || reported;
  }
}
