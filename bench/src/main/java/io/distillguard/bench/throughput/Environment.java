package io.distillguard.bench.throughput;

import io.distillguard.bench.HostProbes;
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
        + HostProbes.machine()
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
