package io.distillguard.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.fixtures.PromptSamples;
import io.distillguard.fixtures.PromptSamples.Row;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does the shipped capability taxonomy, embedded with the real model, put real prompts where a
 * person would? Prompts written by people outside this project (the repository's samples of public
 * datasets, {@link PromptSamples}) are mapped to categories; each dataset's majority category must
 * be the one it obviously belongs to. The full confusion (top categories per dataset) is logged so
 * operators can see what an edit to {@code capabilities.yaml} changes.
 */
class TaxonomyQualityIT {

  private static final Logger LOG = LoggerFactory.getLogger(TaxonomyQualityIT.class);
  private static final int PER_DATASET = 40;

  private static MiniLmEmbedder embedder;
  private static QueryEnricher enricher;

  record Probe(String label, String file, Predicate<Row> filter, String expected) {}

  private static final List<Probe> PROBES =
      List.of(
          probe("gsm8k", "gsm8k", null, "arithmetic"),
          probe("svamp", "svamp", null, "arithmetic"),
          probe("math", "math", null, "advanced_math"),
          probe("mbpp", "mbpp", null, "code_generation"),
          probe("humaneval", "humaneval", null, "code_generation"),
          probe("medquad", "medquad", null, "medicine_health"),
          probe("banking77", "banking77", null, "banking_finance"),
          probe("clinc150/translate", "clinc150", category("translate"), "translation"),
          probe("clinc150/small_talk", "clinc150", domain("small_talk"), "roleplay_chitchat"),
          probe(
              "clinc150/travel",
              "clinc150",
              domain("travel").and(category("translate").negate()),
              "travel"),
          probe("snips/music", "snips", categoryIn("PlayMusic", "AddToPlaylist"), "music_media"),
          probe("snips/restaurant", "snips", category("BookRestaurant"), "food_cooking"),
          probe("hwu64/iot+alarm", "hwu64", domainIn("iot", "alarm"), "smart_home_assistant"),
          probe("mmlu/law", "mmlu", domainIn("professional_law", "international_law"), "law"),
          probe(
              "mmlu/medicine",
              "mmlu",
              domainIn("clinical_knowledge", "college_medicine", "professional_medicine"),
              "medicine_health"),
          probe(
              "mmlu/physics+chemistry",
              "mmlu",
              domainIn("high_school_physics", "college_physics", "high_school_chemistry"),
              "science"),
          probe(
              "mmlu/history",
              "mmlu",
              domainIn("high_school_us_history", "high_school_world_history", "prehistory"),
              "humanities_social_science"),
          probe("ifeval", "ifeval", null, "instruction_following"));

  @BeforeAll
  static void loadModel() {
    embedder = MiniLmEmbedder.create(EmbedderSettings.DEFAULT);
    enricher = QueryEnricher.create(CapabilityTaxonomy.loadDefault(), embedder);
  }

  @AfterAll
  static void closeModel() {
    if (embedder != null) {
      embedder.close();
    }
  }

  @Test
  void realDatasetsLandInTheirObviousCategory() {
    int right = 0;
    int correctPrompts = 0;
    int totalPrompts = 0;
    StringBuilder report = new StringBuilder("\ncapability taxonomy vs real datasets\n");
    List<String> wrong = new ArrayList<>();
    for (Probe p : PROBES) {
      List<String> prompts = sample(p);
      assertThat(prompts).as(p.label()).hasSize(PER_DATASET);
      Map<String, Integer> counts = new TreeMap<>();
      for (float[] v : embedder.embedAll(prompts)) {
        counts.merge(enricher.enrich(v, null, null).category(), 1, Integer::sum);
      }
      String majority = Collections.max(counts.entrySet(), Map.Entry.comparingByValue()).getKey();
      int hits = counts.getOrDefault(p.expected(), 0);
      correctPrompts += hits;
      totalPrompts += prompts.size();
      boolean ok = majority.equals(p.expected());
      right += ok ? 1 : 0;
      if (!ok) {
        wrong.add(p.label() + " -> " + majority);
      }
      report.append(
          String.format(
              "%-24s expected %-26s %3d%%  %s  top: %s%n",
              p.label(),
              p.expected(),
              100 * hits / prompts.size(),
              ok ? "ok  " : "MISS",
              top(counts, 3)));
    }
    double accuracy = correctPrompts / (double) totalPrompts;
    report.append(
        String.format(
            "datasets right: %d/%d; prompt accuracy: %.1f%% (%d prompts)%n",
            right, PROBES.size(), 100 * accuracy, totalPrompts));
    LOG.info("{}", report);
    assertThat(right).as("datasets whose majority is wrong: %s", wrong).isGreaterThanOrEqualTo(16);
    assertThat(accuracy).isGreaterThan(0.6);
  }

  @Test
  void specificStatedUsesConcentrateAndBroadOnesSpread() {
    List<String> names = enricher.categories();
    Map<String, List<String>> expectations = new LinkedHashMap<>();
    expectations.put("Customer support bot for our airline", List.of("travel", "customer_support"));
    expectations.put(
        "Math homework helper for middle school students",
        List.of("arithmetic", "advanced_math", "education_tutoring"));
    expectations.put(
        "Coding assistant inside our developers' IDE", List.of("code_generation", "code_help"));
    expectations.put("Chatbot in our retail bank's mobile app", List.of("banking_finance"));
    expectations.put("Symptom checker for patients of our clinics", List.of("medicine_health"));
    double specificEntropy = 0;
    for (Map.Entry<String, List<String>> e : expectations.entrySet()) {
      StatedUse use = enricher.statedUse(e.getKey());
      float mass = 0;
      for (String c : e.getValue()) {
        mass += use.categoryShares()[names.indexOf(c)];
      }
      double h = entropy(use.categoryShares());
      specificEntropy = Math.max(specificEntropy, h);
      LOG.info(
          "stated use '{}': expected mass {}, entropy {}, top shares {}, top affinities {}",
          e.getKey(),
          String.format("%.2f", mass),
          String.format("%.2f", h),
          top(shares(names, use.categoryShares()), 4),
          top(shares(names, enricher.statedUseAffinities(use.embedding())), 4));
      assertThat(mass).as(e.getKey()).isGreaterThan(0.5f);
    }
    StatedUse general = enricher.statedUse("General purpose AI assistant for our employees");
    double generalEntropy = entropy(general.categoryShares());
    LOG.info(
        "stated use 'general': entropy {}, top shares {}, top affinities {}",
        String.format("%.2f", generalEntropy),
        top(shares(names, general.categoryShares()), 6),
        top(shares(names, enricher.statedUseAffinities(general.embedding())), 6));
    assertThat(generalEntropy).isGreaterThan(specificEntropy);
    float largest = 0;
    for (float x : general.categoryShares()) {
      largest = Math.max(largest, x);
    }
    assertThat(largest).isLessThan(0.35f);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static List<String> sample(Probe p) {
    List<String> all = new ArrayList<>();
    for (Row row : PromptSamples.rows(p.file())) {
      if (p.filter() == null || p.filter().test(row)) {
        all.add(row.text());
      }
    }
    // a fixed seed: the same prompts on every run, spread over the whole sample
    Collections.shuffle(all, new Random(p.label().hashCode()));
    return all.subList(0, Math.min(PER_DATASET, all.size()));
  }

  private static Probe probe(String label, String file, Predicate<Row> f, String expected) {
    return new Probe(label, file, f, expected);
  }

  private static Predicate<Row> category(String c) {
    return row -> c.equals(row.category());
  }

  private static Predicate<Row> categoryIn(String... cs) {
    return row -> List.of(cs).contains(row.category());
  }

  private static Predicate<Row> domain(String d) {
    return row -> d.equals(row.domain());
  }

  private static Predicate<Row> domainIn(String... ds) {
    return row -> List.of(ds).contains(row.domain());
  }

  private static Map<String, Float> shares(List<String> names, float[] values) {
    Map<String, Float> m = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      m.put(names.get(i), values[i]);
    }
    return m;
  }

  private static <N extends Number> List<String> topNames(Map<String, N> m, int n) {
    List<Map.Entry<String, N>> e = new ArrayList<>(m.entrySet());
    e.sort((a, b) -> Double.compare(b.getValue().doubleValue(), a.getValue().doubleValue()));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.min(n, e.size()); i++) {
      out.add(e.get(i).getKey());
    }
    return out;
  }

  private static <N extends Number> String top(Map<String, N> m, int n) {
    StringBuilder sb = new StringBuilder();
    for (String k : topNames(m, n)) {
      N v = m.get(k);
      sb.append(k)
          .append('=')
          .append(v instanceof Float ? String.format("%.2f", v.floatValue()) : v)
          .append(' ');
    }
    return sb.toString().trim();
  }

  private static double entropy(float[] p) {
    double h = 0;
    for (float x : p) {
      if (x > 0) {
        h -= x * Math.log(x);
      }
    }
    return h / Math.log(p.length);
  }
}
