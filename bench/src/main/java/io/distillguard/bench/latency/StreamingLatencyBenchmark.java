package io.distillguard.bench.latency;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.contract.Json;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import io.distillguard.testkit.InProcessKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * Streaming latency, event to webhook: the actor service runs as its own process the way production
 * runs it ({@code ActorServiceMain}, configured by environment, default H2 journal, consuming the
 * observation topic of an in-process Kafka broker), a {@link WebhookReceiver} on 127.0.0.1 verifies
 * and times every webhook, and this process produces observations to the topic at a paced rate
 * ({@link Pacer}) from {@link LatencyTraffic}: precomputed observations, nothing embedded, of which
 * a share are campaigns that the default policy escalates. Each webhook is matched to the
 * observation that tipped its decision ({@link LatencyLedger}: account, count and event time) and
 * timed from that observation's produce to the webhook's receipt, split at the decision's journal
 * write (the webhook's {@code timestamp}). A consumer-lag probe samples the group's committed
 * offsets meanwhile.
 *
 * <p>Phases run one after another against the same service: a short warm-up (not reported), then
 * each rate of {@code bench.rates} (default 100 and 1000 events/s) for {@code bench.seconds}
 * (default 60) with its own accounts; the first rate is the baseline the others are compared with.
 * Each phase ends when the group has committed everything produced and no webhook arrived for 5 s.
 *
 * <p>{@code bench/run latency.StreamingLatencyBenchmark} writes {@code
 * bench/results/streaming-latency.md}. JVM properties: {@code -Dbench.rates=100,1000
 * -Dbench.seconds=60 -Dbench.perAccountRate=5 -Dbench.campaignShare=0.2 -Dbench.partitions=6
 * -Dbench.checkpointSeconds=30 -Dbench.serviceJar=PATH -Dbench.serviceHeap=1g -Dbench.out=FILE}.
 *
 * <p>A last phase (unless {@code bench.checkpointSeconds} is 0) produces at the highest rate as the
 * ingest job's exactly-once Kafka sink does with {@code checkpoint.interval} set: in transactions
 * committed every interval (30 s in the shipped deployments), which the service reads {@code
 * read_committed}. The ingest job itself is not in the path.
 */
public final class StreamingLatencyBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(StreamingLatencyBenchmark.class);

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String TOPIC = "account-observations";
  private static final String GROUP = "latency-bench";

  private StreamingLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Integer> rates = new ArrayList<>();
    for (String r : System.getProperty("bench.rates", "100,1000").split(",")) {
      rates.add(Integer.parseInt(r.trim()));
    }
    int seconds = Integer.getInteger("bench.seconds", 60);
    double perAccountRate = Double.parseDouble(System.getProperty("bench.perAccountRate", "5"));
    double campaignShare = Double.parseDouble(System.getProperty("bench.campaignShare", "0.2"));
    int partitions = Integer.getInteger("bench.partitions", 6);
    int checkpointSeconds = Integer.getInteger("bench.checkpointSeconds", 30);
    String jar = System.getProperty("bench.serviceJar");
    Path out = Path.of(System.getProperty("bench.out", "bench/results/streaming-latency.md"));
    Path work = Files.createDirectories(Path.of("bench", "target", "streaming-latency"));
    List<String> categories = CapabilityTaxonomy.loadDefault().names();

    LatencyReport.Machine machine = LatencyReport.Machine.now();
    LatencyLedger ledger = new LatencyLedger();
    List<LatencyReport.Phase> phases = new ArrayList<>();
    try (KafkaClusterTestKit kafka = InProcessKafka.start();
        Admin admin = Admin.create(kafka.clientProperties());
        WebhookReceiver receiver = WebhookReceiver.start(SECRET, r -> onWebhook(ledger, r))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get();
      Map<String, String> env = new HashMap<>();
      env.put("DISTILLGUARD_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
      env.put("DISTILLGUARD_KAFKA_GROUP_ID", GROUP);
      env.put("DISTILLGUARD_OBSERVATIONS_TOPIC", TOPIC);
      env.put("DISTILLGUARD_WEBHOOK_URL", receiver.reviewUrl());
      env.put("DISTILLGUARD_THROTTLE_URL", receiver.throttleUrl());
      env.put("DISTILLGUARD_WEBHOOK_SECRET", SECRET);
      LOG.info("starting the actor service");
      long t = System.nanoTime();
      try (ActorServiceProcess service =
              ActorServiceProcess.start(
                  jar == null ? null : Path.of(jar),
                  System.getProperty("bench.serviceHeap", "1g"),
                  env,
                  work.resolve("service.log"));
          KafkaProducer<String, byte[]> producer = producer(kafka, null);
          KafkaProducer<String, byte[]> transactional = producer(kafka, "latency-bench-tx");
          ConsumerLagProbe probe = new ConsumerLagProbe(admin, TOPIC, GROUP, 500)) {
        LOG.info("service ready in {} s", (System.nanoTime() - t) / 1_000_000_000L);
        PhaseRunner runner = new PhaseRunner(TOPIC, probe, ledger, receiver);
        runner.run(
            "warm-up",
            producer,
            0,
            new LatencyTraffic("warm", 20, campaignShare, categories, 7),
            100,
            10);
        for (int rate : rates) {
          int active = Math.max(1, (int) Math.round(rate / perAccountRate));
          LatencyTraffic traffic =
              new LatencyTraffic("r" + rate, active, campaignShare, categories, 42L + rate);
          LatencyReport.Phase phase = runner.run("r" + rate, producer, 0, traffic, rate, seconds);
          LOG.info("{}", phase);
          phases.add(phase);
        }
        if (checkpointSeconds > 0) {
          // What the ingest job's exactly-once Kafka sink does: the observations of a checkpoint
          // interval become readable (read_committed) when its transaction commits.
          transactional.initTransactions();
          int rate = rates.get(rates.size() - 1);
          int active = Math.max(1, (int) Math.round(rate / perAccountRate));
          String name = "r" + rate + "-tx" + checkpointSeconds + "s";
          LatencyTraffic traffic =
              new LatencyTraffic(name, active, campaignShare, categories, 4242L + rate);
          LatencyReport.Phase phase =
              runner.run(name, transactional, checkpointSeconds * 1000L, traffic, rate, seconds);
          LOG.info("{}", phase);
          phases.add(phase);
        }
      }
      LatencyReport.write(
          out,
          machine,
          LatencyReport.Machine.loadAverage(),
          seconds,
          perAccountRate,
          campaignShare,
          partitions,
          phases,
          ledger.unmatched(),
          serviceLogSummary(work.resolve("service.log")));
      LOG.info("wrote {}", out);
    }
  }

  private static KafkaProducer<String, byte[]> producer(
      KafkaClusterTestKit kafka, String transactionalId) {
    Map<String, Object> props = new HashMap<>();
    if (transactionalId != null) {
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    }
    kafka.clientProperties().forEach((k, v) -> props.put(String.valueOf(k), v));
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // Each observation leaves for the broker at once: the time measured starts at its produce.
    props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  private static void onWebhook(LatencyLedger ledger, WebhookReceiver.Received r) {
    long now = ledger.nowMicros();
    String type = r.type().replace("account.", "") + " " + r.level();
    try {
      JsonNode body = Json.mapper().readTree(r.body());
      long decided = Instant.parse(body.path("timestamp").asText()).toEpochMilli();
      long observedAt = Instant.parse(r.data().path("observed_at").asText()).toEpochMilli();
      ledger.received(type, r.accountId(), r.queriesObserved(), observedAt, decided, now);
    } catch (IOException | RuntimeException e) {
      ledger.received(type, r.accountId(), r.queriesObserved(), -1, -1, now);
    }
  }

  /** Counts of the service log's WARN and ERROR lines. */
  private static String serviceLogSummary(Path log) throws IOException {
    long warn;
    long error;
    try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      warn = lines.filter(l -> l.contains("WARN")).count();
    }
    try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      error = lines.filter(l -> l.contains("ERROR")).count();
    }
    return warn + " WARN and " + error + " ERROR lines";
  }

  /** Produces one phase at a paced rate and waits until it is consumed and its webhooks are in. */
  static final class PhaseRunner {
    private final String topic;
    private final ConsumerLagProbe probe;
    private final LatencyLedger ledger;
    private final WebhookReceiver receiver;

    PhaseRunner(
        String topic, ConsumerLagProbe probe, LatencyLedger ledger, WebhookReceiver receiver) {
      this.topic = topic;
      this.probe = probe;
      this.ledger = ledger;
      this.receiver = receiver;
    }

    /**
     * Produces {@code rate × seconds} observations of {@code traffic} paced at {@code rate}; with
     * {@code commitEveryMillis} &gt; 0 (a transactional producer) in transactions committed that
     * often.
     */
    LatencyReport.Phase run(
        String name,
        KafkaProducer<String, byte[]> producer,
        long commitEveryMillis,
        LatencyTraffic traffic,
        int rate,
        int seconds)
        throws Exception {
      long total = (long) rate * seconds;
      LOG.info("{}: {} observations at {}/s", name, total, rate);
      long startMillis = System.currentTimeMillis();
      Pacer pacer = new Pacer(rate, System.nanoTime());
      long behindMax = 0;
      long campaigns = 0;
      long transactions = 0;
      long committedAt = System.currentTimeMillis();
      if (commitEveryMillis > 0) {
        producer.beginTransaction();
      }
      for (long i = 0; i < total; i++) {
        if (commitEveryMillis > 0
            && System.currentTimeMillis() - committedAt >= commitEveryMillis) {
          producer.commitTransaction();
          producer.beginTransaction();
          transactions++;
          committedAt = System.currentTimeMillis();
        }
        long wait = pacer.waitBefore(i, System.nanoTime());
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        behindMax = Math.max(behindMax, System.nanoTime() - pacer.dueAt(i));
        LatencyTraffic.Next next = traffic.next();
        campaigns += next.campaign() && next.count() == 1 ? 1 : 0;
        var o = next.observation();
        byte[] value = Json.mapper().writeValueAsBytes(o);
        ledger.produced(name, o.accountId(), next.count(), o.eventTimeMillis());
        producer.send(new ProducerRecord<>(topic, o.accountId(), value));
      }
      if (commitEveryMillis > 0) {
        producer.commitTransaction();
        transactions++;
      } else {
        producer.flush();
      }
      long producedMillis = System.currentTimeMillis();
      ConsumerLagProbe.Sample atStop = probe.now();
      // A transaction's commit marker takes an offset in each partition it wrote to, and no
      // consumer ever commits past it: that many offsets are never committed.
      long markers = transactions * probe.partitions();
      long drainedMillis = awaitDrained(markers, TimeUnit.MINUTES.toMillis(15));
      awaitQuiet(5_000);
      List<ConsumerLagProbe.Sample> samples = probe.between(startMillis, drainedMillis);
      long maxLag = samples.stream().mapToLong(ConsumerLagProbe.Sample::lag).max().orElse(0);
      List<ConsumerLagProbe.Sample> paced = probe.between(startMillis, producedMillis);
      double pacedRate =
          paced.size() < 2
              ? Double.NaN
              : (paced.get(paced.size() - 1).committed() - paced.get(0).committed())
                  * 1000.0
                  / (paced.get(paced.size() - 1).atMillis() - paced.get(0).atMillis());
      List<LatencyLedger.Match> matches = ledger.matches(name);
      return new LatencyReport.Phase(
          name,
          rate,
          total,
          (producedMillis - startMillis) / 1000.0,
          behindMax / 1e6,
          traffic.accountsStarted(),
          campaigns,
          atStop.lag(),
          maxLag,
          (drainedMillis - producedMillis) / 1000.0,
          pacedRate,
          matches,
          Percentiles.of(matches, LatencyLedger.Match::totalMillis),
          Percentiles.of(matches, LatencyLedger.Match::toDecisionMillis),
          Percentiles.of(matches, LatencyLedger.Match::deliveryMillis));
    }

    /**
     * Waits until the group committed every record on the topic but {@code markers} transaction
     * markers; returns when (epoch ms).
     */
    private long awaitDrained(long markers, long timeoutMillis) throws Exception {
      long deadline = System.currentTimeMillis() + timeoutMillis;
      while (System.currentTimeMillis() < deadline) {
        ConsumerLagProbe.Sample s = probe.now();
        if (s.committed() >= s.end() - markers) {
          return s.atMillis();
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
      throw new IllegalStateException("the service did not consume the phase in time");
    }

    /** Waits until no webhook arrived for {@code quietMillis}. */
    private void awaitQuiet(long quietMillis) throws InterruptedException {
      int seen = -1;
      long since = System.currentTimeMillis();
      while (System.currentTimeMillis() - since < quietMillis) {
        int now = receiver.received().size();
        if (now != seen) {
          seen = now;
          since = System.currentTimeMillis();
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }
}
