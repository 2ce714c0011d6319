package io.distillguard.ingest.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.enrich.StatedUse;
import io.distillguard.ingest.HeldModel;
import io.distillguard.ingest.IngestFixtures;
import io.distillguard.ingest.embed.EmbeddedEvent;
import io.distillguard.ingest.profile.ProfiledEvent;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Taxonomy updates reach a running enrich operator: with the real model, a category added to the
 * taxonomy file takes the prompts it describes once the file is checked again; a broken file is
 * ignored; an unchanged one costs nothing.
 */
class TaxonomyReloaderTest {

  static final EmbedderSettings SETTINGS = new EmbedderSettings(1, 128, 16);
  static final String CARD_PROMPT = "My new card still hasn't arrived, where is it?";

  static final String TWO_CATEGORIES =
      """
      categories:
        - name: arithmetic
          description: Everyday math word problems with numbers, prices and percentages.
          examples:
            - "A shirt costs $40 and is 25% off. How much do I pay?"
        - name: cooking
          description: Recipes, ingredients and how to cook food.
          examples:
            - "How long should I boil an egg for a soft yolk?"
      """;

  static final String WITH_CARDS =
      TWO_CATEGORIES
          + """
            - name: card_delivery
              description: A bank customer asks where their new payment card is and when it arrives.
              examples:
                - "I am still waiting on my card, when will it arrive?"
                - "My new debit card has not been delivered yet."
          """;

  @RegisterExtension static final HeldModel MODEL = HeldModel.of(SETTINGS);

  @TempDir Path dir;

  @Test
  void anEditBeforeTheFirstRecordIsTakenWithThatRecord() throws Exception {
    Path file = Files.writeString(dir.resolve("capabilities.yaml"), TWO_CATEGORIES);
    AtomicLong now = new AtomicLong(1_000);
    TaxonomyReloader r =
        new TaxonomyReloader(file, Duration.ofSeconds(10), MODEL.model(), now::get);
    Files.writeString(file, WITH_CARDS);
    now.addAndGet(1); // well within the check interval
    assertThat(r.current().categories()).containsExactly("arithmetic", "cooking", "card_delivery");
    assertThat(r.version()).isEqualTo(2);
  }

  @Test
  void reloadsWhenTheContentChangesAndOnlyAfterTheCheckInterval() throws Exception {
    Path file = Files.writeString(dir.resolve("capabilities.yaml"), TWO_CATEGORIES);
    AtomicLong now = new AtomicLong(1_000);
    TaxonomyReloader r =
        new TaxonomyReloader(file, Duration.ofSeconds(10), MODEL.model(), now::get);
    float[] card = MODEL.model().embed(CARD_PROMPT);
    assertThat(r.current().categories()).containsExactly("arithmetic", "cooking");
    assertThat(r.version()).isEqualTo(1);

    Files.writeString(file, WITH_CARDS);
    now.addAndGet(9_999);
    assertThat(r.current().categories()).hasSize(2); // not checked yet
    now.addAndGet(1);
    assertThat(r.current().categories()).containsExactly("arithmetic", "cooking", "card_delivery");
    assertThat(r.current().enrich(card, CARD_PROMPT, null).category()).isEqualTo("card_delivery");
    assertThat(r.version()).isEqualTo(2);
    assertThat(r.current().enrich(card, CARD_PROMPT, null).taxonomyVersion())
        .as("what the actor side compares its own taxonomy with")
        .isEqualTo(CapabilityTaxonomy.load(file).version());

    // the same bytes again: no rebuild
    Files.writeString(file, WITH_CARDS);
    now.addAndGet(10_000);
    r.current();
    assertThat(r.version()).isEqualTo(2);

    // a broken file keeps the last good taxonomy and does not throw
    Files.writeString(file, "categories:\n  - name: Not A Name\n");
    now.addAndGet(10_000);
    assertThat(r.current().categories()).hasSize(3);
    assertThat(r.version()).isEqualTo(2);
  }

  @Test
  void aJobMustNotStartOnABrokenTaxonomy() throws Exception {
    Path file = Files.writeString(dir.resolve("capabilities.yaml"), "categories: []\n");
    assertThatThrownBy(
            () -> new TaxonomyReloader(file, Duration.ofSeconds(1), MODEL.model(), () -> 0L))
        .hasMessageContaining("empty");
  }

  @Test
  void theEnrichOperatorFollowsTheFileWithoutARestart() throws Exception {
    Path file = Files.writeString(dir.resolve("capabilities.yaml"), TWO_CATEGORIES);
    QueryEvent event = IngestFixtures.events(IngestFixtures.accounts(1), 1, 1L).get(0);
    float[] card = MODEL.model().embed(CARD_PROMPT);
    // the stated use as the profile join computed it, with the built-in taxonomy
    StatedUse joinedUse =
        new StatedUse(
            MODEL.model().embed("customer support for a bank's card holders"), new float[40]);
    ProfiledEvent joined = new ProfiledEvent(event, null, joinedUse);

    EnrichFunction fn =
        new EnrichFunction(SETTINGS, ContractLimits.DEFAULT, file.toString(), Duration.ZERO);
    try (OneInputStreamOperatorTestHarness<EmbeddedEvent, EnrichedQuery> h =
        ProcessFunctionTestHarnesses.forProcessFunction(fn)) {
      h.processElement(EmbeddedEvent.embedded(joined, card), 0L);
      // a zero interval checks the file on every record
      Files.writeString(file, WITH_CARDS);
      h.processElement(EmbeddedEvent.embedded(joined, card), 0L);

      EnrichedQuery before = h.extractOutputValues().get(0);
      EnrichedQuery after = h.extractOutputValues().get(1);
      assertThat(before.observation().category()).isIn("arithmetic", "cooking");
      assertThat(before.observation().statedUseCategoryShares()).hasSize(2);
      assertThat(after.observation().category()).isEqualTo("card_delivery");
      assertThat(after.record().category()).isEqualTo("card_delivery");
      // shares follow the taxonomy in use, whatever the join computed them with
      assertThat(after.observation().statedUseCategoryShares()).hasSize(3);
    }
  }
}
