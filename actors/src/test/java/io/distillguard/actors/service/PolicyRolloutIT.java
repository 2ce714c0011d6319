package io.distillguard.actors.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.TestFixtures;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule updates without a redeploy: the policy file sits in a directory laid out the way the kubelet
 * mounts a ConfigMap ({@code policy.yaml -> ..data/policy.yaml}, {@code ..data -> ..<timestamp>})
 * and is updated the way the kubelet updates it (a new timestamped directory, then an atomic rename
 * of the {@code ..data} link). The running service picks the new policy up, and the next
 * observation of an entity that is already running is decided under it.
 */
class PolicyRolloutIT {

  /** The test ladder with every threshold three categories higher: the campaign stays OK. */
  private static final String LENIENT =
      TestFixtures.POLICY_YAML
          .replace("test-ladder-1", "lenient-1")
          .replace("threshold: 2}", "threshold: 5}")
          .replace("threshold: 3}", "threshold: 6}")
          .replace("threshold: 4}", "threshold: 7}");

  @TempDir Path dir;

  @Test
  void aConfigMapUpdateChangesTheNextDecisionOfARunningEntity() throws Exception {
    Path mount = dir.resolve("policy");
    Files.createDirectories(mount);
    configMapVersion(mount, "..2026_10_05_00_00_00.1", LENIENT);
    Files.createSymbolicLink(mount.resolve("policy.yaml"), Path.of("..data/policy.yaml"));

    ActorSettings settings =
        ActorSettings.defaults(dir.resolve("data"))
            .withWebhook(null, null)
            .withThrottleUrl(null)
            .withHttp("127.0.0.1", -1, null)
            .withPolicyFile(mount.resolve("policy.yaml"));
    try (ActorService service = ActorService.start(settings, null, null)) {
      assertThat(service.policyVersion()).isEqualTo("lenient-1");
      List<AccountObservation> campaign = TestFixtures.campaign("acct-p");
      for (AccountObservation o : campaign.subList(0, 6)) {
        service.intake().record(o).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      // Three categories with support: under the lenient policy that is still OK.
      assertThat(service.status("acct-p").toCompletableFuture().get().level()).isEqualTo(Level.OK);

      configMapVersion(mount, "..2026_10_05_00_05_00.2", TestFixtures.POLICY_YAML);
      Awaitility.await("the policy reloaded")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .until(service::policyVersion, "test-ladder-1"::equals);

      // The same running entity, its next observation: decided under the new ladder.
      service.intake().record(campaign.get(6)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      var status = service.status("acct-p").toCompletableFuture().get();
      assertThat(status.queriesObserved()).isEqualTo(7);
      assertThat(status.level()).isEqualTo(Level.REVIEW);
      service.intake().record(campaign.get(7)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(service.status("acct-p").toCompletableFuture().get().level())
          .isEqualTo(Level.THROTTLE);
      assertThat(service.policyError()).isNull();
      assertThat(service.metrics().scrape())
          .containsPattern("(?m)^distillguard_policy_file_refused 0\\.0$");

      // A broken edit is refused: the last good policy stays, and the refusal shows.
      configMapVersion(
          mount,
          "..2026_10_05_00_10_00.3",
          TestFixtures.POLICY_YAML
              .replace("test-ladder-1", "broken-1")
              .replace("op: \">=\"", "op: \"~\""));
      Awaitility.await("the broken policy refused")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> service.policyError() != null);
      assertThat(service.policyVersion()).isEqualTo("test-ladder-1");
      assertThat(service.policyError()).contains("op");
      assertThat(service.metrics().scrape())
          .containsPattern("(?m)^distillguard_policy_file_refused 1\\.0$");
    }
  }

  /** Writes a ConfigMap version the way the kubelet does: new dir, then swap the ..data link. */
  private static void configMapVersion(Path mount, String version, String policy) throws Exception {
    Path versionDir = mount.resolve(version);
    Files.createDirectories(versionDir);
    Files.writeString(versionDir.resolve("policy.yaml"), policy);
    Path tmp = mount.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, Path.of(version));
    Files.move(tmp, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
  }
}
