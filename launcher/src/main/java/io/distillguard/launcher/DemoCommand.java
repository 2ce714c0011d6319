package io.distillguard.launcher;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.launcher.demo.DemoTraffic;
import io.distillguard.launcher.demo.WebhookPrinter;
import io.distillguard.launcher.local.LocalPipeline;
import io.distillguard.launcher.local.ReplayOutcome;
import io.distillguard.launcher.local.ReplayRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./distillguard demo}: generates traffic of ordinary apps and distillation campaigns,
 * replays it through the whole pipeline on the embedded default, and shows the signed webhooks that
 * a local receiver verified.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Replays generated traffic (domain apps, a batch pipeline, a general assistant and four"
          + " distillation campaigns) through the whole local pipeline and prints the verified"
          + " webhooks as they arrive.",
      "Starts from an empty data dir each time."
    })
final class DemoCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data-dir",
      defaultValue = ".distillguard/demo",
      description = "Wiped and reused by every demo run (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--scale",
      defaultValue = "1.0",
      description = "Multiplies the generated traffic (default: ${DEFAULT-VALUE}, ~5k events).")
  double scale;

  @Option(names = "--seed", defaultValue = "7", description = "Traffic seed.")
  long seed;

  @Option(
      names = "--exit",
      description =
          "Exit once the replay has settled instead of serving the console until Ctrl-C"
              + " (for scripts).")
  boolean exit;

  private final ConsoleServing serving = new ConsoleServing();

  @Option(
      names = "--port",
      defaultValue = "0",
      description = "Port of the HTTP API and the console on 127.0.0.1 (default: any free port).")
  int port;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    wipe(dataDir);
    DemoTraffic.Written traffic = DemoTraffic.write(dataDir.resolve("traffic"), seed, scale);
    out.printf(
        "Generated %d accounts of traffic into %s%n",
        traffic.accounts().size(), traffic.events().getParent());
    for (DemoTraffic.DemoAccount a : traffic.accounts()) {
      out.printf(
          "  %-22s %-24s %4d queries  \"%s\"%n",
          a.accountId(), a.kind(), a.queries(), a.statedUse());
    }
    String secret = randomSecret();
    try {
      return replay(out, traffic, secret);
    } finally {
      serving.closed();
    }
  }

  private int replay(PrintWriter out, DemoTraffic.Written traffic, String secret)
      throws IOException {
    java.util.concurrent.atomic.AtomicBoolean finished =
        new java.util.concurrent.atomic.AtomicBoolean();
    try (WebhookReceiver receiver = WebhookReceiver.start(secret, new WebhookPrinter(out))) {
      out.printf("Receiver verifying signatures on %s%n%n", receiver.reviewUrl());
      ReplayRequest request =
          new ReplayRequest(
              traffic.profiles(),
              traffic.events(),
              dataDir.resolve("data"),
              receiver.reviewUrl(),
              secret,
              Optional.of(receiver.throttleUrl()),
              Optional.empty(),
              2);
      ReplayOutcome outcome =
          LocalPipeline.replay(
              request,
              out,
              new LocalPipeline.Serving(
                  port,
                  (actors, settled) -> {
                    finished.set(true);
                    finish(out, traffic, receiver, settled, actors);
                  }));
      if (!finished.get()) {
        outcome.printSummary(out); // the replay failed before it settled
      }
      if (!outcome.succeeded()) {
        spec.commandLine().getErr().println("demo: " + outcome.failureMessage());
        return 1;
      }
      return 0;
    }
  }

  /** Prints the outcome, then the console's address, and serves it until Ctrl-C (or not). */
  private void finish(
      PrintWriter out,
      DemoTraffic.Written traffic,
      WebhookReceiver receiver,
      ReplayOutcome outcome,
      ActorService actors) {
    outcome.printSummary(out);
    out.println();
    out.println("Campaign accounts (what the demo generated as distillation):");
    for (DemoTraffic.DemoAccount a : traffic.accounts()) {
      out.printf(
          "  %-22s %-24s -> %s%n",
          a.accountId(),
          a.kind().isCampaign() ? "campaign" : "ordinary",
          outcome.levelOf(a.accountId()));
    }
    out.printf(
        "%nVerified webhooks received: %d (refused for a bad signature: %d). Evidence:"
            + " ./distillguard evidence --data-dir %s --account acct-stride-shoes"
            + " --near \"write a sonnet\"%n",
        receiver.received().size(), receiver.rejected(), dataDir.resolve("data"));
    boolean serve = !exit && outcome.succeeded();
    out.println();
    if (serve) {
      out.println("Serving the console and the HTTP API until Ctrl-C (--exit to stop at once).");
    }
    out.printf("Console: http://127.0.0.1:%d/%n", actors.httpPort());
    out.flush();
    if (serve) {
      serving.await();
    }
  }

  private static String randomSecret() {
    byte[] key = new byte[24];
    new SecureRandom().nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }

  private static void wipe(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
