package io.distillguard.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded vector store under an ingest-shaped load, next to a naive baseline measured in the
 * same run: an in-memory map of float32 vectors per account answered by an exact scan (what you
 * would write first; it persists nothing).
 *
 * <p>Load ({@link VectorStoreLoad}): {@code records} 384-d vectors over {@code accounts} accounts,
 * clustered like sentence embeddings (64 topic centres, each account favouring three topics), with
 * real prompts from the datasets folder ({@link Datasets}) as the stored text. Measures ({@link
 * EmbeddedStoreMeasurement}) upsert throughput (batches of 500, as the Flink sink writes),
 * per-account search latency (top 10), newest-first query latency (20), unfiltered search latency,
 * reopen time, bytes on disk per record and heap, and checks that the store's top 10 equals the
 * baseline's ({@link NaiveVectorScan}) exact top 10; {@link VectorStoreReport} writes the table.
 *
 * <p>Usage: {@code VectorStoreBenchmark [records] [accounts] [output.md]} (defaults 100000, 1000,
 * {@code bench/results/vector-store.md}), run from the repository root.
 */
public final class VectorStoreBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(VectorStoreBenchmark.class);

  private VectorStoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int accounts = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    Path out = Path.of(args.length > 2 ? args[2] : "bench/results/vector-store.md");

    List<String> prompts = VectorStoreLoad.loadPrompts(Datasets.locate(null), records);
    VectorStoreLoad load = VectorStoreLoad.generate(records, accounts, prompts);
    LOG.info(
        "Generated {} records over {} accounts ({} real prompts)",
        records,
        accounts,
        prompts.size());

    NaiveVectorScan naive = NaiveVectorScan.measure(load);
    EmbeddedStoreMeasurement store = EmbeddedStoreMeasurement.measure(load, naive);

    String md = VectorStoreReport.markdown(load, naive, store);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, md, StandardCharsets.UTF_8);
    LOG.info("Wrote {}:\n{}", out, md);
  }
}
