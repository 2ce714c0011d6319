package io.distillguard.bench.throughput;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The throughput benchmarks' timing loop: every variant runs once per round, in the same order in
 * every round, so a change in the shared machine's load falls on all of them alike and their ratios
 * stay comparable.
 */
final class Rounds {

  /** One timed run of a variant. */
  @FunctionalInterface
  interface Run<V, R> {
    R run(V variant, int round) throws Exception;
  }

  private Rounds() {}

  /** Each variant's results, in round order, keyed in {@code variants}' order. */
  static <V, R> Map<V, List<R>> alternate(int rounds, List<V> variants, Run<V, R> run)
      throws Exception {
    Map<V, List<R>> results = new LinkedHashMap<>();
    variants.forEach(v -> results.put(v, new ArrayList<>()));
    for (int round = 0; round < rounds; round++) {
      for (V v : variants) {
        results.get(v).add(run.run(v, round));
      }
    }
    return results;
  }
}
