package io.distillguard.actors.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.distillguard.actors.TestFixtures;
import io.distillguard.observe.AccountObservation;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TaxonomyGuardTest {

  private static final CapabilityTaxonomy SHIPPED = CapabilityTaxonomy.loadDefault();

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
  void acceptsItsOwnVersionAndObservationsWithoutOne() {
    TaxonomyGuard guard = new TaxonomyGuard(SHIPPED, "the shipped default");
    assertThat(guard.accepts(observation("e-1", SHIPPED.version()))).isTrue();
    assertThat(guard.accepts(observation("e-2", null))).as("written before versions").isTrue();
    assertThat(guard.consistent()).isTrue();
    assertThat(guard.refused()).isZero();
    assertThat(log.list).isEmpty();
  }

  @Test
  void refusesAnotherTaxonomyLoudly() {
    TaxonomyGuard guard = new TaxonomyGuard(SHIPPED, "/etc/distillguard/capabilities.yaml");
    assertThat(guard.accepts(observation("e-1", "sha256:0000000000000001"))).isFalse();
    assertThat(guard.accepts(observation("e-2", "sha256:0000000000000001"))).isFalse();
    assertThat(guard.accepts(observation("e-3", "sha256:0000000000000002"))).isFalse();
    assertThat(guard.accepts(observation("e-4", SHIPPED.version()))).isTrue();

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

  private static AccountObservation observation(String eventId, String version) {
    return TestFixtures.observation(
            eventId, "acct-1", TestFixtures.T0, TestFixtures.CATEGORIES.get(0))
        .withTaxonomyVersion(version);
  }
}
