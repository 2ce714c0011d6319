package io.distillguard.bench;

import static io.distillguard.bench.HostProbes.seconds;
import static io.distillguard.bench.HostProbes.usedHeap;
import static io.distillguard.bench.VectorStoreLoad.DIM;
import static io.distillguard.bench.VectorStoreLoad.QUERIES;

import io.distillguard.store.QueryRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The baseline of {@link VectorStoreBenchmark}, measured in the same run: an in-memory map of
 * float32 vectors per account answered by an exact scan (what you would write first; it persists
 * nothing). Its top 10s are the reference the store's results are checked against.
 *
 * @param ingestRate records put into the map per second
 * @param search per-account top-10 latencies (ns)
 * @param expected each query's exact per-account top 10 (event ids)
 * @param filteredSearch filtered top-10 latencies (ns)
 * @param expectedFiltered each query's exact filtered top 10
 * @param global unfiltered top-10 latencies over all records (ns), 20 queries
 * @param vectorBytes the float32 vectors' bytes (the prompts are shared with the store's input)
 */
record NaiveVectorScan(
    double ingestRate,
    long[] search,
    List<List<String>> expected,
    long[] filteredSearch,
    List<List<String>> expectedFiltered,
    long[] global,
    long vectorBytes) {

  /** Loads the map and runs every query against it. */
  static NaiveVectorScan measure(VectorStoreLoad load) {
    List<QueryRecord> data = load.data();
    int records = data.size();
    System.gc();
    usedHeap();
    long t = System.nanoTime();
    Map<String, List<QueryRecord>> naive = new HashMap<>();
    for (QueryRecord r : data) {
      naive.computeIfAbsent(r.accountId(), a -> new ArrayList<>()).add(r);
    }
    double ingest = records / seconds(t);
    long[] search = new long[QUERIES];
    List<List<String>> expected = new ArrayList<>();
    for (int q = 0; q < QUERIES; q++) {
      long s = System.nanoTime();
      expected.add(top(naive.get(load.queryAccounts()[q]), load.queryVectors()[q], 10));
      search[q] = System.nanoTime() - s;
    }
    long[] filtered = new long[QUERIES];
    List<List<String>> expectedFiltered = new ArrayList<>();
    for (int q = 0; q < QUERIES; q++) {
      long s = System.nanoTime();
      List<QueryRecord> matching = new ArrayList<>();
      for (QueryRecord r : naive.get(load.queryAccounts()[q])) {
        if (load.filtered()[q].matches(r)) {
          matching.add(r);
        }
      }
      expectedFiltered.add(top(matching, load.queryVectors()[q], 10));
      filtered[q] = System.nanoTime() - s;
    }
    long[] global = new long[20];
    List<QueryRecord> everything = new ArrayList<>(data);
    for (int q = 0; q < global.length; q++) {
      long s = System.nanoTime();
      top(everything, load.queryVectors()[q], 10);
      global[q] = System.nanoTime() - s;
    }
    long vectorBytes = (long) records * (16 + 4L * DIM);
    return new NaiveVectorScan(
        ingest, search, expected, filtered, expectedFiltered, global, vectorBytes);
  }

  /** The exact cosine top {@code k} of {@code records} for {@code q}, ties by event id. */
  static List<String> top(List<QueryRecord> records, float[] q, int k) {
    PriorityQueue<Map.Entry<String, Double>> top =
        new PriorityQueue<>(
            Comparator.comparingDouble((Map.Entry<String, Double> e) -> e.getValue())
                .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()));
    double qn = 0;
    for (float x : q) {
      qn += (double) x * x;
    }
    for (QueryRecord r : records) {
      float[] v = r.embedding();
      double dot = 0;
      double vn = 0;
      for (int i = 0; i < v.length; i++) {
        dot += (double) q[i] * v[i];
        vn += (double) v[i] * v[i];
      }
      top.add(Map.entry(r.eventId(), dot / Math.sqrt(qn * vn)));
      if (top.size() > k) {
        top.poll();
      }
    }
    List<Map.Entry<String, Double>> sorted = new ArrayList<>(top);
    sorted.sort(
        Comparator.comparingDouble((Map.Entry<String, Double> e) -> -e.getValue())
            .thenComparing(Map.Entry::getKey));
    return sorted.stream().map(Map.Entry::getKey).toList();
  }
}
