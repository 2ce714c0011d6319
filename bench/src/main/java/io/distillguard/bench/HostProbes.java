package io.distillguard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a benchmark reads of the JVM and the machine it runs on, next to its own figures. */
public final class HostProbes {

  private static final Logger LOG = LoggerFactory.getLogger(HostProbes.class);

  private HostProbes() {}

  /** Seconds since {@code startNanos} ({@link System#nanoTime()}). */
  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** CPU time of the calling thread so far, in nanoseconds. */
  static long cpuNanos() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  /** Heap in use now (no collection first). */
  static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** The one-minute load average of {@code /proc/loadavg}, or {@code unknown}. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The machine as the reports name it: {@code "2 cores (nproc), <CPU model>"}. */
  public static String machine() {
    return Runtime.getRuntime().availableProcessors() + " cores (nproc), " + cpuModel();
  }

  /** The CPU's model name from {@code /proc/cpuinfo}, or the architecture. */
  public static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("No /proc/cpuinfo", e);
    }
    return System.getProperty("os.arch");
  }
}
