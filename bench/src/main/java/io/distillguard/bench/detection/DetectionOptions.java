package io.distillguard.bench.detection;

import io.distillguard.bench.Datasets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The detection benchmark's command-line options (see {@link DetectionBenchmark}). */
final class DetectionOptions {

  private DetectionOptions() {}

  record Options(
      PromptPool.Split split,
      double scale,
      double tuneScale,
      long tuneSeed,
      long reportSeed,
      Path datasets,
      Path work,
      Path out,
      Path launcher,
      Path policy,
      boolean skipPipeline,
      boolean skipBaselines,
      boolean precomputedEmbeddings,
      boolean prepare,
      boolean rulesLevel,
      boolean writeOnly,
      long replayTimeoutMinutes) {

    static Options parse(String[] args) {
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--skip-pipeline")
            || a.equals("--skip-baselines")
            || a.equals("--precomputed-embeddings")
            || a.equals("--prepare")
            || a.equals("--rules-level")
            || a.equals("--write-only")) {
          m.put(a, "true");
        } else if (a.startsWith("--") && i + 1 < args.length) {
          m.put(a, args[++i]);
        } else {
          throw new IllegalArgumentException("unknown argument " + a);
        }
      }
      return new Options(
          PromptPool.Split.valueOf(m.getOrDefault("--split", "report").toUpperCase(Locale.ROOT)),
          Double.parseDouble(m.getOrDefault("--scale", "1.0")),
          Double.parseDouble(m.getOrDefault("--tune-scale", m.getOrDefault("--scale", "1.0"))),
          Long.parseLong(m.getOrDefault("--tune-seed", "1001")),
          Long.parseLong(m.getOrDefault("--report-seed", "2002")),
          Datasets.locate(m.get("--datasets")),
          Path.of(m.getOrDefault("--work", "bench/target/detection")),
          Path.of(m.getOrDefault("--out", "bench/results/detection.md")),
          Path.of(m.getOrDefault("--launcher", "./distillguard")),
          m.containsKey("--policy") ? Path.of(m.get("--policy")) : null,
          m.containsKey("--skip-pipeline"),
          m.containsKey("--skip-baselines"),
          m.containsKey("--precomputed-embeddings"),
          m.containsKey("--prepare"),
          m.containsKey("--rules-level"),
          m.containsKey("--write-only"),
          Long.parseLong(m.getOrDefault("--replay-timeout-min", "60")));
    }
  }
}
