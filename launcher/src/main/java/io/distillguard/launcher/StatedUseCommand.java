package io.distillguard.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.enrich.QueryEnricher;
import io.distillguard.ingest.enrich.EnrichResources;
import io.distillguard.signals.AccountSignals;
import io.distillguard.signals.CategoryStats;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./distillguard stated-use TEXT...}: how the detector reads a stated use. Prints the
 * category distribution the ingest job derives from the text (the expectation every divergence
 * signal compares an account's traffic with) and the categories it counts as unexpected, with the
 * model and the taxonomy the job uses. An operator checks with it, before onboarding, what an
 * account's stated use will make look "off its use": a text the model reads narrowly makes ordinary
 * traffic look unexpected.
 */
@Command(
    name = "stated-use",
    mixinStandardHelpOptions = true,
    description =
        "Shows how a stated use is read: the category distribution the detector expects from it"
            + " and the categories it counts as unexpected.")
final class StatedUseCommand implements Callable<Integer> {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "TEXT", description = "One or more stated-use texts.")
  List<String> texts = new ArrayList<>();

  @Option(
      names = "--taxonomy",
      description =
          "A capability taxonomy file, as the ingest job's taxonomy.file (default: the built-in"
              + " one).")
  Path taxonomyFile;

  @Option(names = "--json", description = "One JSON document per text instead of a table.")
  boolean json;

  /** How one stated use is read. */
  record Reading(
      String statedUse,
      Map<String, Double> expectedShares,
      List<String> unexpected,
      double normalisedEntropy) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    for (String t : texts) {
      if (t.isBlank()) {
        spec.commandLine().getErr().println("stated-use: a stated use must not be blank");
        return 2;
      }
    }
    CapabilityTaxonomy taxonomy;
    try {
      taxonomy =
          taxonomyFile == null
              ? CapabilityTaxonomy.loadDefault()
              : CapabilityTaxonomy.load(taxonomyFile);
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("stated-use: " + e.getMessage());
      return 2;
    }
    try (MiniLmEmbedder embedder = MiniLmEmbedder.create(EmbedderSettings.DEFAULT)) {
      QueryEnricher enricher = EnrichResources.enricherFor(taxonomy, embedder);
      for (String t : texts) {
        Reading r = read(enricher, t);
        if (json) {
          out.println(JSON.writeValueAsString(r));
        } else {
          print(out, r);
        }
      }
    }
    out.flush();
    return 0;
  }

  /** The reading of {@code text}: shares by category, largest first, as the detector sees them. */
  static Reading read(QueryEnricher enricher, String text) {
    float[] shares = enricher.statedUse(text).categoryShares();
    List<String> names = enricher.categories();
    boolean[] unexpected =
        CategoryStats.unexpected(shares, names.size(), AccountSignals.UNEXPECTED_BELOW_UNIFORM);
    List<Integer> order = new ArrayList<>();
    for (int k = 0; k < shares.length; k++) {
      order.add(k);
    }
    order.sort(Comparator.comparingDouble((Integer k) -> shares[k]).reversed());
    Map<String, Double> byShare = new LinkedHashMap<>();
    List<String> off = new ArrayList<>();
    double entropy = 0;
    for (int k : order) {
      byShare.put(names.get(k), round(shares[k]));
      if (unexpected[k]) {
        off.add(names.get(k));
      }
      if (shares[k] > 0) {
        entropy -= shares[k] * Math.log(shares[k]);
      }
    }
    return new Reading(text, byShare, off, round(entropy / Math.log(shares.length)));
  }

  private static void print(PrintWriter out, Reading r) {
    out.printf("stated use: %s%n", r.statedUse());
    int k = r.expectedShares().size();
    out.printf(
        Locale.ROOT,
        "expected categories: %d of %d (normalised entropy %.2f)%n",
        k - r.unexpected().size(),
        k,
        r.normalisedEntropy());
    r.expectedShares()
        .forEach(
            (name, share) ->
                out.printf(
                    Locale.ROOT,
                    "  %-28s %6.3f%s%n",
                    name,
                    share,
                    r.unexpected().contains(name) ? "  unexpected" : ""));
    out.println();
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
