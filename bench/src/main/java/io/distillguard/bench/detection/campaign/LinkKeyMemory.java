package io.distillguard.bench.detection.campaign;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Heap cost of tracking link keys, measured as the retained heap of many copies after full
 * collections: the detector's bounded per-key member table against an unbounded table of every
 * account seen on the key (the baseline, what a naive member list costs), at 1k, 10k and 100k
 * accounts per key.
 */
final class LinkKeyMemory {

  /**
   * One measurement.
   *
   * @param subject what was measured
   * @param accountsPerKey accounts that joined each key
   * @param bytesPerKey retained heap bytes per key
   * @param estimatedBytesPerKey the subject's own estimate, or -1
   */
  record Row(String subject, int accountsPerKey, double bytesPerKey, double estimatedBytesPerKey) {}

  /** Builds {@code copies} keys of one subject, each joined by {@code accounts} accounts. */
  interface Subject {
    String name();

    Object build(int copy, int accounts);

    /** The subject's own estimate of one built key, or -1. */
    long estimate(Object built);

    /** How many keys to build at once (enough for the heap difference to rise above noise). */
    default int copies(int accounts) {
      return 50;
    }
  }

  private LinkKeyMemory() {}

  static List<Row> measure(List<Subject> subjects, int[] accountsPerKey) {
    List<Row> rows = new ArrayList<>();
    for (int accounts : accountsPerKey) {
      for (Subject s : subjects) {
        int n = s.copies(accounts);
        long before = usedAfterGc();
        List<Object> keep = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
          keep.add(s.build(c, accounts));
        }
        long after = usedAfterGc();
        long estimate = s.estimate(keep.get(0));
        rows.add(new Row(s.name(), accounts, (double) (after - before) / n, estimate));
        keep.clear();
      }
    }
    return rows;
  }

  /** The baseline: every account seen on the key, with first and last seen times. */
  static Subject unboundedBaseline() {
    return new Subject() {
      @Override
      public String name() {
        return "baseline: unbounded member map";
      }

      @Override
      public Object build(int copy, int accounts) {
        Map<String, long[]> members = new LinkedHashMap<>();
        for (int i = 0; i < accounts; i++) {
          members.put(accountId(copy, i), new long[] {i, i});
        }
        return members;
      }

      @Override
      public long estimate(Object built) {
        return -1;
      }

      @Override
      public int copies(int accounts) {
        return Math.max(2, 400_000 / accounts);
      }
    };
  }

  /** An account id like the benchmark's own ({@code acct-} and 12 hex digits). */
  static String accountId(int copy, int i) {
    return String.format("acct-%04x%08x", copy & 0xffff, i);
  }

  private static long usedAfterGc() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
