package io.distillguard.actors.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.PostgresServer;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.contract.Json;
import io.distillguard.observe.AccountObservation;
import io.distillguard.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults against real processes on loopback: actor-service nodes as their own JVMs ({@link
 * ActorServiceMain}) on a throwaway PostgreSQL server, fed through an in-process Kafka broker,
 * delivering to a verifying {@link WebhookReceiver}. Each campaign account walks WATCH, REVIEW,
 * THROTTLE (the test ladder policy), so every account owes exactly three review webhooks. Each test
 * logs its figures and appends them to {@code target/fault-figures.md}.
 */
class ActorFaultsIT {

  private static final Logger LOG = LoggerFactory.getLogger(ActorFaultsIT.class);
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> LEVELS = List.of("WATCH", "REVIEW", "THROTTLE");

  @RegisterExtension
  static final KafkaBrokerExtension kafka =
      KafkaBrokerExtension.create().withSetting("group.initial.rebalance.delay.ms", "0");

  @TempDir static Path dir;

  @Test
  void aNodeKilledMidBurstLosesNoEscalationAndDoublesNone() throws Exception {
    int accounts = 60;
    String topic = topic("kill", 4);
    Path policy = policy();
    int portA = ServiceProcess.freePort();
    int portB = ServiceProcess.freePort();
    // Two nodes split evenly: the split-brain resolver keeps the side with the lower address.
    int low = Math.min(portA, portB);
    int high = Math.max(portA, portB);
    try (PostgresServer db = PostgresServer.start();
        WebhookReceiver receiver = WebhookReceiver.start(SECRET);
        ServiceProcess a =
            ServiceProcess.start(
                "kill-a", dir, node("kill-a", db, topic, receiver.reviewUrl(), policy, low, null));
        ServiceProcess b =
            ServiceProcess.start(
                "kill-b",
                dir,
                node(
                    "kill-b",
                    db,
                    topic,
                    receiver.reviewUrl(),
                    policy,
                    high,
                    "pekko://distillguard@127.0.0.1:" + low))) {
      try {
        awaitReady(a, b);
        List<String> ids = accounts("k", accounts);
        produce(topic, ids, 0, 5);
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.received().size() >= accounts);
        // Mid-burst: REVIEW escalations are being decided and delivered on both nodes.
        produce(topic, ids, 5, 7);
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() > accounts);
        long killedAt = System.nanoTime();
        b.kill();
        produce(topic, ids, 7, 8);
        await()
            .atMost(Duration.ofSeconds(100))
            .until(() -> receiver.received().size() >= 3 * accounts);
        double recovered = seconds(killedAt);
        await().atMost(Duration.ofSeconds(30)).until(() -> throttled(a) == accounts);

        assertEveryEscalationOnce(receiver, ids);
        assertThat(a.alive()).isTrue();
        figures(
            "SIGKILL one of two nodes mid-burst (PostgreSQL)",
            accounts * 8,
            receiver,
            "time from the kill to the last escalation accepted: %.1f s".formatted(recovered));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\n" + a.logTail() + "\n" + b.logTail(), e);
      }
    }
  }

  @Test
  void aReceiverDownThenFlakyGetsEveryEscalationOnce() throws Exception {
    int accounts = 30;
    String topic = topic("receiver", 2);
    Path policy = policy();
    int receiverPort = ServiceProcess.freePort();
    String url = "http://127.0.0.1:" + receiverPort + "/review";
    try (PostgresServer db = PostgresServer.start();
        ServiceProcess a =
            ServiceProcess.start(
                "recv-a",
                dir,
                node("recv-a", db, topic, url, policy, ServiceProcess.freePort(), null))) {
      try {
        awaitReady(a);
        List<String> ids = accounts("r", accounts);
        produce(topic, ids, 0, 8);
        await().atMost(Duration.ofSeconds(60)).until(() -> throttled(a) == accounts);
        // Nobody listens for 60 s: every attempt is refused, the node carries on.
        await()
            .pollInterval(Duration.ofSeconds(1))
            .during(Duration.ofSeconds(60))
            .atMost(Duration.ofSeconds(65))
            .until(() -> a.alive() && a.ready());
        long upAt = System.nanoTime();
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET, receiverPort)) {
          receiver.answers(
              attempt ->
                  ThreadLocalRandom.current().nextDouble() < 0.3
                      ? new WebhookReceiver.Answer(503, null)
                      : WebhookReceiver.Answer.ok());
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> receiver.received().size() >= 3 * accounts);
          double recovered = seconds(upAt);
          assertEveryEscalationOnce(receiver, ids);
          JsonNode exhausted = JSON.readTree(a.body("/v1/deliveries?status=EXHAUSTED"));
          assertThat(exhausted.path("deliveries")).isEmpty();
          figures(
              "receiver down 60 s, then failing 30% of attempts",
              accounts * 8,
              receiver,
              "time from the receiver coming up to the last escalation accepted: %.1f s"
                  .formatted(recovered));
        }
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\n" + a.logTail(), e);
      }
    }
  }

  @Test
  void aDatabaseOutageMakesTheNodeUnreadyAndLosesNothing() throws Exception {
    int accounts = 30;
    String topic = topic("database", 2);
    Path policy = policy();
    try (PostgresServer db = PostgresServer.start();
        WebhookReceiver receiver = WebhookReceiver.start(SECRET);
        ServiceProcess a =
            ServiceProcess.start(
                "db-a",
                dir,
                node(
                    "db-a",
                    db,
                    topic,
                    receiver.reviewUrl(),
                    policy,
                    ServiceProcess.freePort(),
                    null))) {
      try {
        awaitReady(a);
        List<String> ids = accounts("d", accounts);
        produce(topic, ids, 0, 4);
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.received().size() >= accounts);

        long stoppedAt = System.nanoTime();
        db.stopServer();
        await().atMost(Duration.ofSeconds(15)).until(() -> !a.ready());
        double unready = seconds(stoppedAt);
        produce(topic, ids, 4, 8);
        // The rest of the 10 s outage: not ready the whole time, and still running.
        long left = Math.max(0, 10_000 - (System.nanoTime() - stoppedAt) / 1_000_000);
        await()
            .pollInterval(Duration.ofMillis(500))
            .during(Duration.ofMillis(left))
            // One probe can take seconds while the database is down (a connection attempt).
            .atMost(Duration.ofMillis(left + 15_000))
            .until(() -> a.alive() && !a.ready());
        db.startServer();
        long startedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(a::ready);
        double ready = seconds(startedAt);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> receiver.received().size() >= 3 * accounts);
        double caughtUp = seconds(startedAt);
        await().atMost(Duration.ofSeconds(30)).until(() -> throttled(a) == accounts);
        assertEveryEscalationOnce(receiver, ids);
        assertThat(a.alive()).isTrue();
        figures(
            "database unreachable 10 s",
            accounts * 8,
            receiver,
            ("not ready %.1f s after the stop; ready again %.1f s after the restart; every"
                    + " escalation accepted %.1f s after it")
                .formatted(unready, ready, caughtUp));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\n" + a.logTail(), e);
      }
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** Three review webhooks per account, one per level, each accepted once. */
  private static void assertEveryEscalationOnce(WebhookReceiver receiver, List<String> accounts) {
    Set<String> expected = new HashSet<>();
    for (String account : accounts) {
      for (String level : LEVELS) {
        expected.add(account + "/" + level);
      }
    }
    List<String> got = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (WebhookReceiver.Received r : receiver.received()) {
      got.add(r.accountId() + "/" + r.level());
      ids.add(r.webhookId());
      // The escalation carries the count at which the journal recorded it: 4, 6 or 8.
      assertThat(r.queriesObserved()).isEqualTo(4L + 2L * LEVELS.indexOf(r.level()));
    }
    assertThat(got).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    assertThat(ids).hasSize(got.size());
    assertThat(receiver.rejected()).isZero();
  }

  /** Accounts the node's index lists at THROTTLE (read from the shared database). */
  private static int throttled(ServiceProcess node) {
    try {
      return JSON.readTree(node.body("/v1/accounts?level=THROTTLE&limit=1000"))
          .path("accounts")
          .size();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void awaitReady(ServiceProcess... nodes) {
    for (ServiceProcess n : nodes) {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> !n.alive() || n.ready());
      assertThat(n.alive()).as("node started").isTrue();
    }
  }

  private static Map<String, String> node(
      String name,
      PostgresServer db,
      String topic,
      String webhookUrl,
      Path policy,
      int clusterPort,
      String seed) {
    Map<String, String> s = new LinkedHashMap<>();
    String actors = "distillguard.actors.";
    s.put(actors + "data-dir", dir.resolve(name).toString());
    s.put(actors + "journal.url", db.jdbcUrl());
    s.put(actors + "journal.user", PostgresServer.USER);
    s.put(actors + "journal.password", "");
    s.put(actors + "webhook.url", webhookUrl);
    s.put(actors + "webhook.secret", SECRET);
    s.put(actors + "webhook.request-timeout", "3s");
    s.put(actors + "retry.max-attempts", "1000");
    s.put(actors + "retry.initial-backoff", "200ms");
    s.put(actors + "retry.max-backoff", "2s");
    s.put(actors + "retry.max-age", "1h");
    s.put(actors + "policy-file", policy.toString());
    s.put(actors + "entity.ask-timeout", "10s");
    s.put("distillguard.cluster.host", "127.0.0.1");
    s.put("distillguard.cluster.port", Integer.toString(clusterPort));
    if (seed != null) {
      s.put("distillguard.cluster.seed-nodes", seed);
    }
    s.put("distillguard.kafka.bootstrap-servers", kafka.bootstrapServers());
    s.put("distillguard.kafka.observations-topic", topic);
    s.put("distillguard.kafka.group-id", topic + "-actors");
    s.put("distillguard.kafka.parallelism", "16");
    s.put("pekko.cluster.split-brain-resolver.stable-after", "3s");
    s.put("pekko.kafka.consumer.kafka-clients.session.timeout.ms", "6000");
    s.put("pekko.kafka.consumer.kafka-clients.heartbeat.interval.ms", "1000");
    return s;
  }

  private static String topic(String name, int partitions) throws Exception {
    String topic = "observations-" + name;
    kafka.createTopics(new NewTopic(topic, partitions, (short) 1));
    return topic;
  }

  private static Path policy() throws IOException {
    Path p = dir.resolve("policy.yaml");
    Files.writeString(p, TestFixtures.POLICY_YAML);
    return p;
  }

  private static List<String> accounts(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("acct-" + prefix + i);
    }
    return out;
  }

  /** Sends observations {@code from} (inclusive) to {@code to} of every account's campaign. */
  private static void produce(String topic, List<String> accounts, int from, int to)
      throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (int i = from; i < to; i++) {
        for (String account : accounts) {
          AccountObservation o = TestFixtures.campaign(account).get(i);
          producer.send(new ProducerRecord<>(topic, account, Json.mapper().writeValueAsString(o)));
        }
      }
      producer.flush();
    }
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  private static void figures(String fault, int eventsIn, WebhookReceiver r, String recovery)
      throws IOException {
    int accepted = r.received().size();
    int redelivered =
        r.acknowledged().values().stream().mapToInt(Integer::intValue).sum() - accepted;
    String line =
        "| %s | %d | %d | 0 accepted twice (%d redeliveries of an already accepted id, acknowledged and counted only) | %s |%n"
            .formatted(fault, eventsIn, accepted, redelivered, recovery);
    LOG.info("fault figures: {}", line.strip());
    Files.writeString(
        Path.of("target", "fault-figures.md"),
        line,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
