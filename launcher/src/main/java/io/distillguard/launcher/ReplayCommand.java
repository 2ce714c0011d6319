package io.distillguard.launcher;

import io.distillguard.actors.escalation.WebhookPolicy;
import io.distillguard.launcher.local.LocalPipeline;
import io.distillguard.launcher.local.ReplayOutcome;
import io.distillguard.launcher.local.ReplayRequest;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./distillguard replay}: the whole pipeline over two JSONL files, in event time. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Runs ingest -> account actors -> escalation deliveries over the files in event time, as"
          + " fast as the machine allows.",
      "Exits 0 once all input is processed and every delivery has settled; otherwise prints why"
          + " and exits 1."
    })
final class ReplayCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--profiles", required = true, description = "Account profiles (JSONL).")
  Path profiles;

  @Option(names = "--events", required = true, description = "Query events (JSONL).")
  Path events;

  @Option(
      names = "--webhook-url",
      required = true,
      description = "Where escalations (account.review_requested) are POSTed.")
  String webhookUrl;

  @Option(
      names = "--webhook-secret",
      description =
          "Standard Webhooks signing secret (whsec_...). Default: $DISTILLGUARD_WEBHOOK_SECRET."
              + " Prefer the variable or --webhook-secret-file: a command line is visible to"
              + " other users of the machine.",
      defaultValue = "${env:DISTILLGUARD_WEBHOOK_SECRET}")
  String webhookSecret;

  @Option(
      names = "--webhook-secret-file",
      description = "A file holding the signing secret (e.g. a mounted Kubernetes Secret).")
  Path webhookSecretFile;

  @Option(names = "--throttle-url", description = "Where account.throttled directives go.")
  String throttleUrl;

  @Option(
      names = "--data-dir",
      defaultValue = ".distillguard/data",
      description = "Vector store, journal, outbox and dead letters (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--policy", description = "Policy file (reloaded on change). Default: shipped.")
  Path policy;

  @Option(
      names = "--parallelism",
      defaultValue = "2",
      description = "Ingest job parallelism (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (spec.commandLine().getParseResult().hasMatchedOption("--webhook-secret")) {
      err.println(
          "replay: warning: a secret given on the command line is visible to other users (ps,"
              + " shell history); use DISTILLGUARD_WEBHOOK_SECRET or --webhook-secret-file");
    }
    if (webhookSecretFile != null) {
      try {
        webhookSecret = Files.readString(webhookSecretFile).strip();
      } catch (java.io.IOException e) {
        err.println("replay: cannot read " + webhookSecretFile);
        return 2;
      }
    }
    try {
      WebhookPolicy.checkSecret(webhookSecret);
      WebhookPolicy.checkUrl("--webhook-url", URI.create(webhookUrl));
      if (throttleUrl != null) {
        WebhookPolicy.checkUrl("--throttle-url", URI.create(throttleUrl));
      }
    } catch (IllegalArgumentException e) {
      err.println("replay: " + e.getMessage());
      return 2;
    }
    for (Path input : new Path[] {profiles, events}) {
      if (!Files.isReadable(input)) {
        err.println("replay: cannot read " + input);
        return 2;
      }
    }
    ReplayRequest request =
        new ReplayRequest(
            profiles,
            events,
            dataDir,
            webhookUrl,
            webhookSecret,
            Optional.ofNullable(throttleUrl),
            Optional.ofNullable(policy),
            parallelism);
    ReplayOutcome outcome = LocalPipeline.replay(request, out);
    outcome.printSummary(out);
    if (!outcome.succeeded()) {
      err.println("replay: " + outcome.failureMessage());
      return 1;
    }
    return 0;
  }
}
