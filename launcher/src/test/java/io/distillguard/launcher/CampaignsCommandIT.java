package io.distillguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.campaign.LinkHasher;
import io.distillguard.campaign.LinkType;
import io.distillguard.observe.AccountObservation;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./distillguard campaigns} over a data dir the local mode wrote: a swarm that split a sweep
 * between six accounts is listed at REVIEW with its members and hashed links; a data dir without
 * campaigns says so.
 */
class CampaignsCommandIT {

  private static final long T0 = 1_791_158_400_000L;
  private static final LinkHasher HASHER = LinkHasher.localDefault();

  @TempDir Path dir;

  @Test
  void listsTheCampaignsOfADataDirWithTheirMembersAndTopLinks() throws Exception {
    Path dataDir = dir.resolve("data");
    ActorSettings settings =
        ActorSettings.defaults(dataDir).withWebhook(null, null).withHttp("127.0.0.1", -1, null);
    try (ActorService service = ActorService.start(settings, null, null)) {
      for (AccountObservation o : swarm(6, 12)) {
        service.intake().record(o).toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
    }

    StringWriter out = new StringWriter();
    CommandLine cli = DistillGuardCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    int exit = cli.execute("campaigns", "--data-dir", dataDir.toString());
    assertThat(exit).as(out.toString()).isZero();
    String text = out.toString();
    assertThat(text).containsPattern("cmp-[0-9a-f]{16}\\s+REVIEW\\s+6");
    assertThat(text).contains("members: swarm-");
    for (int m = 0; m < 6; m++) {
      assertThat(text).contains("swarm-" + m);
    }
    assertThat(text).containsPattern("link:\\s+content\\s+scaffold\\s+[0-9a-f]{16}  weight");
    assertThat(text).contains("detail:  GET /v1/campaigns/cmp-");
    // Hashed only: no address in clear.
    assertThat(text).doesNotContain("203.0.113.");

    StringWriter none = new StringWriter();
    CommandLine again = DistillGuardCli.commandLine();
    again.setOut(new PrintWriter(none, true));
    assertThat(again.execute("campaigns", "--data-dir", dataDir.toString(), "--level", "WATCH"))
        .isZero();
    assertThat(none.toString()).contains("no campaigns at WATCH");
  }

  /** Member m asks the categories whose index is m modulo the member count, one scaffold. */
  private static List<AccountObservation> swarm(int members, int queriesEach) {
    List<String> categories = CapabilityTaxonomy.loadDefault().names();
    List<AccountObservation> out = new ArrayList<>();
    for (int m = 0; m < members; m++) {
      List<String> slice = new ArrayList<>();
      for (int c = m; c < categories.size(); c += members) {
        slice.add(categories.get(c));
      }
      String ip = HASHER.key(LinkType.IP, "203.0.113." + (10 + m % 3)).value();
      String[] keys = {
        HASHER.key(LinkType.SCAFFOLD, "Practice item for the study bank: %s").wire(),
        HASHER.key(LinkType.IP, "203.0.113." + (10 + m % 3)).wire(),
        HASHER.key(LinkType.SIGNUP_BURST, "h493000").wire()
      };
      for (int q = 0; q < queriesEach; q++) {
        String id = "swarm-" + m + "-e" + q;
        out.add(
            new AccountObservation(
                    id,
                    "swarm-" + m,
                    T0 + q * 60_000L + m * 1_000L,
                    slice.get(q % slice.size()),
                    0.8f,
                    0.1f,
                    id.hashCode() * 0x9E3779B97F4A7C15L,
                    id.hashCode(),
                    120,
                    40,
                    200,
                    1.2,
                    "key-" + m,
                    ip,
                    null,
                    null,
                    null,
                    null)
                .withLinkKeys(keys, ip));
      }
    }
    out.sort(Comparator.comparingLong(AccountObservation::eventTimeMillis));
    return out;
  }
}
