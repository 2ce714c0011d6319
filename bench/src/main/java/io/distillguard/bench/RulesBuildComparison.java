package io.distillguard.bench;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two builds of the rules module side by side in one JVM: each build through a class loader of its
 * own (with this module's classes and every other dependency), timed in alternating rounds on the
 * same work, so that the drift of a shared machine between two runs, ±20 % here, does not land on
 * one build. The work ({@code -Dbench.workload}): {@code observe}, {@code AccountDetector.observe}
 * over 1,000 accounts x 1,000 observations ({@link ObserveRounds}); or {@code grouping}, the
 * campaign grouping over 300,000 queries of 50 accounts ({@link GroupingRounds}), with the heap it
 * retains and the link keys it tracks; or {@code enrich}, the ingest job's enrichment of 200,000
 * prompt vectors ({@link EnrichRounds}). The baseline is typically the code before a change: {@code
 * git worktree add /tmp/before HEAD~1}, then {@code ./mvnw -o -q package -pl rules -DskipTests}
 * there.
 *
 * <p>Usage: {@code RulesBuildComparison BASELINE_RULES_JAR [CANDIDATE_RULES_JAR|-] [output.md]}
 * (candidate by default, or with {@code -}: the rules on this classpath); {@code -Dbench.rounds=N}
 * (default 12) rounds per build.
 */
public final class RulesBuildComparison {

  private static final Logger LOG = LoggerFactory.getLogger(RulesBuildComparison.class);

  /** What a workload runs: its class, and the two numbers its {@code setup} takes. */
  private record Workload(Class<?> rounds, int accounts, int perAccountOrTotal, String describe) {}

  private static Workload workload() {
    String name = System.getProperty("bench.workload", "observe");
    return switch (name) {
      case "observe" ->
          new Workload(
              ObserveRounds.class,
              1_000,
              1_000,
              "`AccountDetector.observe`, 1,000 accounts x 1,000 observations per round, one thread");
      case "grouping" ->
          new Workload(
              GroupingRounds.class,
              50,
              300_000,
              "the campaign grouping (`CampaignDetector`, grouping only), 300,000 queries of 50"
                  + " accounts per round (one address block and client, each its own address and"
                  + " key, every query a novel prompt with 8 payload bands, 50 ms apart), one thread");
      case "enrich" ->
          new Workload(
              EnrichRounds.class,
              50,
              200_000,
              "the ingest job's enrichment (`QueryEnricher.enrich`, the shipped centroids), 200,000"
                  + " prompt vectors per round (4,096 distinct, not unit length, each with a short"
                  + " prompt text) of 50 accounts' stated uses, one thread");
      default -> throw new IllegalArgumentException("unknown bench.workload " + name);
    };
  }

  private RulesBuildComparison() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      throw new IllegalArgumentException(
          "usage: RulesBuildComparison BASELINE_RULES_JAR [CANDIDATE_RULES_JAR|-] [output.md]");
    }
    List<String> classpath =
        List.of(System.getProperty("java.class.path").split(File.pathSeparator));
    String onClasspath =
        classpath.stream()
            .filter(RulesBuildComparison::isRules)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no rules module on the classpath"));
    String[] builds = {args[0], args.length > 1 && !args[1].equals("-") ? args[1] : onClasspath};
    int rounds = Integer.getInteger("bench.rounds", 12);
    Workload workload = workload();
    Method[] round = new Method[2];
    for (int b = 0; b < 2; b++) {
      Class<?> work = loaderFor(builds[b], classpath).loadClass(workload.rounds().getName());
      work.getMethod("setup", int.class, int.class)
          .invoke(null, workload.accounts(), workload.perAccountOrTotal());
      round[b] = work.getMethod("round");
    }
    round[0].invoke(null); // warm-up, one round each
    round[1].invoke(null);
    double[][] rates = new double[2][rounds];
    // Beyond the time and count, a workload may give the heap it retains and the keys it tracks.
    long[][] extra = new long[2][];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < 2; i++) {
        int b = r % 2 == 0 ? i : 1 - i; // alternate which build goes first
        long[] took = (long[]) round[b].invoke(null);
        rates[b][r] = took[1] / (took[0] / 1e9);
        if (took.length >= 4) {
          extra[b] = new long[] {took[2], took[3]};
        }
      }
      LOG.info(
          "round {}: baseline {} observations/s, candidate {}",
          r,
          Math.round(rates[0][r]),
          Math.round(rates[1][r]));
    }
    String md = report(builds, workload, rates, extra);
    LOG.info("\n{}", md);
    if (args.length > 2) {
      Files.writeString(Path.of(args[2]), md);
    }
  }

  private static boolean isRules(String entry) {
    return entry.contains("distillguard-rules")
        || entry.replace('\\', '/').endsWith("rules/target/classes");
  }

  private static ClassLoader loaderFor(String rules, List<String> classpath) throws IOException {
    List<URL> urls = new ArrayList<>();
    urls.add(Path.of(rules).toUri().toURL());
    for (String entry : classpath) {
      if (!isRules(entry)) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
  }

  private static String report(
      String[] builds, Workload workload, double[][] rates, long[][] extra) {
    double[] median = new double[2];
    double[] best = new double[2];
    for (int b = 0; b < 2; b++) {
      double[] sorted = rates[b].clone();
      Arrays.sort(sorted);
      median[b] = sorted[sorted.length / 2];
      best[b] = sorted[sorted.length - 1];
    }
    // Each round's two timings are minutes apart at most: their ratio is the least drifted figure.
    double[] paired = new double[rates[0].length];
    for (int r = 0; r < paired.length; r++) {
      paired[r] = rates[1][r] / rates[0][r];
    }
    Arrays.sort(paired);
    StringBuilder md = new StringBuilder();
    md.append("# Two rules builds in one JVM\n\n")
        .append("- date: ")
        .append(LocalDate.now())
        .append("\n- machine: ")
        .append(HostProbes.machine())
        .append(", load average at the end ")
        .append(HostProbes.loadAverage())
        .append("\n- baseline: `")
        .append(builds[0])
        .append("`\n- candidate: `")
        .append(builds[1])
        .append("`\n- ")
        .append(rates[0].length)
        .append(" alternating rounds each of ")
        .append(workload.describe())
        .append("\n\n")
        .append("| | baseline | candidate | candidate/baseline |\n|---|---:|---:|---:|\n");
    md.append(
        String.format(
            Locale.ROOT,
            "| median observations/s | %,.0f | %,.0f | %.2fx |%n",
            median[0],
            median[1],
            median[1] / median[0]));
    md.append(
        String.format(
            Locale.ROOT,
            "| best round | %,.0f | %,.0f | %.2fx |%n",
            best[0],
            best[1],
            best[1] / best[0]));
    md.append(
        String.format(
            Locale.ROOT,
            "| median of the rounds' own ratios | | | %.2fx (rounds %.2f-%.2fx) |%n",
            paired[paired.length / 2],
            paired[0],
            paired[paired.length - 1]));
    if (extra[0] != null && extra[1] != null) {
      md.append(
          String.format(
              Locale.ROOT,
              "| heap retained after the last round (MB, after a full collection) | %.1f | %.1f |"
                  + " %.2fx |%n",
              extra[0][0] / 1e6,
              extra[1][0] / 1e6,
              (double) extra[1][0] / extra[0][0]));
      md.append(
          String.format(
              Locale.ROOT,
              "| link keys tracked after the last round | %,d | %,d | |%n",
              extra[0][1],
              extra[1][1]));
    }
    return md.toString();
  }
}
