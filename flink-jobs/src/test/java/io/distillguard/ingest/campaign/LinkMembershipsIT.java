package io.distillguard.ingest.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.campaign.LinkExtractor;
import io.distillguard.campaign.LinkHasher;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.LinkSettings;
import io.distillguard.campaign.LinkType;
import io.distillguard.campaign.ObservationLinks;
import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.enrich.Enrichment;
import io.distillguard.enrich.QueryEnricher;
import io.distillguard.fixtures.PromptSamples;
import io.distillguard.ingest.IngestJob;
import io.distillguard.ingest.MiniClusters;
import io.distillguard.observe.AccountObservation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The campaign branch on a MiniCluster at parallelism 2, without Kryo: observations carrying link
 * keys of real prompts go in, memberships come out keyed by link key. Swarm members that share an
 * address block and a wrapper template find each other; unrelated accounts do not.
 */
class LinkMembershipsIT {

  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniClusters.oneTaskManager(2);

  private static final Instant T0 = Instant.parse("2026-10-05T00:00:00Z");
  private static final LinkExtractor LINKS = new LinkExtractor(LinkHasher.localDefault());

  private static AccountObservation observation(
      String account, int i, String prompt, String ip, String ua, AccountProfile p) {
    QueryEvent e =
        new QueryEvent(
            account + "-" + i,
            account,
            T0.plusSeconds(60L * i),
            prompt,
            null,
            null,
            null,
            null,
            null,
            null,
            new QueryEvent.ClientInfo(ip, ua));
    AccountObservation o =
        QueryEnricher.observation(e, p, null, new Enrichment("c", 0f, 0f, 0L, 0L, null));
    return ObservationLinks.attach(o, e, p, LINKS);
  }

  @Test
  void swarmMembersFindEachOtherAndUnrelatedAccountsDoNot() throws Exception {
    List<String> questions = PromptSamples.texts("mmlu", 120);
    List<String> other = PromptSamples.texts("banking77", 120);
    List<AccountObservation> in = new ArrayList<>();
    for (int m = 0; m < 6; m++) {
      String account = "swarm-" + m;
      AccountProfile p =
          new AccountProfile(account, "Quiz app " + m, null, null, T0.minusSeconds(m * 600L), null);
      for (int i = 0; i < 10; i++) {
        in.add(
            observation(
                account,
                i,
                "Practice item for the study bank, answer and explain briefly: "
                    + questions.get(m * 10 + i),
                "203.0.113." + (10 + m),
                "sb/1.2",
                p));
      }
      String loner = "app-" + m;
      for (int i = 0; i < 10; i++) {
        in.add(
            observation(loner, i, other.get(m * 10 + i), "10." + m + ".0.1", "client-" + m, null));
      }
    }

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(IngestJob.flinkConfiguration());
    env.setParallelism(2);
    List<LinkMembership> out = new ArrayList<>();
    LinkMemberships.of(env.fromData(in), LinkSettings.DEFAULT)
        .executeAndCollect()
        .forEachRemaining(out::add);

    Set<String> prefixLinked = new HashSet<>();
    Set<String> scaffoldLinked = new HashSet<>();
    for (LinkMembership m : out) {
      assertThat(m.linkKey()).doesNotContain("203.0.113").doesNotContain("10.");
      LinkKey key = LinkKey.parse(m.linkKey());
      Set<String> all = new HashSet<>(List.of(m.coMembers()));
      all.add(m.accountId());
      if (key.type() == LinkType.IP_PREFIX) {
        prefixLinked.addAll(all);
      }
      if (key.type() == LinkType.SCAFFOLD) {
        scaffoldLinked.addAll(all);
      }
      // Nothing ties a swarm member to an unrelated app.
      assertThat(all.stream().map(a -> a.substring(0, 4)).distinct()).hasSize(1);
    }
    List<String> swarm = List.of("swarm-0", "swarm-1", "swarm-2", "swarm-3", "swarm-4", "swarm-5");
    assertThat(prefixLinked).containsExactlyInAnyOrderElementsOf(swarm);
    assertThat(scaffoldLinked).containsExactlyInAnyOrderElementsOf(swarm);
  }
}
