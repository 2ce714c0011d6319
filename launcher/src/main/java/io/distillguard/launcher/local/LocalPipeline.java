package io.distillguard.launcher.local;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.console.ProfileDirectory;
import io.distillguard.actors.erasure.DeadLetterFiles;
import io.distillguard.actors.escalation.RetryPolicy;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.LazySharedEmbedder;
import io.distillguard.embedding.SharedEmbedders;
import io.distillguard.ingest.IngestJob;
import io.distillguard.ingest.IngestSettings;
import io.distillguard.ingest.IngestSinks;
import io.distillguard.ingest.IngestSources;
import io.distillguard.observe.InProcessObservationChannel;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The all-in-one local mode: the ingest job on an in-JVM Flink MiniCluster, the actor side on a
 * one-node Pekko cluster, and the in-process observation channel between them — the same job and
 * the same actors as in a cluster, with the local adapters plugged in.
 *
 * <pre>
 *   files ─► IngestJob (MiniCluster) ─► InProcessObservationChannel ─► ActorService ─► webhooks
 *                  └─► VectorStore (embedded under the data dir, or Milvus)
 * </pre>
 */
public final class LocalPipeline {

  private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);

  /** Observations buffered between the job and the actors before the job is backpressured. */
  private static final int CHANNEL_CAPACITY = 8192;

  /**
   * In a replay a delivery that still fails this long after it was created is kept as EXHAUSTED, so
   * a replay against a receiver that is down ends instead of retrying for a day.
   */
  static final RetryPolicy REPLAY_RETRY =
      new RetryPolicy(
          10, Duration.ofMillis(500), Duration.ofSeconds(15), Duration.ofMinutes(2), 0.5);

  /** How long a replay waits for the actors and the deliveries after the job has finished. */
  static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(4);

  private LocalPipeline() {}

  /**
   * Runs the whole pipeline over the request's files in event time, then waits until every
   * observation is processed and every delivery settled. Progress goes to {@code out}.
   */
  public static ReplayOutcome replay(ReplayRequest request, PrintWriter out) {
    return replay(request, out, Serving.NONE);
  }

  /**
   * What a replay does once it has settled, before it stops the actor side: {@code afterSettled}
   * gets the running service (its HTTP API and console on {@code httpPort}, 0 for any free port)
   * and the outcome, and may keep serving until it returns.
   */
  public record Serving(int httpPort, BiConsumer<ActorService, ReplayOutcome> afterSettled) {
    public static final Serving NONE = new Serving(0, (service, outcome) -> {});
  }

  /** Like {@link #replay(ReplayRequest, PrintWriter)}, then {@code serving} before it stops. */
  public static ReplayOutcome replay(ReplayRequest request, PrintWriter out, Serving serving) {
    Path dataDir = request.dataDir().toAbsolutePath().normalize();
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data dir " + dataDir, e);
    }
    StoreSettings storeSettings = StoreSettings.fromEnvironment(dataDir);
    ActorSettings actorSettings = actorSettings(request, dataDir, serving.httpPort());
    Path deadLetters = dataDir.resolve("dead-letters.jsonl");
    if (actorSettings.retention().data() != null) {
      // Before the job appends to the file: letters older than the retention go.
      DeadLetterFiles.expire(deadLetters, Instant.now().minus(actorSettings.retention().data()));
    }
    String channelName = "replay-" + UUID.randomUUID();
    InProcessObservationChannel channel =
        InProcessObservationChannel.open(channelName, CHANNEL_CAPACITY);
    long started = System.nanoTime();
    long deadLettersBefore = ReplayOutcome.countLines(deadLetters);
    long modelLoadsBefore = SharedEmbedders.modelsLoaded();
    ExecutorService drainer = Executors.newSingleThreadExecutor(r -> new Thread(r, "drain"));
    ExecutorService submitter =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "ingest-job-submit"));
    Future<IngestJob.Submitted> submission = null;
    try (VectorStore store = VectorStores.open(storeSettings);
        // Evidence queries by text need the model; events that carry their vector do not: it is
        // loaded when the first query comes (the job's operators load it for what they embed).
        LazySharedEmbedder evidenceEmbedder = new LazySharedEmbedder(EmbedderSettings.DEFAULT)) {
      // The job starts (its MiniCluster, deployment, the operators' model and taxonomy) while
      // the actor side starts: what it observes before the actors drain the channel waits there.
      IngestSettings ingestSettings =
          IngestSettings.defaults().withParallelism(request.parallelism());
      IngestJob job =
          new IngestJob(
              IngestSources.files(request.profiles(), request.events()),
              IngestSinks.inProcess(channelName, deadLetters, storeSettings),
              ingestSettings);
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(
              request.parallelism(), IngestJob.flinkConfiguration());
      submission = submitter.submit(() -> job.submit(env));
      try (ActorService actors = ActorService.start(actorSettings, store, evidenceEmbedder);
          ProgressReporter progress =
              ProgressReporter.start(out, channel, actors.index(), actors.outbox())) {
        // The console shows each account's stated use verbatim, from the replayed profiles.
        actors.console().useProfiles(ProfileDirectory.fromFile(request.profiles()));
        out.printf(
            "Replaying %s (profiles %s) into %s%s%n",
            request.events(),
            request.profiles(),
            storeSettings.backend() == StoreSettings.Backend.MILVUS
                ? storeSettings.milvusUri()
                : dataDir,
            actors.httpPort() > 0
                ? "; HTTP API on http://127.0.0.1:" + actors.httpPort() + " while it runs"
                : "");
        out.flush();
        Future<?> drained = drainer.submit(() -> actors.intake().drain(channel));
        try {
          submission.get().await();
        } catch (Exception e) {
          LOG.error("the ingest job failed", e);
          // Unblock the actor side: what was observed so far is still recorded and delivered.
          channel.complete();
          return ReplayOutcome.failed(
              "the ingest job failed: " + rootMessage(e), elapsed(started), channel);
        }
        try {
          drained.get();
        } catch (ExecutionException e) {
          return ReplayOutcome.failed(
              "recording observations failed: " + rootMessage(e), elapsed(started), channel);
        }
        boolean settled = actors.awaitSettled(SETTLE_TIMEOUT);
        progress.stop();
        out.println(
            SharedEmbedders.modelsLoaded() == modelLoadsBefore
                ? "Embedding model: not loaded (every event and profile carried its vector)"
                : "Embedding model: loaded (for events or profiles without their vector, a"
                    + " taxonomy file with other categories, or an evidence search by text)");
        out.flush();
        if (actors.intake().quarantined() > 0) {
          out.printf(
              "%,d observations could not be recorded and were quarantined with their reasons"
                  + " (GET /v1/quarantine, table dg_quarantine of the journal under %s)%n",
              actors.intake().quarantined(), dataDir);
          out.flush();
        }
        ReplayOutcome outcome =
            ReplayOutcome.of(
                settled,
                elapsed(started),
                channel.takenCount(),
                ReplayOutcome.countLines(deadLetters) - deadLettersBefore,
                deadLetters,
                actors.intake().failed(),
                actors.accounts(),
                actors.outbox().counts());
        serving.afterSettled().accept(actors, outcome);
        submission = null; // finished: nothing to cancel
        return outcome;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ReplayOutcome.failed("interrupted", elapsed(started), channel);
    } finally {
      cancelUnfinished(submission);
      submitter.shutdownNow();
      drainer.shutdownNow();
      channel.close();
    }
  }

  /**
   * Cancels a job that is still running when the replay ends early (the actor side failed to start,
   * or the replay was interrupted), so its MiniCluster does not stay blocked on the channel.
   */
  private static void cancelUnfinished(Future<IngestJob.Submitted> submission) {
    if (submission == null) {
      return;
    }
    try {
      submission.get().cancel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RuntimeException e) {
      LOG.debug("nothing to cancel: the job was not submitted ({})", e.toString());
    }
  }

  private static ActorSettings actorSettings(ReplayRequest request, Path dataDir, int httpPort) {
    ActorSettings settings =
        ActorSettings.load()
            .withDataDir(dataDir)
            .withWebhook(URI.create(request.webhookUrl()), request.webhookSecret())
            .withRetry(REPLAY_RETRY, ActorSettings.load().webhook().requestTimeout());
    if (request.throttleUrl().isPresent()) {
      settings = settings.withThrottleUrl(URI.create(request.throttleUrl().get()));
    }
    if (request.policyFile().isPresent()) {
      settings = settings.withPolicyFile(request.policyFile().get());
    }
    // The API of a replay lives as long as the replay: an ephemeral port (0) never collides.
    return settings.withHttp("127.0.0.1", httpPort, settings.http().bearerToken());
  }

  private static Duration elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
