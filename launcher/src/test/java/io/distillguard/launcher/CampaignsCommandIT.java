package io.distillguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.campaign.SwarmTraffic;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./distillguard campaigns} over a data dir the local mode wrote: a swarm that split a sweep
 * between six accounts is listed at REVIEW with its members, hashed links and the rule that decided
 * it; a data dir without campaigns says so.
 */
class CampaignsCommandIT {

  private static final long T0 = 1_791_158_400_000L;

  @TempDir Path dir;

  @Test
  void listsTheCampaignsOfADataDirWithTheirMembersAndTopLinks() throws Exception {
    Path dataDir = dir.resolve("data");
    ActorSettings settings =
        ActorSettings.defaults(dataDir).withWebhook(null, null).withHttp("127.0.0.1", -1, null);
    try (ActorService service = ActorService.start(settings, null, null)) {
      TestFixtures.record(service, SwarmTraffic.swarm(T0, 6, 12, 3, null, "key-"));
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
    // Why it is at REVIEW: the deciding rule's conditions with their values and thresholds.
    assertThat(text)
        .containsPattern(
            "rule:\\s+[a-z-]+\\s+[a-z_]+ [0-9.]+ \\(threshold [0-9.]+\\)(, [a-z_]+ [0-9.]+"
                + " \\(threshold [0-9.]+\\))+");
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
}
