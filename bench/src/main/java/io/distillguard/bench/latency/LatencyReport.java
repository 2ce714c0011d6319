package io.distillguard.bench.latency;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The streaming latency table: one row per phase, the first phase the baseline. */
final class LatencyReport {

  /** Target of the issue: p99 event to webhook at 1,000 events/s. */
  static final double TARGET_P99_MILLIS = 2_000;

  private LatencyReport() {}

  /** The machine the run was on. */
  record Machine(String date, int cores, String cpu, String java, String loadAtStart) {
    static Machine now() {
      return new Machine(
          LocalDate.now().toString(),
          Runtime.getRuntime().availableProcessors(),
          cpuModel(),
          System.getProperty("java.version"),
          loadAverage());
    }

    static String loadAverage() {
      return String.format(
          Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String cpuModel() {
      try {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name"))
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .findFirst()
            .orElse("unknown CPU");
      } catch (IOException e) {
        return "unknown CPU";
      }
    }
  }

  /** One paced phase and what came of it. */
  record Phase(
      String name,
      int rate,
      long produced,
      double produceSeconds,
      double behindMaxMillis,
      long accounts,
      long campaigns,
      long lagAtStop,
      long maxLag,
      double drainSeconds,
      double committedPerSecond,
      List<LatencyLedger.Match> matches,
      Percentiles total,
      Percentiles toDecision,
      Percentiles delivery) {

    Map<String, Integer> byType() {
      Map<String, Integer> out = new TreeMap<>();
      matches.forEach(m -> out.merge(m.type(), 1, Integer::sum));
      return out;
    }

    /** The rate, and how the phase was produced when not record by record. */
    String label() {
      int tx = name.indexOf("-tx");
      String rateText = String.format(Locale.ROOT, "%,d", rate);
      return tx < 0
          ? rateText
          : rateText + ", in transactions every " + name.substring(tx + 3).replace("s", " s");
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%s: %d produced in %.1f s, committed %.0f/s while producing, max lag %d, %d webhooks,"
              + " p50 %.0f ms, p99 %.0f ms, max %.0f ms",
          name,
          produced,
          produceSeconds,
          committedPerSecond,
          maxLag,
          total.n(),
          total.p50(),
          total.p99(),
          total.max());
    }
  }

  static void write(
      Path out,
      Machine machine,
      String loadAtEnd,
      int seconds,
      double perAccountRate,
      double campaignShare,
      int partitions,
      List<Phase> phases,
      List<String> unmatched,
      String serviceLog)
      throws IOException {
    Phase base = phases.get(0);
    StringBuilder md = new StringBuilder();
    md.append("# Streaming latency: event to webhook\n\n")
        .append("Produced by `bench/run latency.StreamingLatencyBenchmark`")
        .append(
            " (`io.distillguard.bench.latency.StreamingLatencyBenchmark`, see its Javadoc).\n\n")
        .append("- date: ")
        .append(machine.date())
        .append("\n- machine: ")
        .append(machine.cores())
        .append(" cores (nproc), ")
        .append(machine.cpu())
        .append("; Java ")
        .append(machine.java())
        .append("; load average ")
        .append(machine.loadAtStart())
        .append(" at the start, ")
        .append(loadAtEnd)
        .append(" at the end\n")
        .append("- service: `ActorServiceMain` in its own JVM (-Xmx1g), configured by environment,")
        .append(" default H2 journal in a fresh data dir, default policy, consuming an in-process")
        .append(" Kafka broker (one KRaft node, ")
        .append(partitions)
        .append(
            " partitions); webhooks to a verifying receiver on 127.0.0.1 in the benchmark's JVM\n")
        .append("- traffic: precomputed observations (nothing embedded), each phase ")
        .append(seconds)
        .append(" s at a paced rate with its own accounts, ")
        .append(String.format(Locale.ROOT, "%.0f", perAccountRate))
        .append(" events/s per active account, ")
        .append(String.format(Locale.ROOT, "%.0f%%", campaignShare * 100))
        .append(" of accounts campaigns sweeping the categories; one warm-up phase before")
        .append(" (not reported)\n")
        .append("- latency: produce of the observation that tipped a decision to the receipt of")
        .append(" its webhook (matched by account, count and event time); split at the decision's")
        .append(" journal write (the webhook's `timestamp`)\n")
        .append(
            "- lag: sampled every 0.5 s from the group's committed offsets; the service commits")
        .append(
            " every 1,000 records or 10 s, so committed lag overstates what is waiting by up to")
        .append(" that much (at 100/s the committed figure moves in 10 s steps)\n\n");

    md.append("| rate (events/s) | produced | accounts (campaigns) | committed/s while producing |")
        .append(" max committed lag | drained after the producer stopped | webhooks | p50 | p99 |")
        .append(" max | p99 vs baseline | p99 ≤ 2 s |\n")
        .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Phase p : phases) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %,d (%,d) | %,.0f | %,d | %.1f s | %,d | %s | %s | %s | %s | %s |%n",
              p.label(),
              p.produced(),
              p.accounts(),
              p.campaigns(),
              p.committedPerSecond(),
              p.maxLag(),
              p.drainSeconds(),
              p.total().n(),
              ms(p.total().p50()),
              ms(p.total().p99()),
              ms(p.total().max()),
              p == base ? "baseline" : ratio(p.total().p99(), base.total().p99()),
              p.total().n() == 0
                  ? "no webhooks"
                  : p.total().p99() <= TARGET_P99_MILLIS ? "met" : "**not met**"));
    }

    md.append("\nWhere the time goes (p50 / p99 / max):\n\n")
        .append("| rate | produce → decision journaled | journaled → webhook received |")
        .append(" webhooks by type and level | produce time / behind schedule (max) |")
        .append(" committed lag at the producer's stop |\n")
        .append("|---:|---|---|---|---|---:|\n");
    for (Phase p : phases) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %.1f s / %s | %,d |%n",
              p.label(),
              triple(p.toDecision()),
              triple(p.delivery()),
              p.byType(),
              p.produceSeconds(),
              ms(p.behindMaxMillis()),
              p.lagAtStop()));
    }
    md.append("\nUnmatched webhooks: ")
        .append(unmatched.size())
        .append(
            unmatched.isEmpty() ? "" : " " + unmatched.subList(0, Math.min(5, unmatched.size())))
        .append(". Service log: ")
        .append(serviceLog)
        .append(".\n");
    Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
  }

  private static String triple(Percentiles p) {
    return ms(p.p50()) + " / " + ms(p.p99()) + " / " + ms(p.max());
  }

  private static String ms(double millis) {
    if (Double.isNaN(millis)) {
      return "-";
    }
    return millis >= 10_000
        ? String.format(Locale.ROOT, "%.1f s", millis / 1000)
        : String.format(Locale.ROOT, "%.0f ms", millis);
  }

  private static String ratio(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) || b == 0
        ? "-"
        : String.format(Locale.ROOT, "%.2fx", a / b);
  }
}
