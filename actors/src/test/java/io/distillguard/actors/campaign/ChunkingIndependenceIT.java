package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.ClusterSettings;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.campaign.LinkType;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Reason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same observations through the intake in small chunks and in large ones (10 observations a
 * chunk against 1,000: the whole traffic at once; and one a chunk) reach the same campaign
 * decisions: the same campaigns with the same members, levels and reasons, the same first
 * escalation of each, and the same account cases. What may differ by design is how many follow-up
 * deliveries a growing campaign sends (members that join in one chunk are announced together).
 */
class ChunkingIndependenceIT {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @TempDir Path dir;

  @Test
  void smallAndLargeChunksReachTheSameCampaignDecisions() throws Exception {
    List<AccountObservation> traffic = SwarmTraffic.swarmBesideNatOrganisation();
    Outcome small = replay(traffic, 10, dir.resolve("small"));
    Outcome large = replay(traffic, 1_000, dir.resolve("large"));
    Outcome single = replay(traffic, 1, dir.resolve("single"));

    // Small chunks: the swarm is one campaign at REVIEW, the NAT organisation one at OK.
    assertThat(small.campaigns().values())
        .hasSize(2)
        .anyMatch(c -> c.startsWith("REVIEW [swarm-0,"))
        .anyMatch(c -> c.startsWith("OK [nat-0,"));
    assertThat(small.firstEscalations()).hasSize(1);
    assertThat(small.accountWebhooks()).hasSize(8);
    // One chunk of the whole traffic (one evaluation of each campaign) decides the same.
    assertThat(large.campaigns()).isEqualTo(small.campaigns());
    assertThat(large.accounts()).isEqualTo(small.accounts());
    assertThat(large.firstEscalations()).isEqualTo(small.firstEscalations());
    assertThat(large.accountWebhooks()).isEqualTo(small.accountWebhooks());
    // And so does one observation a chunk (one evaluation per observation, as before chunks).
    assertThat(single).isEqualTo(small);
  }

  @Test
  void aLinkedCrowdOnOneAddressBlockIsOneCampaignWhateverTheChunking() throws Exception {
    List<AccountObservation> traffic = crowd(30, 40);
    Outcome small = replay(traffic, 10, dir.resolve("small"));
    Outcome large = replay(traffic, 1_000, dir.resolve("large"));

    // The crowd is linked (one address block, one sign-up hour) into one campaign of all thirty;
    // with no stated use and no wrapper the campaign rules leave it at OK, in either chunking.
    assertThat(small.campaigns().values())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("OK [crowd-0,")
        .contains("crowd-29");
    assertThat(large.campaigns()).isEqualTo(small.campaigns());
    assertThat(large.firstEscalations()).isEqualTo(small.firstEscalations());
    assertThat(large.accounts()).isEqualTo(small.accounts());
    assertThat(large.accountWebhooks()).isEqualTo(small.accountWebhooks());
  }

  /**
   * The replay benchmark's finding: the same traffic reached the actor side in another order (the
   * ingest job let two accounts run ~100 s of event time ahead of the other 48) and, judged on
   * small chunks as they arrived, the campaign of fifty accounts on one address block was raised on
   * a state that never existed in event time: two to four accounts with 60 queries on a block no
   * one else had used yet. In event time the block is shared by all fifty after their first query
   * each, too common for the registered-together rules; the campaign is judged in event time (the
   * intake hands the grouping its observations in event-time order), so every arrival order and
   * chunking decides the same.
   */
  @Test
  void aCampaignIsJudgedInEventTimeWhateverTheArrivalOrder() throws Exception {
    List<AccountObservation> inOrder = sweepingCrowd(50, 40);
    // acct-0 and acct-1 send their first 40 queries each before anyone else's first.
    List<AccountObservation> ahead = new ArrayList<>();
    for (AccountObservation o : inOrder) {
      if (o.accountId().equals("crowd-0") || o.accountId().equals("crowd-1")) {
        ahead.add(o);
      }
    }
    List<AccountObservation> skewed = new ArrayList<>(ahead);
    inOrder.stream().filter(o -> !ahead.contains(o)).forEach(skewed::add);

    Outcome reference = replay(inOrder, 10, dir.resolve("in-order"));
    assertThat(reference.campaigns().values())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("OK [crowd-0,")
        .contains("crowd-49");
    assertThat(reference.firstEscalations()).isEmpty();
    for (int chunk : new int[] {1, 10, 1_000}) {
      Outcome o = replay(skewed, chunk, dir.resolve("skewed-" + chunk));
      assertThat(o.campaigns())
          .as("arrival skewed, chunks of %d", chunk)
          .isEqualTo(reference.campaigns());
      assertThat(o.firstEscalations()).as("chunks of %d", chunk).isEmpty();
      assertThat(o.accounts()).isEqualTo(reference.accounts());
    }
  }

  /**
   * The replay benchmark's traffic in small: {@code accounts} accounts taking turns every 50 ms on
   * one address block, one SDK's user agent and key pattern, all signed up in the same hour with
   * the same stated use (three expected categories) and each its own organisation, each asking
   * categories at random: far beyond its stated use.
   */
  private static List<AccountObservation> sweepingCrowd(int accounts, int queriesEach) {
    float[] statedUse = new float[SwarmTraffic.CATEGORIES.size()];
    statedUse[0] = 0.5f;
    statedUse[1] = 0.3f;
    statedUse[2] = 0.2f;
    return crowd(accounts, queriesEach, true, statedUse);
  }

  /**
   * Traffic shaped like the replay benchmark's: {@code accounts} accounts taking turns every 50 ms,
   * each on its own address of one block, one SDK's user agent, its own key of one pattern, all
   * signed up in the same hour with the same stated use, each asking categories at random.
   */
  private static List<AccountObservation> crowd(int accounts, int queriesEach) {
    return crowd(accounts, queriesEach, false, null);
  }

  /**
   * {@link #crowd(int, int)}, each account its own organisation ({@code "org-" + account}) when
   * {@code ownOrg}, every stated use expecting {@code statedUse} (null: no profile).
   */
  private static List<AccountObservation> crowd(
      int accounts, int queriesEach, boolean ownOrg, float[] statedUse) {
    java.util.Random random = new java.util.Random(13);
    long signupHour = 493_000;
    List<AccountObservation> out = new ArrayList<>();
    for (int i = 0; i < accounts * queriesEach; i++) {
      int a = i % accounts;
      String account = "crowd-" + a;
      List<String> keys =
          List.of(
              SwarmTraffic.HASHER.key(LinkType.IP, "203.0.113." + a).wire(),
              SwarmTraffic.HASHER.key(LinkType.IP_PREFIX, "203.0.113.0/24").wire(),
              SwarmTraffic.HASHER.key(LinkType.USER_AGENT, "sdk/1.2").wire(),
              SwarmTraffic.HASHER.key(LinkType.API_KEY_PATTERN, "key-#").wire(),
              SwarmTraffic.HASHER.key(LinkType.SIGNUP_BURST, "h" + signupHour).wire());
      out.add(
          SwarmTraffic.observation(
                  account + "-e" + i,
                  account,
                  SwarmTraffic.T1 + 50L * i,
                  SwarmTraffic.CATEGORIES.get(random.nextInt(SwarmTraffic.CATEGORIES.size())),
                  keys,
                  ownOrg ? "org-" + account : null,
                  statedUse)
              .withSignupMillis(signupHour * 3_600_000L));
    }
    return out;
  }

  /**
   * What a replay came to.
   *
   * @param campaigns per campaign id: its level, members and reasons' rules
   * @param accounts per account: its level and campaign
   * @param firstEscalations per campaign id: its first review request's level, rules and members
   * @param accountWebhooks every account webhook: type, account and level, sorted
   */
  record Outcome(
      Map<String, String> campaigns,
      Map<String, String> accounts,
      Map<String, String> firstEscalations,
      List<String> accountWebhooks) {}

  private static Outcome replay(List<AccountObservation> traffic, int chunk, Path data)
      throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET);
        ActorService service =
            ActorService.startWith(
                ActorSettings.defaults(data)
                    .withWebhook(receiver.url("/review"), SECRET)
                    .withThrottleUrl(receiver.url("/throttle"))
                    .withHttp("127.0.0.1", -1, null)
                    .withBatching(new ActorSettings.IntakeBatching(chunk, Duration.ofSeconds(5))),
                ClusterSettings.local(),
                new EvidenceSource.Unavailable("not needed here"))) {
      Source.from(traffic)
          .via(service.intake().flow(o -> o, 4))
          .runWith(Sink.ignore(), service.system())
          .toCompletableFuture()
          .get(120, TimeUnit.SECONDS);
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      assertThat(service.intake().failed()).isZero();

      Map<String, String> campaigns = new TreeMap<>();
      Map<String, String> accounts = new TreeMap<>();
      for (String account : new TreeSet<>(traffic.stream().map(o -> o.accountId()).toList())) {
        String campaign = service.campaigns().campaignOf(account).orElse("-");
        var status = service.status(account).toCompletableFuture().get(10, TimeUnit.SECONDS);
        accounts.put(account, status.level() + " " + campaign);
        if (!campaign.equals("-")) {
          CampaignEntity.CampaignStatus c = TestFixtures.campaignStatus(service, campaign);
          campaigns.put(
              campaign,
              c.level()
                  + " "
                  + new TreeSet<>(c.members())
                  + " "
                  + new TreeSet<>(c.reasons().stream().map(Reason::rule).toList()));
        }
      }
      Map<String, String> first = new TreeMap<>();
      List<String> accountWebhooks = new ArrayList<>();
      for (WebhookReceiver.Received r : receiver.received()) {
        JsonNode d = r.data();
        if (r.type().startsWith("account.")) {
          accountWebhooks.add(r.type() + " " + r.accountId() + " " + r.level());
        } else if (r.type().equals("campaign.review_requested")
            && !d.path("follow_up").asBoolean()) {
          List<String> rules = d.path("reasons").findValuesAsText("rule");
          List<String> members = new ArrayList<>();
          d.path("accounts").forEach(a -> members.add(a.asText()));
          first.putIfAbsent(
              d.path("campaign_id").asText(),
              r.level() + " " + new TreeSet<>(rules) + " " + new TreeSet<>(members));
        }
      }
      accountWebhooks.sort(null);
      return new Outcome(campaigns, accounts, first, accountWebhooks);
    }
  }
}
