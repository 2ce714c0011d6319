package io.distillguard.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.service.KafkaSettings;
import io.distillguard.ingest.IngestConfig;
import io.distillguard.ingest.KafkaTopics;
import io.distillguard.launcher.doctor.Check;
import io.distillguard.launcher.doctor.DeploymentChecks;
import io.distillguard.store.StoreSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./distillguard doctor}: checks, before traffic flows, what a deployment needs, from the
 * same configuration the ingest job ({@code --config FILE} and {@code key=value}) and the actor
 * service ({@code reference.conf} with its environment variables, or {@code --service-config FILE})
 * read. Prints one line per check; exits 1 when any check fails.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description =
        "Checks a deployment before traffic flows: Kafka and its topics, the vector store, the"
            + " journal database and its schema, the webhook endpoints. One line per check;"
            + " exits 1 if any fails.")
final class DoctorCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config",
      description = "The ingest job's properties file (its Kafka servers and topics).")
  Path ingestConfig;

  @Parameters(
      paramLabel = "key=value",
      description = "Ingest job settings overriding --config, as the job takes them.")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--service-config",
      description =
          "The actor service's HOCON file (as -Dconfig.file); default: reference.conf with the"
              + " DISTILLGUARD_* environment variables.")
  Path serviceConfig;

  @Option(
      names = "--timeout",
      defaultValue = "10s",
      description = "How long each network check waits (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    DeploymentChecks checks;
    try {
      checks = checks();
    } catch (IOException | RuntimeException e) {
      spec.commandLine()
          .getErr()
          .println("doctor: cannot read the configuration: " + e.getMessage());
      return 2;
    }
    boolean failed = false;
    for (Check c : checks.run()) {
      out.println(c.line());
      out.flush();
      failed |= c.status() == Check.Status.FAIL;
    }
    return failed ? 1 : 0;
  }

  private DeploymentChecks checks() throws IOException {
    Config service = serviceConfig();
    ActorSettings actors = ActorSettings.fromConfig(service.getConfig("distillguard.actors"));
    KafkaSettings serviceKafka = KafkaSettings.fromConfig(service.getConfig("distillguard.kafka"));

    List<String> args = new ArrayList<>();
    if (ingestConfig != null) {
      args.add("--config");
      args.add(ingestConfig.toString());
    }
    args.addAll(overrides);
    Optional<KafkaTopics> jobTopics =
        args.isEmpty()
            ? Optional.empty()
            : IngestConfig.load(args.toArray(String[]::new)).kafkaTopics();

    String bootstrap =
        jobTopics.map(KafkaTopics::bootstrapServers).orElse(serviceKafka.bootstrapServers());
    List<KafkaTopics.Topic> topics = new ArrayList<>();
    jobTopics.ifPresent(t -> topics.addAll(t.topics()));
    topics.add(KafkaTopics.observations(serviceKafka.observationsTopic()));
    StoreSettings store = StoreSettings.fromEnvironment(actors.dataDir().resolve("store"));
    // The job's Kafka client properties when it has Kafka topics, else the service's.
    java.util.Map<String, String> client =
        jobTopics.map(KafkaTopics::clientProperties).orElse(serviceKafka.clientProperties());
    return new DeploymentChecks(
        bootstrap, topics, store, actors, StoreSettings.parseDuration(timeout), client);
  }

  private Config serviceConfig() throws IOException {
    ConfigFactory.invalidateCaches();
    if (serviceConfig == null) {
      return ConfigFactory.load();
    }
    if (!Files.isReadable(serviceConfig)) {
      throw new IOException("not readable: " + serviceConfig);
    }
    return ConfigFactory.systemProperties()
        .withFallback(ConfigFactory.parseFile(serviceConfig.toFile()))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }
}
