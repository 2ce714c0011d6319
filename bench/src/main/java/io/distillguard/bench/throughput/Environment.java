package io.distillguard.bench.throughput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** What a throughput table says about the machine it ran on. */
final class Environment {

  private Environment() {}

  /** The 1, 5 and 15 minute load averages, or "unknown". */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + ", " + parts[1] + ", " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The CPU model from /proc/cpuinfo, else the architecture. */
  static String cpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    try {
      if (Files.isReadable(cpuinfo)) {
        for (String line : Files.readAllLines(cpuinfo)) {
          if (line.startsWith("model name")) {
            return line.substring(line.indexOf(':') + 1).trim();
          }
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return System.getProperty("os.arch");
  }

  /** CPU time this JVM has used, all threads, in nanoseconds. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Date, machine and the load at the start ({@code loadBefore}) and now, as Markdown. */
  static String header(String loadBefore) {
    return "- Date: "
        + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
        + "\n- Machine: "
        + Runtime.getRuntime().availableProcessors()
        + " cores (nproc), "
        + cpuModel()
        + "; Java "
        + System.getProperty("java.runtime.version")
        + "\n- Load average (1, 5, 15 min) at the start: "
        + loadBefore
        + "; at the end: "
        + loadAverage()
        + ". The machine was shared with other builds and test runs while this ran: absolute"
        + " figures are low and noisy, compare the ratios within the table.\n\n";
  }
}
