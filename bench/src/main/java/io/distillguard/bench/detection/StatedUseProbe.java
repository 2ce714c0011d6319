package io.distillguard.bench.detection;

import io.distillguard.detect.AccountDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.detect.Evaluation;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.enrich.QueryEnricher;
import io.distillguard.enrich.Vectors;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tuning aid for how a stated use is read: scores the shipped account rules (rules level, as
 * {@link PolicyHarness}) on a cached split with each account's expected category distribution
 * derived three ways, and logs per kind the accounts at REVIEW and those within max(100 queries,
 * 5%) for each. {@code shipped}: the enricher's reading (the stated use's affinity to each
 * category's centroid and description, less a generic app text's, through the softmax). {@code
 * applications}: the affinity to the mean of a few application descriptions per category ({@code
 * detection/stated-use-applications.tsv}), less the generic text's. {@code mean}: the mean of the
 * two affinities. Both alternatives go through the same softmax and floor; nothing else changes, so
 * {@code shipped} reproduces {@link PolicyHarness}'s counts.
 *
 * <p>Usage: {@code StatedUseProbe SPLIT_DIR[,EXTENSION_DIR...] [POLICY.yaml]}.
 */
public final class StatedUseProbe {

  private static final Logger LOG = LoggerFactory.getLogger(StatedUseProbe.class);

  private static final String APPLICATIONS = "detection/stated-use-applications.tsv";

  /** The readings compared. */
  enum Reading {
    SHIPPED,
    APPLICATIONS,
    MEAN
  }

  private StatedUseProbe() {}

  public static void main(String[] args) throws IOException {
    SplitObservations split = SplitObservations.readAll(args[0]);
    Policy policy = args.length > 1 ? Policy.load(Path.of(args[1])) : Policy.loadDefault();
    Map<Reading, Map<String, float[]>> shares = new EnumMap<>(Reading.class);
    try (MiniLmEmbedder embedder = MiniLmEmbedder.create(EmbedderSettings.DEFAULT)) {
      QueryEnricher enricher = QueryEnricher.create(CapabilityTaxonomy.loadDefault(), embedder);
      float[][] applications = applicationCentroids(enricher, embedder);
      float[] generic = embedder.embed(QueryEnricher.GENERIC_STATED_USE);
      Map<String, Map<Reading, float[]>> byText = new HashMap<>();
      split
          .labels()
          .forEach(
              (account, label) -> {
                Map<Reading, float[]> read =
                    byText.computeIfAbsent(
                        label.statedUse(),
                        t -> readings(enricher, embedder, applications, generic, t));
                read.forEach(
                    (r, s) -> shares.computeIfAbsent(r, x -> new HashMap<>()).put(account, s));
              });
    }
    for (Reading r : Reading.values()) {
      report(r, split, policy, shares.get(r));
    }
  }

  private static Map<Reading, float[]> readings(
      QueryEnricher enricher,
      MiniLmEmbedder embedder,
      float[][] applications,
      float[] generic,
      String text) {
    float[] e = embedder.embed(text);
    float[] shipped = enricher.statedUseAffinities(e);
    float[] byApplication = new float[shipped.length];
    float[] mean = new float[shipped.length];
    for (int k = 0; k < shipped.length; k++) {
      byApplication[k] =
          (float) (Vectors.cosine(e, applications[k]) - Vectors.cosine(generic, applications[k]));
      mean[k] = (shipped[k] + byApplication[k]) / 2;
    }
    Map<Reading, float[]> out = new EnumMap<>(Reading.class);
    out.put(Reading.SHIPPED, enricher.statedUse(e).categoryShares());
    out.put(Reading.APPLICATIONS, QueryEnricher.categoryShares(byApplication));
    out.put(Reading.MEAN, QueryEnricher.categoryShares(mean));
    return out;
  }

  /** The sum of each category's application descriptions (a direction), in taxonomy order. */
  private static float[][] applicationCentroids(QueryEnricher enricher, MiniLmEmbedder embedder)
      throws IOException {
    List<String> names = enricher.categories();
    float[][] sums = new float[names.size()][];
    try (InputStream in = StatedUseProbe.class.getClassLoader().getResourceAsStream(APPLICATIONS);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t", 2);
        int k = names.indexOf(parts[0]);
        if (k < 0) {
          throw new IllegalArgumentException(
              "unknown category in " + APPLICATIONS + ": " + parts[0]);
        }
        float[] v = embedder.embed(parts[1]);
        if (sums[k] == null) {
          sums[k] = new float[v.length];
        }
        for (int i = 0; i < v.length; i++) {
          sums[k][i] += v[i];
        }
      }
    }
    for (int k = 0; k < sums.length; k++) {
      if (sums[k] == null) {
        throw new IllegalArgumentException(APPLICATIONS + " has no text for " + names.get(k));
      }
    }
    return sums;
  }

  private static void report(
      Reading reading, SplitObservations split, Policy policy, Map<String, float[]> shares) {
    AccountDetector detector = new AccountDetector(() -> policy, split.categories());
    Map<String, DetectionState> states = new LinkedHashMap<>();
    Map<String, Long> firstReview = new HashMap<>();
    for (AccountObservation o : split.observations()) {
      DetectionState state = states.computeIfAbsent(o.accountId(), k -> detector.newState());
      Evaluation ev =
          detector.observe(
              state, o.withStatedUseShares(shares.get(o.accountId()), o.taxonomyVersion()));
      if (ev.level().isAbove(Level.WATCH) && ev.level().isAutomatic()) {
        firstReview.putIfAbsent(o.accountId(), state.queriesObserved());
      }
    }
    Map<AccountKind, int[]> byKind = new EnumMap<>(AccountKind.class);
    int[] legit = new int[2];
    int[] single = new int[3];
    states.forEach(
        (id, state) -> {
          AccountLabel l = split.labels().get(id);
          Long first = firstReview.get(id);
          boolean inBudget =
              first != null && first <= Math.max(100, 0.05 * state.queriesObserved());
          int[] c = byKind.computeIfAbsent(l.kind(), k -> new int[3]);
          c[0]++;
          c[1] += first == null ? 0 : 1;
          c[2] += inBudget ? 1 : 0;
          if (!l.campaign()) {
            legit[0]++;
            legit[1] += first == null ? 0 : 1;
          } else if (!l.kind().swarm()) {
            single[0]++;
            single[1] += first == null ? 0 : 1;
            single[2] += inBudget ? 1 : 0;
          }
        });
    LOG.info(
        "{}: legitimate at REVIEW {}/{}, single-account campaigns {}/{}, within budget {}",
        reading.name().toLowerCase(Locale.ROOT),
        legit[1],
        legit[0],
        single[1],
        single[0],
        single[2]);
    byKind.forEach((k, c) -> LOG.info("  {} {}/{} (within budget {})", k, c[1], c[0], c[2]));
  }
}
