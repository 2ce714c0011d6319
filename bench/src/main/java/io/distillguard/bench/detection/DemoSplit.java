package io.distillguard.bench.detection;

import io.distillguard.launcher.demo.DemoTraffic;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the demo's traffic ({@code ./distillguard demo}, {@code ReplayIT}) as a labelled split:
 * {@code profiles.jsonl}, {@code events.jsonl} and {@code labels.jsonl} in one folder, which {@link
 * PolicyHarness} and {@link QueryTrace} read like a benchmark split. A candidate policy is then
 * checked against the demo's accounts in seconds, before the replay test runs it end to end.
 *
 * <p>Usage: {@code DemoSplit OUT_DIR [SEED [SCALE]]} (default seed 7 and scale 1.0, the demo's;
 * {@code ReplayIT} replays seed 11 at scale 0.5).
 */
public final class DemoSplit {

  private static final Logger LOG = LoggerFactory.getLogger(DemoSplit.class);

  private DemoSplit() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 7;
    double scale = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
    DemoTraffic.Written written = DemoTraffic.write(out, seed, scale);
    try (BufferedWriter w = Files.newBufferedWriter(out.resolve("labels.jsonl"))) {
      for (DemoTraffic.DemoAccount a : written.accounts()) {
        AccountLabel label =
            new AccountLabel(
                a.accountId(),
                AccountKind.valueOf(a.kind().name()),
                null,
                a.queries(),
                a.statedUse());
        w.write(label.toJson());
        w.newLine();
      }
    }
    LOG.info("demo traffic (seed {}, scale {}) written as a split to {}", seed, scale, out);
  }
}
