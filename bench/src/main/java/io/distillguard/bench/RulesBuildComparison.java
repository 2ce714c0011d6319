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
 * {@code AccountDetector.observe} of two builds of the rules module side by side in one JVM: each
 * build through a class loader of its own (with this module's classes and every other dependency),
 * timed in alternating rounds on the same observations ({@link ObserveRounds}), so that the drift
 * of a shared machine between two runs, ±20 % here, does not land on one build. The baseline is
 * typically the code before a change: {@code git worktree add /tmp/before HEAD~1}, then {@code
 * ./mvnw -o -q package -pl rules -DskipTests} there.
 *
 * <p>Usage: {@code RulesBuildComparison BASELINE_RULES_JAR [CANDIDATE_RULES_JAR|-] [output.md]}
 * (candidate by default, or with {@code -}: the rules on this classpath); {@code -Dbench.rounds=N}
 * (default 12) rounds per build, 1,000 accounts x 1,000 observations each.
 */
public final class RulesBuildComparison {

  private static final Logger LOG = LoggerFactory.getLogger(RulesBuildComparison.class);
  private static final int ACCOUNTS = 1_000;
  private static final int PER_ACCOUNT = 1_000;

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
    Method[] round = new Method[2];
    for (int b = 0; b < 2; b++) {
      Class<?> work = loaderFor(builds[b], classpath).loadClass(ObserveRounds.class.getName());
      work.getMethod("setup", int.class, int.class).invoke(null, ACCOUNTS, PER_ACCOUNT);
      round[b] = work.getMethod("round");
    }
    round[0].invoke(null); // warm-up, one round each
    round[1].invoke(null);
    double[][] rates = new double[2][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < 2; i++) {
        int b = r % 2 == 0 ? i : 1 - i; // alternate which build goes first
        long[] took = (long[]) round[b].invoke(null);
        rates[b][r] = took[1] / (took[0] / 1e9);
      }
      LOG.info(
          "round {}: baseline {} observations/s, candidate {}",
          r,
          Math.round(rates[0][r]),
          Math.round(rates[1][r]));
    }
    String md = report(builds, rates);
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

  private static String report(String[] builds, double[][] rates) {
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
    md.append("# observe() of two rules builds in one JVM\n\n")
        .append("- date: ")
        .append(LocalDate.now())
        .append("\n- machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores (nproc), ")
        .append(HostProbes.cpuModel())
        .append(", load average at the end ")
        .append(HostProbes.loadAverage())
        .append("\n- baseline: `")
        .append(builds[0])
        .append("`\n- candidate: `")
        .append(builds[1])
        .append("`\n- ")
        .append(rates[0].length)
        .append(
            String.format(
                Locale.ROOT,
                " alternating rounds each, %,d accounts x %,d observations per round, one thread%n%n",
                ACCOUNTS,
                PER_ACCOUNT))
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
    return md.toString();
  }
}
