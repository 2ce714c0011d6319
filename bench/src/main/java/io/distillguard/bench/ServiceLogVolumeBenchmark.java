package io.distillguard.bench;

import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.contract.Json;
import io.distillguard.observe.AccountObservation;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import io.distillguard.testkit.InProcessKafka;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much the actor service logs for the same traffic, one service jar against another: an
 * in-process Kafka broker gets {@code accounts × perAccount} observations on {@code
 * account-observations} (every 20th account sweeps the capability categories every 2 s, the others
 * stay on one or two categories at human pace), then each jar runs as its own process ({@code java
 * -jar}, default configuration, a webhook receiver on 127.0.0.1) until its consumer group has
 * committed every observation; its stdout + stderr are counted.
 *
 * <p>{@code bench/run ServiceLogVolumeBenchmark [accounts perAccount] label=JAR ...} To compare
 * with an older build, package its service jar from a copy of that commit ({@code git archive REV |
 * tar -x -C DIR}, then {@code mvn -pl actors -am package -DskipTests} in DIR) and pass both jars.
 */
public final class ServiceLogVolumeBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceLogVolumeBenchmark.class);

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String TOPIC = "account-observations";

  private record Result(
      String label, long committed, long seconds, long lines, long bytes, long decisionLines) {}

  public static void main(String[] args) throws Exception {
    int accounts = 1_000;
    int perAccount = 100;
    List<String> jars = new ArrayList<>();
    List<String> numbers = new ArrayList<>();
    for (String a : args) {
      (a.contains("=") ? jars : numbers).add(a);
    }
    if (numbers.size() == 2) {
      accounts = Integer.parseInt(numbers.get(0));
      perAccount = Integer.parseInt(numbers.get(1));
    }
    if (jars.isEmpty()) {
      jars.add("current=actors/target/distillguard-actors-0.1.0-SNAPSHOT-service.jar");
    }
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Path logs = Files.createDirectories(Path.of("bench", "target", "service-logs"));
    List<Result> results = new ArrayList<>();
    try (KafkaClusterTestKit kafka = broker();
        WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
      long n = produce(kafka, accounts, perAccount);
      for (String spec : jars) {
        String label = spec.substring(0, spec.indexOf('='));
        Path jar = Path.of(spec.substring(spec.indexOf('=') + 1));
        results.add(run(kafka, receiver, label, jar, n, logs.resolve(label + ".log")));
        LOG.info("{}", results.get(results.size() - 1));
      }
    }
    write(Path.of("bench", "results", "service-log.md"), accounts, perAccount, load, results);
  }

  private static KafkaClusterTestKit broker() throws Exception {
    KafkaClusterTestKit kafka = InProcessKafka.start();
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1))).all().get();
    }
    return kafka;
  }

  private static long produce(KafkaClusterTestKit kafka, int accounts, int perAccount)
      throws IOException {
    List<String> categories = CapabilityTaxonomy.loadDefault().names();
    Random random = new Random(42);
    long t0 = 1_791_158_400_000L;
    long n = 0;
    Map<String, Object> props = new java.util.HashMap<>();
    kafka.clientProperties().forEach((k, v) -> props.put(String.valueOf(k), v));
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < perAccount; i++) {
        for (int a = 0; a < accounts; a++) {
          boolean sweeper = a % 20 == 0;
          String id = (sweeper ? "acct-sweep-" : "acct-app-") + a;
          String category =
              sweeper
                  ? categories.get((i * 7 + a) % categories.size())
                  : categories.get((a + (i % 3 == 0 ? 1 : 0)) % categories.size());
          long time = t0 + (sweeper ? i * 2_000L : i * 60_000L + random.nextInt(30_000));
          AccountObservation o =
              new AccountObservation(
                  id + "-e" + i,
                  id,
                  time,
                  category,
                  0.8f,
                  sweeper ? 0.1f : 0.6f,
                  sweeper ? random.nextLong() : a * 31L + i % 5,
                  sweeper ? random.nextLong() : a,
                  200,
                  60,
                  300,
                  null,
                  "key-" + a,
                  "10.0." + (a % 250) + ".1",
                  "client/1.0",
                  "org-" + a,
                  null,
                  null,
                  null,
                  null,
                  null);
          producer.send(new ProducerRecord<>(TOPIC, id, Json.mapper().writeValueAsBytes(o)));
          n++;
        }
      }
    }
    return n;
  }

  private static Result run(
      KafkaClusterTestKit kafka,
      WebhookReceiver receiver,
      String label,
      Path jar,
      long expected,
      Path log)
      throws Exception {
    String group = "log-volume-" + label;
    ProcessBuilder pb =
        new ProcessBuilder("java", "-Xmx1g", "-jar", jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("DISTILLGUARD_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    env.put("DISTILLGUARD_KAFKA_GROUP_ID", group);
    env.put("DISTILLGUARD_DATA_DIR", WorkDirs.temporary("dg-log-" + label).toString());
    env.put("DISTILLGUARD_HTTP_PORT", "0");
    env.put("DISTILLGUARD_CLUSTER_PORT", String.valueOf(freePort()));
    env.put("DISTILLGUARD_WEBHOOK_URL", receiver.reviewUrl());
    env.put("DISTILLGUARD_WEBHOOK_SECRET", SECRET);
    long start = System.nanoTime();
    Process process = pb.start();
    long committed = 0;
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      while (committed < expected && process.isAlive()) {
        TimeUnit.SECONDS.sleep(2);
        try {
          committed =
              admin
                  .listConsumerGroupOffsets(group)
                  .partitionsToOffsetAndMetadata()
                  .get()
                  .values()
                  .stream()
                  .filter(Objects::nonNull)
                  .mapToLong(o -> o.offset())
                  .sum();
        } catch (ExecutionException e) {
          // the group does not exist until the service joins it
        }
      }
    }
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
    TimeUnit.SECONDS.sleep(5); // pending deliveries settle
    process.destroy(); // SIGTERM: the service drains and stops, as in production
    process.waitFor(60, TimeUnit.SECONDS);
    long lines;
    try (var s = Files.lines(log, StandardCharsets.ISO_8859_1)) {
      lines = s.count();
    }
    long decisions;
    try (var s = Files.lines(log, StandardCharsets.ISO_8859_1)) {
      decisions = s.filter(l -> l.contains("AccountEntity") && l.contains(" -> ")).count();
    }
    return new Result(label, committed, seconds, lines, Files.size(log), decisions);
  }

  private static void write(
      Path output, int accounts, int perAccount, double load, List<Result> results)
      throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Actor service log volume\n\n")
        .append(
            "Produced by `io.distillguard.bench.ServiceLogVolumeBenchmark` (see its Javadoc).\n\n")
        .append("- date: ")
        .append(LocalDate.now())
        .append('\n')
        .append("- machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores (nproc), load average at start ")
        .append(String.format(Locale.ROOT, "%.1f", load))
        .append("\n- java: ")
        .append(System.getProperty("java.version"))
        .append("\n- traffic: ")
        .append(String.format(Locale.ROOT, "%,d", (long) accounts * perAccount))
        .append(" observations, ")
        .append(accounts)
        .append(" accounts (every 20th sweeps the categories), one in-process Kafka broker;")
        .append(" each service jar with its default configuration, stdout + stderr counted\n\n")
        .append("| service jar | observations committed | seconds | log lines | log bytes |")
        .append(" decision lines |\n|---|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %d | %,d | %,d | %,d |%n",
              r.label(),
              r.committed(),
              r.seconds(),
              r.lines(),
              r.bytes(),
              r.decisionLines()));
    }
    Files.writeString(output, md.toString(), StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
