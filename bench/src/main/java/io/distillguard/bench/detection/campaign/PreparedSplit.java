package io.distillguard.bench.detection.campaign;

import io.distillguard.bench.detection.BaselineEmbeddings;
import io.distillguard.bench.detection.PromptPool;
import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.enrich.Enrichment;
import io.distillguard.enrich.QueryEnricher;
import io.distillguard.enrich.StatedUse;
import io.distillguard.observe.AccountObservation;
import io.distillguard.signals.AccountSignals;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One split of the campaign benchmark, ready to replay: its traffic, and every event enriched with
 * the ingest job's model, taxonomy and enricher, giving the observation the per-account detector
 * reads and the capability category the campaign detector reads. Embeddings are cached per split (a
 * rerun on the same traffic skips the model).
 *
 * <p>The whole prompt is embedded, as the ingest job did before it learned each account's constant
 * preamble ({@code PreambleLearner}) and embedded only the payload after it; the committed tables
 * were measured this way.
 *
 * @param name the split's name in the report
 * @param seed its seed
 * @param traffic the traffic and labels
 * @param observations one per event, in the traffic's event order
 * @param expectedCategories per account, the categories its stated use makes likely
 * @param categories the taxonomy's category names
 * @param embedSeconds time spent embedding (0 when cached)
 */
public record PreparedSplit(
    String name,
    long seed,
    CampaignTraffic traffic,
    List<AccountObservation> observations,
    Map<String, Set<String>> expectedCategories,
    List<String> categories,
    double embedSeconds) {

  private static final Logger LOG = LoggerFactory.getLogger(PreparedSplit.class);

  /** Builds the split's traffic and enriches it. */
  public static PreparedSplit prepare(
      String name, PromptPool pool, double scale, long seed, Path cacheDir) {
    CampaignTraffic traffic = CampaignTrafficBuilder.build(pool, scale, seed);
    LOG.info(
        "Split {}: {} events, {} accounts", name, traffic.events().size(), traffic.labels().size());
    long t0 = System.nanoTime();
    float[][] vectors =
        BaselineEmbeddings.embed(
            traffic.events().stream().map(QueryEvent::prompt).toList(),
            cacheDir,
            EmbedderSettings.DEFAULT);
    double embedSeconds = (System.nanoTime() - t0) / 1e9;
    CapabilityTaxonomy taxonomy = CapabilityTaxonomy.loadDefault();
    try (MiniLmEmbedder embedder = MiniLmEmbedder.create(EmbedderSettings.DEFAULT)) {
      QueryEnricher enricher = QueryEnricher.create(taxonomy, embedder);
      List<String> categories = enricher.categories();
      Map<String, AccountProfile> profiles = new HashMap<>();
      Map<String, StatedUse> uses = new HashMap<>();
      Map<String, Set<String>> expected = new HashMap<>();
      Map<String, StatedUse> byText = new HashMap<>();
      for (RegisteredProfile p : traffic.profiles()) {
        StatedUse use = byText.computeIfAbsent(p.profile().statedUse(), t -> enricher.statedUse(t));
        profiles.put(p.accountId(), p.profile());
        uses.put(p.accountId(), use);
        expected.put(p.accountId(), expected(use, categories));
      }
      List<AccountObservation> observations = new ArrayList<>(vectors.length);
      for (int i = 0; i < vectors.length; i++) {
        QueryEvent e = traffic.events().get(i);
        StatedUse use = uses.get(e.accountId());
        Enrichment en = enricher.enrich(vectors[i], e.prompt(), use);
        observations.add(QueryEnricher.observation(e, profiles.get(e.accountId()), use, en));
      }
      return new PreparedSplit(
          name, seed, traffic, observations, expected, categories, embedSeconds);
    }
  }

  /**
   * The categories a stated use makes likely: expected share at least {@link
   * AccountSignals#UNEXPECTED_BELOW_UNIFORM} of uniform, the per-account signals' own cut.
   */
  static Set<String> expected(StatedUse use, List<String> categories) {
    Set<String> out = new LinkedHashSet<>();
    float[] shares = use.categoryShares();
    double total = 0;
    for (float s : shares) {
      total += Math.max(0f, s);
    }
    double cutoff = AccountSignals.UNEXPECTED_BELOW_UNIFORM / categories.size();
    for (int i = 0; i < categories.size() && i < shares.length; i++) {
      if (total > 0 && Math.max(0f, shares[i]) / total >= cutoff) {
        out.add(categories.get(i));
      }
    }
    return out;
  }
}
