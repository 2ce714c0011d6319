package io.distillguard.bench.detection;

import io.distillguard.actors.escalation.WebhookReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Replays the scored split through {@code ./distillguard replay} and reads its webhooks. */
final class PipelineRun {

  private static final Logger LOG = LoggerFactory.getLogger(PipelineRun.class);

  private PipelineRun() {}

  static String run(
      DetectionOptions.Options o,
      TrafficBuilder.Files files,
      Path splitDir,
      TrafficBuilder.Traffic scored,
      List<DetectionScorer.Score> out)
      throws IOException, InterruptedException {
    byte[] key = new byte[24];
    new SecureRandom().nextBytes(key);
    String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
    Path dataDir = splitDir.resolve("data");
    deleteTree(dataDir);
    try (WebhookReceiver receiver = WebhookReceiver.start(secret)) {
      List<String> cmd = new ArrayList<>();
      cmd.add(o.launcher().toString());
      cmd.addAll(
          List.of(
              "replay",
              "--profiles",
              files.profiles().toString(),
              "--events",
              files.events().toString(),
              "--webhook-url",
              receiver.reviewUrl(),
              "--webhook-secret",
              secret,
              "--throttle-url",
              receiver.throttleUrl(),
              "--data-dir",
              dataDir.toString()));
      if (o.policy() != null) {
        cmd.add("--policy");
        cmd.add(o.policy().toString());
      }
      Path log = splitDir.resolve("replay.log");
      LOG.info(
          "Running ./distillguard replay over {} events (log: {})", scored.events().size(), log);
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(o.replayTimeoutMinutes(), TimeUnit.MINUTES)) {
        p.destroy();
        p.waitFor(30, TimeUnit.SECONDS);
        p.destroyForcibly();
        return "replay did not finish within "
            + o.replayTimeoutMinutes()
            + " min (see "
            + log
            + ")";
      }
      int rc = p.exitValue();
      List<WebhookReceiver.Received> deliveries = receiver.received();
      Map<String, Long> review = new HashMap<>();
      Map<String, Long> watch = new HashMap<>();
      Map<String, Integer> levels = new HashMap<>();
      for (WebhookReceiver.Received d : deliveries) {
        String account = d.accountId();
        String level = d.level();
        if (account == null || level == null) {
          continue;
        }
        levels.merge(d.type() + ":" + level, 1, Integer::sum);
        long q = d.queriesObserved();
        if (q < 0) {
          continue;
        }
        if (level.equals("REVIEW") || level.equals("THROTTLE")) {
          review.merge(account, q, Math::min);
        }
        if (level.equals("WATCH") || level.equals("REVIEW") || level.equals("THROTTLE")) {
          watch.merge(account, q, Math::min);
        }
      }
      out.add(DetectionScorer.score("DistillGuard (REVIEW+)", scored.labels(), review));
      out.add(DetectionScorer.score("DistillGuard (WATCH+)", scored.labels(), watch));
      return String.format(
          Locale.ROOT,
          "replay exit code %d; %d verified webhooks (%s), %d rejected signatures",
          rc,
          deliveries.size(),
          levels,
          receiver.rejected());
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
