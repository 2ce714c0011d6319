package io.distillguard.bench.detection.campaign;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the campaign benchmarks share outside their measurements: their {@code --name value}
 * options, the campaign sizes they run at, and the run table their reports open with.
 */
final class BenchArgs {

  private BenchArgs() {}

  /** {@code --name value} pairs; a trailing name without a value is ignored. */
  static Map<String, String> options(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i], args[i + 1]);
    }
    return o;
  }

  /** The sizes {@code --members N,N} names, else {@code defaults} (the same form). */
  static List<Integer> members(Map<String, String> options, String defaults) {
    List<Integer> sizes = new ArrayList<>();
    for (String s : options.getOrDefault("--members", defaults).split(",")) {
      sizes.add(Integer.parseInt(s.trim()));
    }
    return sizes;
  }

  /** The report's run table: when, on how many cores of what, on which JVM. */
  static String runTable() {
    return "| run | "
        + java.time.Instant.now()
        + " |\n|---|---|\n| machine | "
        + Runtime.getRuntime().availableProcessors()
        + " cores, "
        + System.getProperty("os.arch")
        + " |\n| java | "
        + System.getProperty("java.vm.name")
        + ' '
        + System.getProperty("java.version")
        + " |\n\n";
  }
}
