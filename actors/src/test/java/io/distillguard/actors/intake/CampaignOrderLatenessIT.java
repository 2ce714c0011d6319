package io.distillguard.actors.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.ClusterSettings;
import io.distillguard.actors.IntakeSettings;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.observe.AccountObservation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configured {@code intake.campaign-order.lateness} is the arrival skew the intake absorbs
 * before the campaign grouping: one account sent five to fourteen minutes of event time ahead of
 * another reaches the grouping in event-time order under the default ten minutes, and under one
 * minute the other account's first thirteen minutes arrive behind observations already released:
 * grouped out of order and counted ({@link ObservationIntake#groupedOutOfOrder()}, the metric
 * {@code distillguard_campaign_order_late_total}). Either way every observation is recorded and
 * settled: the lateness trades how soon campaign decisions follow the traffic against the skew it
 * tolerates, never what is recorded.
 */
class CampaignOrderLatenessIT {

  private static final long MINUTE = 60_000L;

  @TempDir Path dir;

  @Test
  void theDefaultLatenessAbsorbsTheSkew() throws Exception {
    Outcome outcome = feed(IntakeSettings.CampaignOrder.DEFAULT, "default");
    assertThat(outcome.outOfOrder()).isZero();
    assertThat(outcome.metric()).contains("distillguard_campaign_order_late_total 0.0");
  }

  @Test
  void aShortLatenessGroupsTheLaggingAccountOutOfOrderAndCountsIt() throws Exception {
    Outcome outcome =
        feed(new IntakeSettings.CampaignOrder(Duration.ofMinutes(1), 100_000), "short");
    // The lagging account's observations up to ~12 minutes (2 a minute) arrive behind released
    // ones; how many exactly depends on where the chunks fall, at least the first ten minutes' do.
    assertThat(outcome.outOfOrder()).isBetween(20L, 30L);
    assertThat(outcome.metric())
        .contains("distillguard_campaign_order_late_total " + outcome.outOfOrder() + ".0");
  }

  private record Outcome(long outOfOrder, String metric) {}

  private Outcome feed(IntakeSettings.CampaignOrder order, String name) throws Exception {
    // "ahead": 36 queries from minute 5 to 13:45, sent first; "behind": 40 from minute 0 to 19:30.
    List<AccountObservation> traffic = new ArrayList<>();
    for (int i = 0; i < 36; i++) {
      traffic.add(
          TestFixtures.observation(
              "ahead-" + i,
              "ahead",
              TestFixtures.T0 + 5 * MINUTE + i * 15_000L,
              TestFixtures.CATEGORIES.get(i % 6)));
    }
    for (int i = 0; i < 40; i++) {
      traffic.add(
          TestFixtures.observation(
              "behind-" + i,
              "behind",
              TestFixtures.T0 + i * 30_000L,
              TestFixtures.CATEGORIES.get(i % 6)));
    }
    ActorSettings settings =
        ActorSettings.defaults(dir.resolve(name))
            .withHttp("127.0.0.1", -1, null)
            .withAskTimeout(Duration.ofSeconds(5))
            .withBatching(new ActorSettings.IntakeBatching(5, Duration.ofMillis(20)))
            .withCampaignOrder(order);
    try (ActorService service =
        ActorService.startWith(
            settings, ClusterSettings.local(), new EvidenceSource.Unavailable("not needed"))) {
      List<AccountObservation> settled =
          Source.from(traffic)
              .via(service.intake().flow(o -> o, 4))
              .mapConcat(chunk -> chunk)
              .runWith(Sink.seq(), service.system())
              .toCompletableFuture()
              .get(120, TimeUnit.SECONDS);
      assertThat(settled).containsExactlyElementsOf(traffic);
      assertThat(service.status("ahead").toCompletableFuture().join().queriesObserved())
          .isEqualTo(36);
      assertThat(service.status("behind").toCompletableFuture().join().queriesObserved())
          .isEqualTo(40);
      assertThat(service.campaigns().stats().accounts()).isEqualTo(2);
      return new Outcome(
          service.intake().groupedOutOfOrder(),
          service
              .metrics()
              .scrape()
              .lines()
              .filter(l -> l.startsWith("distillguard_campaign_order_late_total"))
              .findFirst()
              .orElse("(no series)"));
    }
  }
}
