package io.distillguard.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyReloaderTest {

  private static String version(String v, double threshold) {
    return PolicyTest.policy(
            """
              - name: fast
                level: WATCH
                signal: rate_per_min
                threshold: %s
            """
                .formatted(threshold))
        .replace("version: t1", "version: " + v);
  }

  @Test
  void reloadsAChangedFileAndKeepsTheLastGoodPolicyOnABadEdit(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, version("v1", 10));
    try (PolicyReloader reloader = PolicyReloader.manual(file)) {
      assertThat(reloader.get().version()).isEqualTo("v1");
      assertThat(reloader.reloadIfChanged()).isFalse();

      Files.writeString(file, version("v2", 20));
      assertThat(reloader.reloadIfChanged()).isTrue();
      assertThat(reloader.get().version()).isEqualTo("v2");
      assertThat(reloader.lastError()).isNull();

      Files.writeString(file, version("v3", 30).replace("rate_per_min", "rate_per_fortnight"));
      assertThat(reloader.reloadIfChanged()).isFalse();
      assertThat(reloader.get().version()).isEqualTo("v2");
      assertThat(reloader.lastError()).contains("unknown signal 'rate_per_fortnight'");

      Files.delete(file);
      assertThat(reloader.reloadIfChanged()).isFalse();
      assertThat(reloader.get().version()).isEqualTo("v2");

      Files.writeString(file, version("v4", 40));
      assertThat(reloader.reloadIfChanged()).isTrue();
      assertThat(reloader.get().version()).isEqualTo("v4");
    }
  }

  @Test
  void thePollerPicksUpAnEditByItself(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, version("v1", 10));
    try (PolicyReloader reloader = PolicyReloader.watch(file, Duration.ofMillis(20))) {
      Files.writeString(file, version("v2", 11));
      Awaitility.await("the edit picked up")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> reloader.get().version(), "v2"::equals);
    }
  }

  @Test
  void anInvalidFileAtStartIsAnError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, "version: x\n");
    assertThatThrownBy(() -> PolicyReloader.manual(file)).isInstanceOf(PolicyException.class);
  }
}
