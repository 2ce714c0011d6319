package io.distillguard.bench.detection;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.Parsed;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.enrich.Enrichment;
import io.distillguard.enrich.PreambleLearner;
import io.distillguard.enrich.PromptSplit;
import io.distillguard.enrich.QueryEnricher;
import io.distillguard.enrich.StatedUse;
import io.distillguard.observe.AccountObservation;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark split (written with {@code --precomputed-embeddings}) turned into the observations
 * the ingest job would send, in event order, with the labels: what {@link PolicyHarness} and {@link
 * EvidenceCalibration} run the rules-level detector over.
 *
 * @param observations every observation in the file's (event-time) order
 * @param labels account id to label
 * @param categories the taxonomy's category names
 */
public record SplitObservations(
    List<AccountObservation> observations,
    Map<String, AccountLabel> labels,
    List<String> categories) {

  /**
   * Reads and enriches {@code dir}/profiles.jsonl and events.jsonl, and labels.jsonl; the enriched
   * observations are cached in {@code dir}/observations-v2.bin (rebuilt when events.jsonl is newer;
   * v2: template fingerprints of the payload after the account's scaffold).
   */
  public static SplitObservations read(Path dir) throws IOException {
    return read(dir, Map.of());
  }

  /**
   * As {@link #read(Path)}, taking the vector of a payload that is a whole prompt already embedded
   * (same model and settings) from {@code known} instead of embedding it again.
   */
  public static SplitObservations read(Path dir, Map<String, float[]> known) throws IOException {
    Path cache = dir.resolve("observations-v2.bin");
    Map<String, AccountLabel> cachedLabels = new HashMap<>();
    AccountLabel.read(dir.resolve("labels.jsonl")).forEach(l -> cachedLabels.put(l.accountId(), l));
    if (Files.isRegularFile(cache)
        && Files.getLastModifiedTime(cache)
                .compareTo(Files.getLastModifiedTime(dir.resolve("events.jsonl")))
            > 0) {
      return ObservationCache.read(cache, cachedLabels);
    }
    SplitObservations fresh = enrich(dir, known);
    ObservationCache.write(cache, fresh);
    return fresh;
  }

  /**
   * Reads one split, or several given as comma-separated folders (a split and an extension holding
   * only the accounts of kinds added later, so the accounts already enriched are not embedded
   * again) as one: observations merged in event-time order, labels together.
   */
  public static SplitObservations readAll(String dirs) throws IOException {
    List<AccountObservation> all = new ArrayList<>();
    Map<String, AccountLabel> labels = new HashMap<>();
    List<String> categories = null;
    for (String d : dirs.split(",")) {
      SplitObservations one = read(Path.of(d.trim()));
      if (categories != null && !categories.equals(one.categories())) {
        throw new IllegalArgumentException(d + " was enriched with another taxonomy");
      }
      categories = one.categories();
      all.addAll(one.observations());
      labels.putAll(one.labels());
    }
    all.sort(java.util.Comparator.comparingLong(AccountObservation::eventTimeMillis));
    return new SplitObservations(all, labels, categories);
  }

  private static final float[] MISSING = new float[0];

  private static SplitObservations enrich(Path dir, Map<String, float[]> known) throws IOException {
    CapabilityTaxonomy taxonomy = CapabilityTaxonomy.loadDefault();
    ContractCodec codec = new ContractCodec(ContractLimits.DEFAULT);
    Map<String, AccountLabel> labels = new HashMap<>();
    AccountLabel.read(dir.resolve("labels.jsonl")).forEach(l -> labels.put(l.accountId(), l));
    List<AccountObservation> out = new ArrayList<>();
    try (MiniLmEmbedder embedder = MiniLmEmbedder.create(EmbedderSettings.DEFAULT)) {
      QueryEnricher enricher = QueryEnricher.create(taxonomy, embedder);
      Map<String, AccountProfile> profiles = new HashMap<>();
      Map<String, StatedUse> statedUses = new HashMap<>();
      for (String line : Files.readAllLines(dir.resolve("profiles.jsonl"))) {
        if (codec.parseProfile(line) instanceof Parsed.Ok<AccountProfile> ok) {
          profiles.put(ok.value().accountId(), ok.value());
          statedUses.put(ok.value().accountId(), enricher.statedUse(ok.value().statedUse()));
        }
      }
      // As the ingest job does: the template signals and a computed vector read the payload after
      // the account's learned preamble. The payloads not embedded yet are embedded in one parallel
      // batch (cached in the split folder) before the observations are built in event order.
      Map<String, PreambleLearner> learners = new HashMap<>();
      List<QueryEvent> events = new ArrayList<>();
      List<PromptSplit> splits = new ArrayList<>();
      try (BufferedReader in =
          Files.newBufferedReader(dir.resolve("events.jsonl"), StandardCharsets.UTF_8)) {
        String line;
        while ((line = in.readLine()) != null) {
          if (codec.parseEvent(line) instanceof Parsed.Ok<QueryEvent> ok) {
            QueryEvent e = ok.value();
            events.add(e);
            splits.add(
                learners
                    .computeIfAbsent(e.accountId(), a -> new PreambleLearner())
                    .split(e.prompt()));
          }
        }
      }
      Map<String, float[]> vectors = new HashMap<>(known);
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        String payload = splits.get(i).payload();
        if (events.get(i).embedding() == null && vectors.putIfAbsent(payload, MISSING) == null) {
          missing.add(payload);
        }
      }
      float[][] computed =
          BaselineEmbeddings.embed(
              missing, dir.resolve("payload-embeddings"), EmbedderSettings.DEFAULT);
      for (int i = 0; i < computed.length; i++) {
        vectors.put(missing.get(i), computed[i]);
      }
      for (int i = 0; i < events.size(); i++) {
        QueryEvent e = events.get(i);
        String payload = splits.get(i).payload();
        float[] vector = e.embedding() != null ? e.embedding() : vectors.get(payload);
        StatedUse use = statedUses.get(e.accountId());
        Enrichment enrichment = enricher.enrich(vector, payload, use);
        out.add(QueryEnricher.observation(e, profiles.get(e.accountId()), use, enrichment));
      }
      return new SplitObservations(out, labels, enricher.categories());
    }
  }
}
