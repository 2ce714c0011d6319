package io.distillguard.actors.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.ClusterSettings;
import io.distillguard.actors.taxonomy.TaxonomyMismatchException;
import io.distillguard.store.StoreSettings;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor service as its own process (the cluster deployment's entry point): one node of the
 * Pekko cluster that consumes the observation topic into the sharded account entities, journals
 * them over JDBC (PostgreSQL in production), delivers escalation webhooks and serves the HTTP API
 * with {@code /v1/health/live} and {@code /v1/health/ready} for probes.
 *
 * <p>Configuration is HOCON ({@code distillguard.actors}, {@code distillguard.cluster}, {@code
 * distillguard.kafka} in {@code reference.conf}, overridable by {@code -Dconfig.file=...} and by
 * the environment variables named there); the evidence store is Milvus from {@link
 * StoreSettings#fromEnvironment} ({@code MILVUS_URI}). Without Milvus there is no store shared with
 * the ingest job, and the evidence endpoint answers 503 saying so (a warning at start-up too).
 *
 * <p>The process exits with status 1 when the consumer fails (an observation could not be recorded
 * after retries), so the orchestrator restarts it from the last committed offset; an observation
 * made with a capability taxonomy the node never ran with instead leaves it running but not ready
 * (a restart on the same taxonomy file would stop at the same record); SIGTERM drains the consumer,
 * commits, leaves the cluster (the shards move to the other nodes) and exits 0.
 */
public final class ActorServiceMain {

  private static final Logger LOG = LoggerFactory.getLogger(ActorServiceMain.class);

  private ActorServiceMain() {}

  public static void main(String[] args) throws InterruptedException {
    Config config = ConfigFactory.load();
    ActorSettings settings = ActorSettings.fromConfig(config.getConfig("distillguard.actors"));
    ClusterSettings cluster = ClusterSettings.fromConfig(config.getConfig("distillguard.cluster"));
    KafkaSettings kafka = KafkaSettings.fromConfig(config.getConfig("distillguard.kafka"));
    StoreSettings storeSettings =
        StoreSettings.fromEnvironment(settings.dataDir().resolve("store"));

    ServiceEvidence evidence = ServiceEvidence.open(storeSettings);
    ActorService service = ActorService.startWith(settings, cluster, evidence.source());
    ObservationConsumer consumer = ObservationConsumer.start(service, kafka);

    CountDownLatch stopped = new CountDownLatch(1);
    Runnable shutdown =
        () -> {
          consumer.stop(Duration.ofSeconds(30));
          service.close();
          evidence.close();
          stopped.countDown();
        };
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stopping the actor service");
                  shutdown.run();
                },
                "actor-service-shutdown"));
    consumer
        .whenStopped()
        .whenComplete(
            (done, error) -> {
              if (error != null && TaxonomyMismatchException.causes(error)) {
                // A restart would read the same taxonomy file and stop again at the same offset:
                // stay up and not ready (the ERROR above says why) until an operator gives this
                // node the job's taxonomy file and restarts it.
                LOG.error(
                    "the observation consumer stopped on an observation of another taxonomy;"
                        + " this node stays not ready until restarted with the job's taxonomy");
              } else if (error != null) {
                LOG.error("the observation consumer failed; exiting so that it restarts");
                // Runs the shutdown hook (drain, leave the cluster), then exits non-zero.
                new Thread(() -> System.exit(1), "actor-service-exit").start();
              }
            });
    LOG.info(
        "actor service up: HTTP on {}:{}, cluster {}:{}",
        settings.http().host(),
        service.httpPort(),
        cluster.host(),
        cluster.port());
    stopped.await();
  }
}
