package io.distillguard.launcher;

import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.ingest.enrich.PreambleMetadata;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.ScoredRecord;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./distillguard evidence}: an account's stored queries from the vector store, newest first
 * or nearest to a text. Reads Milvus when {@code MILVUS_URI} is set, else the embedded store.
 */
@Command(
    name = "evidence",
    mixinStandardHelpOptions = true,
    description = "Shows an account's stored queries, newest first or nearest to --near TEXT.")
final class EvidenceCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--account", required = true, description = "The account id.")
  String account;

  @Option(names = "--near", description = "Order by similarity to this text.")
  String near;

  @Option(names = "--from", description = "Earliest event time (RFC 3339).")
  String from;

  @Option(names = "--to", description = "Latest event time (RFC 3339).")
  String to;

  @Option(names = "--category", description = "Only this capability category.")
  String category;

  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "At most this many rows (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--data-dir",
      defaultValue = ".distillguard/data",
      description = "The data dir of the embedded store (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    RecordFilter filter;
    try {
      filter =
          RecordFilter.account(account)
              .withTimeRange(millis(from), millis(to))
              .withCategory(category);
    } catch (DateTimeParseException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("evidence: " + e.getMessage());
      return 2;
    }
    try (VectorStore store = VectorStores.open(StoreSettings.fromEnvironment(dataDir))) {
      long total = store.count(filter);
      out.printf("account %s: %d stored queries match%n", account, total);
      if (near == null) {
        List<QueryRecord> rows = store.query(filter, limit);
        out.printf("%-24s  %-22s  %-28s  %s%n", "time", "category", "event id", "prompt");
        for (QueryRecord r : rows) {
          out.printf(
              "%-24s  %-22s  %-28s  %s%n",
              Instant.ofEpochMilli(r.timestampMillis()), r.category(), r.eventId(), shown(r));
        }
      } else {
        float[] vector;
        try (MiniLmEmbedder embedder = MiniLmEmbedder.create(EmbedderSettings.DEFAULT)) {
          vector = embedder.embed(near);
        }
        List<ScoredRecord> rows = store.search(vector, filter, limit);
        out.printf(
            "%-6s  %-24s  %-22s  %-28s  %s%n", "score", "time", "category", "event id", "prompt");
        for (ScoredRecord s : rows) {
          QueryRecord r = s.record();
          out.printf(
              "%-6.3f  %-24s  %-22s  %-28s  %s%n",
              s.score(),
              Instant.ofEpochMilli(r.timestampMillis()),
              r.category(),
              r.eventId(),
              shown(r));
        }
      }
      return 0;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("evidence: " + e.getMessage());
      return 1;
    }
  }

  private static Long millis(String rfc3339) {
    return rfc3339 == null ? null : Instant.parse(rfc3339).toEpochMilli();
  }

  /**
   * The stored prompt on one line; a payload stored after its account's scaffold is marked with the
   * scaffold's id (its text is in the metadata of the first record of that scaffold version).
   */
  private static String shown(QueryRecord r) {
    String preambleId = r.metadata().get(PreambleMetadata.PREAMBLE_ID);
    return preambleId == null
        ? oneLine(r.prompt())
        : "[preamble " + preambleId + "] " + oneLine(r.prompt());
  }

  private static String oneLine(String prompt) {
    if (prompt == null) {
      return "(embedding only)";
    }
    String flat = prompt.replaceAll("\\s+", " ");
    return flat.length() <= 100 ? flat : flat.substring(0, 97) + "...";
  }
}
