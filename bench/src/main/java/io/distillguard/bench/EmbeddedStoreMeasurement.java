package io.distillguard.bench;

import static io.distillguard.bench.HostProbes.cpuNanos;
import static io.distillguard.bench.HostProbes.loadAverage;
import static io.distillguard.bench.HostProbes.seconds;
import static io.distillguard.bench.HostProbes.usedHeap;
import static io.distillguard.bench.VectorStoreLoad.QUERIES;

import io.distillguard.store.EmbeddedVectorStore;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.ScoredRecord;
import io.distillguard.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The embedded vector store under {@link VectorStoreBenchmark}'s load, in a folder of its own
 * (deleted at the end): upserts in batches of {@link #BATCH} as the Flink sink writes, a flush, a
 * replay of 10,000 stored events, the per-account, filtered, newest-first and unfiltered queries
 * (results checked against the baseline's exact top 10s), then a reopen.
 *
 * @param ingestSeconds wall time of the upserts
 * @param ingestCpuSeconds CPU time of the writing thread during the upserts
 * @param flushMs the flush (fsync) after the upserts
 * @param heap heap the store holds after the upserts
 * @param diskBytes bytes of the store's vector files
 * @param replaySeconds the upsert of 10,000 events already stored
 * @param count records after the upserts and the replay
 * @param search per-account top-10 latencies (ns)
 * @param exact per-account top 10s equal to the baseline's
 * @param filteredSearch filtered top-10 latencies (ns)
 * @param exactFiltered filtered top 10s equal to the baseline's
 * @param query per-account newest-20 latencies (ns)
 * @param global unfiltered top-10 latencies (ns), 20 queries
 * @param reopenMs wall time of the reopen (replay and index rebuild)
 * @param reopenCpuMs CPU time of the reopen
 * @param reopenedCount records after the reopen
 * @param loadBefore the machine's load average before the upserts
 * @param loadAfter the machine's load average after the reopen
 */
record EmbeddedStoreMeasurement(
    double ingestSeconds,
    double ingestCpuSeconds,
    double flushMs,
    long heap,
    long diskBytes,
    double replaySeconds,
    long count,
    long[] search,
    int exact,
    long[] filteredSearch,
    int exactFiltered,
    long[] query,
    long[] global,
    double reopenMs,
    double reopenCpuMs,
    long reopenedCount,
    String loadBefore,
    String loadAfter) {

  /** Records per upsert, as the Flink sink writes them. */
  static final int BATCH = 500;

  /** Runs the load through a new store and checks its results against {@code baseline}. */
  static EmbeddedStoreMeasurement measure(VectorStoreLoad load, NaiveVectorScan baseline)
      throws IOException {
    List<QueryRecord> data = load.data();
    int records = data.size();
    float[][] queryVectors = load.queryVectors();
    String[] queryAccounts = load.queryAccounts();
    Path dir = Files.createTempDirectory("dg-vector-bench");
    StoreSettings settings = StoreSettings.embedded(dir);
    EmbeddedVectorStore store = EmbeddedVectorStore.open(settings);
    System.gc();
    long heapBefore = usedHeap();
    String loadBefore = loadAverage();
    long t = System.nanoTime();
    long ingestCpu = cpuNanos();
    for (int i = 0; i < records; i += BATCH) {
      store.upsert(data.subList(i, Math.min(records, i + BATCH)));
    }
    double ingestSeconds = seconds(t);
    double ingestCpuSeconds = (cpuNanos() - ingestCpu) / 1e9;
    long f = System.nanoTime();
    store.flush();
    double flushMs = (System.nanoTime() - f) / 1e6;
    System.gc();
    long storeHeap = usedHeap() - heapBefore;
    long disk = directoryBytes(dir.resolve("vectors"));
    long replay = System.nanoTime();
    store.upsert(data.subList(0, 10_000)); // a replay after a restart: must not duplicate
    double replaySeconds = seconds(replay);
    long count = store.count(RecordFilter.all());

    // warm-up, then measure
    for (int q = 0; q < 300; q++) {
      store.search(queryVectors[q], RecordFilter.account(queryAccounts[q]), 10);
    }
    long[] search = new long[QUERIES];
    int exact = 0;
    for (int q = 0; q < QUERIES; q++) {
      long s = System.nanoTime();
      List<ScoredRecord> hits =
          store.search(queryVectors[q], RecordFilter.account(queryAccounts[q]), 10);
      search[q] = System.nanoTime() - s;
      if (eventIds(hits).equals(baseline.expected().get(q))) {
        exact++;
      }
    }
    long[] filteredSearch = new long[QUERIES];
    int exactFiltered = 0;
    for (int q = 0; q < QUERIES; q++) {
      long s = System.nanoTime();
      List<ScoredRecord> hits = store.search(queryVectors[q], load.filtered()[q], 10);
      filteredSearch[q] = System.nanoTime() - s;
      if (eventIds(hits).equals(baseline.expectedFiltered().get(q))) {
        exactFiltered++;
      }
    }
    long[] query = new long[QUERIES];
    for (int q = 0; q < QUERIES; q++) {
      long s = System.nanoTime();
      store.query(RecordFilter.account(queryAccounts[q]), 20);
      query[q] = System.nanoTime() - s;
    }
    long[] global = new long[20];
    for (int q = 0; q < global.length; q++) {
      long s = System.nanoTime();
      store.search(queryVectors[q], RecordFilter.all(), 10);
      global[q] = System.nanoTime() - s;
    }
    store.compact(); // drops the replayed duplicates' superseded versions before the reopen
    store.close();
    long r0 = System.nanoTime();
    long reopenCpu = cpuNanos();
    EmbeddedVectorStore reopened = EmbeddedVectorStore.open(settings);
    double reopenMs = (System.nanoTime() - r0) / 1e6;
    double reopenCpuMs = (cpuNanos() - reopenCpu) / 1e6;
    String loadAfter = loadAverage();
    long reopenedCount = reopened.count(RecordFilter.all());
    reopened.close();
    WorkDirs.delete(dir);
    return new EmbeddedStoreMeasurement(
        ingestSeconds,
        ingestCpuSeconds,
        flushMs,
        storeHeap,
        disk,
        replaySeconds,
        count,
        search,
        exact,
        filteredSearch,
        exactFiltered,
        query,
        global,
        reopenMs,
        reopenCpuMs,
        reopenedCount,
        loadBefore,
        loadAfter);
  }

  private static List<String> eventIds(List<ScoredRecord> hits) {
    return hits.stream().map(h -> h.record().eventId()).toList();
  }

  private static long directoryBytes(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      long total = 0;
      for (Path p : s.toList()) {
        total += Files.size(p);
      }
      return total;
    }
  }
}
