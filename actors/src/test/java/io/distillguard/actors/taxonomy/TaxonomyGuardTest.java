package io.distillguard.actors.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.distillguard.actors.TestFixtures;
import io.distillguard.observe.AccountObservation;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import io.distillguard.taxonomy.CapabilityTaxonomy.Category;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class TaxonomyGuardTest {

  private static final CapabilityTaxonomy SHIPPED = CapabilityTaxonomy.loadDefault();
  private static final CapabilityTaxonomy OLD =
      CapabilityTaxonomy.of(
          List.of(
              new Category("travel", "Trips.", List.of("book a flight")),
              new Category("cooking", "Food.", List.of("a cake recipe"))));
  private static final CapabilityTaxonomy NEW =
      CapabilityTaxonomy.of(
          List.of(
              new Category("cooking", "Food.", List.of("a cake recipe")),
              new Category("banking", "Money.", List.of("open an account")),
              new Category("travel", "Trips.", List.of("book a flight"))));

  private final Logger logger = (Logger) LoggerFactory.getLogger(TaxonomyGuard.class);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void captureLog() {
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    logger.detachAppender(log);
  }

  @Test
  void admitsItsOwnVersionAndObservationsWithoutOneAsTheyAre() {
    TaxonomyGuard guard = new TaxonomyGuard(SHIPPED, "the shipped default");
    AccountObservation own = observation("e-1", SHIPPED.version());
    AccountObservation older = observation("e-2", null);
    assertThat(guard.admit(own)).containsSame(own);
    assertThat(guard.admit(older)).as("written before versions").containsSame(older);
    assertThat(guard.consistent()).isTrue();
    assertThat(guard.refused()).isZero();
    assertThat(log.list).isEmpty();
  }

  @Test
  void refusesAnUnknownTaxonomyLoudly() {
    TaxonomyGuard guard = new TaxonomyGuard(SHIPPED, "/etc/distillguard/capabilities.yaml");
    assertThat(guard.admit(observation("e-1", "sha256:0000000000000001"))).isEmpty();
    assertThat(guard.admit(observation("e-2", "sha256:0000000000000001"))).isEmpty();
    assertThat(guard.admit(observation("e-3", "sha256:0000000000000002"))).isEmpty();
    assertThat(guard.admit(observation("e-4", SHIPPED.version()))).isPresent();

    assertThat(guard.refused()).isEqualTo(3);
    assertThat(guard.consistent()).as("not ready once anything was refused").isFalse();
    List<ILoggingEvent> errors =
        log.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
    assertThat(errors).as("one ERROR per foreign version").hasSize(2);
    assertThat(errors.get(0).getFormattedMessage())
        .contains("sha256:0000000000000001")
        .contains(SHIPPED.version())
        .contains("/etc/distillguard/capabilities.yaml")
        .contains("DISTILLGUARD_TAXONOMY_FILE");

    TaxonomyMismatchException e = guard.mismatch(observation("e-5", "sha256:0000000000000002"));
    assertThat(e).hasMessageContaining("e-5").hasMessageContaining(SHIPPED.version());
    assertThat(TaxonomyMismatchException.causes(new CompletionException(e))).isTrue();
    assertThat(TaxonomyMismatchException.causes(new IllegalStateException("other"))).isFalse();
  }

  @Test
  void translatesATaxonomyItRanWithBeforeByCategoryName(@TempDir Path dir) {
    TaxonomyLayouts.recordAndLoad(dir, OLD); // an earlier run of this node
    TaxonomyGuard guard =
        new TaxonomyGuard(NEW, "new.yaml", TaxonomyLayouts.recordAndLoad(dir, NEW));

    AccountObservation old =
        TestFixtures.observation("e-1", "acct-1", TestFixtures.T0, "travel")
            .withTaxonomyVersion(OLD.version());
    AccountObservation withShares =
        new AccountObservation(
            old.eventId(),
            old.accountId(),
            old.eventTimeMillis(),
            old.category(),
            old.categorySimilarity(),
            old.statedUseSimilarity(),
            old.lshSignature(),
            old.templateFingerprint(),
            old.promptChars(),
            old.promptTokens(),
            old.completionTokens(),
            old.responseEntropy(),
            old.apiKeyId(),
            old.clientIp(),
            old.userAgent(),
            old.orgId(),
            old.verifiedAtMillis(),
            new float[] {0.8f, 0.2f}, // travel, cooking
            OLD.version(),
            null,
            null);

    AccountObservation admitted = guard.admit(withShares).orElseThrow();
    assertThat(admitted.taxonomyVersion()).isEqualTo(NEW.version());
    assertThat(admitted.category()).isEqualTo("travel");
    // cooking, banking (unknown before: the smallest old share), travel; normalised
    assertThat(admitted.statedUseCategoryShares())
        .containsExactly(new float[] {0.2f / 1.2f, 0.2f / 1.2f, 0.8f / 1.2f}, within(1e-6f));
    assertThat(guard.translated()).isEqualTo(1);
    assertThat(guard.refused()).isZero();
    assertThat(guard.consistent()).isTrue();
    assertThat(log.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.WARN);
  }

  @Test
  void layoutsSurviveARestartOfTheNode(@TempDir Path dir) {
    assertThat(TaxonomyLayouts.recordAndLoad(dir, OLD))
        .isEqualTo(Map.of(OLD.version(), OLD.names()));
    assertThat(TaxonomyLayouts.recordAndLoad(dir, NEW))
        .isEqualTo(Map.of(OLD.version(), OLD.names(), NEW.version(), NEW.names()));
    assertThat(TaxonomyLayouts.recordAndLoad(dir, OLD)).hasSize(2);
  }

  private static AccountObservation observation(String eventId, String version) {
    return TestFixtures.observation(
            eventId, "acct-1", TestFixtures.T0, TestFixtures.CATEGORIES.get(0))
        .withTaxonomyVersion(version);
  }
}
