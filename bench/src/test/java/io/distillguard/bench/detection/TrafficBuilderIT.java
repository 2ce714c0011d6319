package io.distillguard.bench.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.Parsed;
import io.distillguard.contract.QueryEvent;
import io.distillguard.fixtures.PromptSamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds small traffic from the repository's samples of the real datasets ({@link PromptSamples});
 * an integration test because it embeds nothing but splits, builds and probes whole traffic files.
 */
class TrafficBuilderIT {

  private static final Path DATASETS = PromptSamples.directory();
  private static PromptPool tunePool;
  private static PromptPool reportPool;
  private static TrafficBuilder.Traffic tune;
  private static TrafficBuilder.Traffic report;

  @BeforeAll
  static void build() {
    tunePool = PromptPool.load(DATASETS, PromptPool.Split.TUNE);
    reportPool = PromptPool.load(DATASETS, PromptPool.Split.REPORT);
    tune = TrafficBuilder.build(tunePool, 0.4, 1001);
    report = TrafficBuilder.build(reportPool, 0.4, 2002);
  }

  @Test
  void splitsHoldDisjointHalvesOfEveryDataset() {
    for (String source : PromptPool.SOURCES) {
      Set<String> tuneIds = new HashSet<>();
      tunePool.source(source).forEach(r -> tuneIds.add(r.id() + "\u0000" + r.text()));
      assertThat(reportPool.source(source))
          .noneMatch(r -> tuneIds.contains(r.id() + "\u0000" + r.text()));
    }
    int rows = PromptSamples.SOURCES.stream().mapToInt(s -> PromptSamples.rows(s).size()).sum();
    assertThat(tunePool.size() + reportPool.size()).isEqualTo(rows);
    assertThat(tunePool.size()).isBetween(rows * 2 / 5, rows * 3 / 5);
  }

  @Test
  void trafficIsValidContractOutputWithLabelsApart(@TempDir Path dir) throws Exception {
    TrafficBuilder.Files files = report.write(dir);
    ContractCodec codec = new ContractCodec(ContractLimits.DEFAULT);
    List<String> lines = Files.readAllLines(files.events());
    assertThat(lines).hasSize(report.events().size());
    Set<String> contractFields =
        Set.of(
            "event_id",
            "account_id",
            "timestamp",
            "prompt",
            "embedding",
            "api_key_id",
            "model",
            "prompt_tokens",
            "completion_tokens",
            "response_entropy",
            "client");
    for (String line : lines) {
      assertThat(codec.parseEvent(line)).isInstanceOf(Parsed.Ok.class);
      // Nothing but v1 contract fields: the labels live in their own file.
      com.fasterxml.jackson.databind.JsonNode node =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
      node.fieldNames().forEachRemaining(f -> assertThat(contractFields).contains(f));
    }
    for (String line : Files.readAllLines(files.profiles())) {
      assertThat(codec.parseProfile(line)).isInstanceOf(Parsed.Ok.class);
    }
    assertThat(AccountLabel.read(files.labels())).isEqualTo(report.labels());

    Map<String, Integer> perAccount = report.queriesPerAccount();
    assertThat(report.labels())
        .allSatisfy(l -> assertThat(perAccount.get(l.accountId())).isEqualTo(l.queries()));
    assertThat(report.profiles()).hasSameSizeAs(report.labels());
    Set<String> ids = new HashSet<>();
    QueryEvent previous = null;
    for (QueryEvent e : report.events()) {
      assertThat(ids.add(e.eventId())).isTrue();
      if (previous != null) {
        assertThat(e.timestamp()).isAfterOrEqualTo(previous.timestamp());
      }
      previous = e;
    }
    Set<AccountKind> kinds = EnumSet.noneOf(AccountKind.class);
    report.labels().forEach(l -> kinds.add(l.kind()));
    assertThat(kinds).containsExactlyInAnyOrder(AccountKind.values());
    assertThat(report.labels())
        .filteredOn(l -> l.kind().swarm())
        .allSatisfy(l -> assertThat(l.swarmId()).isNotNull());
  }

  @Test
  void sameSeedSameTrafficOtherSeedOtherTraffic() {
    TrafficBuilder.Traffic again = TrafficBuilder.build(reportPool, 0.4, 2002);
    assertThat(again.events()).hasSameSizeAs(report.events());
    assertThat(again.events().get(100).eventId()).isEqualTo(report.events().get(100).eventId());
    assertThat(again.labels()).isEqualTo(report.labels());
    TrafficBuilder.Traffic other = TrafficBuilder.build(reportPool, 0.4, 2003);
    assertThat(other.labels()).isNotEqualTo(report.labels());
  }

  /**
   * The generator is pinned byte for byte: a refactoring of the builder must write the same files
   * (the benchmark's cached splits and their embeddings are keyed by this traffic). Change the
   * digests only together with a deliberate change of the traffic, and say so.
   */
  @Test
  void trafficIsPinnedByteForByte(@TempDir Path dir) throws Exception {
    TrafficBuilder.Files files = report.write(dir.resolve("report"));
    TrafficBuilder.Files tuneFiles = tune.write(dir.resolve("tune"));
    assertThat(sha256(files.events(), files.profiles(), files.labels())).isEqualTo(REPORT_DIGEST);
    assertThat(sha256(tuneFiles.events(), tuneFiles.profiles(), tuneFiles.labels()))
        .isEqualTo(TUNE_DIGEST);
  }

  private static final String REPORT_DIGEST =
      "7344becb1233839b0792eb462661b0b5d901004d28a1541eef09256e56297fa5";
  private static final String TUNE_DIGEST =
      "012532e4c6adf75a2e843c563cc3c6fb643228afccc6e1bea40c4bcdfae41fdf";

  private static String sha256(Path... files) throws Exception {
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    for (Path f : files) {
      md.update(Files.readAllBytes(f));
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  @Test
  void noSuperficialFeatureSeparatesTheLabels() {
    List<LeakProbe.Result> results =
        LeakProbe.run(tune, report, LeakProbe.contentPhrases(tunePool, reportPool));
    assertThat(results).hasSizeGreaterThanOrEqualTo(12);
    assertThat(results)
        .filteredOn(r -> !r.feature().contains("informational"))
        .allSatisfy(
            r -> assertThat(r.reportAuc()).as(r.feature()).isLessThanOrEqualTo(LeakProbe.MAX_AUC));
  }
}
