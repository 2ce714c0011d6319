package io.distillguard.ingest.profile;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.enrich.StatedUse;
import io.distillguard.ingest.Descriptors;
import io.distillguard.ingest.enrich.EnrichResources;
import io.distillguard.ingest.metrics.IngestMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins each query event with its account's profile (input 1: events, input 2: profiles, both keyed
 * by account id).
 *
 * <p><b>Join semantics (deterministic, no race between the inputs).</b> An event is held in keyed
 * state until the operator's watermark passes its timestamp, and then joined with the profile
 * current at that moment. The operator's watermark is the minimum of both inputs' watermarks, so a
 * held event is released only once the profiles input has promised that nothing earlier is coming:
 *
 * <ul>
 *   <li>File replay: the profiles file carries no watermarks until it has been read completely (a
 *       bounded source then emits the final watermark), so every event is joined with the last
 *       profile the file holds for its account, however the two files interleave.
 *   <li>Kafka: profiles are timestamped by their Kafka record time; a profile published at T
 *       applies to events from about T on. An idle profiles topic stops holding events back after
 *       the configured idleness.
 * </ul>
 *
 * When both inputs have ended (a drained stop, or bounded inputs), every held event is released by
 * {@link JoinProfileOperator}, whatever the watermark.
 *
 * <p>An event that arrives behind the watermark (late) is joined immediately with the current
 * profile. Accounts without a profile proceed without one. A later profile replaces the earlier
 * one; a deletion (a tombstone on the profiles topic) forgets it.
 *
 * <p><b>Stated use.</b> Its category shares are computed once per profile version, when the profile
 * arrives: from the profile's {@code stated_use_embedding_b64} when it carries one (no model), else
 * by embedding the text (the model is loaded with the first such profile); an identical stated-use
 * text without a vector reuses the previous result. The taxonomy's centroids are the shipped ones,
 * so a job whose profiles and events all carry their vectors never loads the model.
 *
 * <p><b>State.</b> The buffer is cleared as soon as it is empty, and the timers of released events
 * are deleted. The profile is kept with a processing-time TTL (refreshed when replaced), so
 * accounts that go away do not leak state.
 */
public final class JoinProfileFunction
    extends KeyedCoProcessFunction<String, QueryEvent, ProfileUpdate, ProfiledEvent> {

  /** The dead-letter source of profiles refused by the join (stated use not embedded). */
  public static final String SOURCE = "join-profile";

  private static final Logger LOG = LoggerFactory.getLogger(JoinProfileFunction.class);
  private static final ContractCodec CODEC = new ContractCodec(ContractLimits.DEFAULT);

  // EmbedderSettings is not Serializable: the function carries its parts and rebuilds it in open().
  private final int embedderThreads;
  private final int embedderMaxTokens;
  private final int embedderBatchSize;
  private final Duration profileTtl;

  private transient ListState<QueryEvent> pending;
  private transient ValueState<ProfileVersion> profile;
  private transient EnrichResources model;
  private transient Counter lateEvents;
  private transient Counter deadLettered;

  public JoinProfileFunction(EmbedderSettings embedderSettings, Duration profileTtl) {
    this.embedderThreads = embedderSettings.threads();
    this.embedderMaxTokens = embedderSettings.maxTokens();
    this.embedderBatchSize = embedderSettings.batchSize();
    this.profileTtl = Objects.requireNonNull(profileTtl);
  }

  @Override
  public void open(OpenContext openContext) {
    pending = getRuntimeContext().getListState(Descriptors.PENDING_EVENTS);
    profile = getRuntimeContext().getState(Descriptors.profile(profileTtl));
    lateEvents =
        IngestMetrics.group(getRuntimeContext().getMetricGroup())
            .counter(IngestMetrics.LATE_EVENTS);
    deadLettered =
        IngestMetrics.group(getRuntimeContext().getMetricGroup())
            .counter(IngestMetrics.DEAD_LETTERED);
    model =
        EnrichResources.open(
            new EmbedderSettings(embedderThreads, embedderMaxTokens, embedderBatchSize));
    IngestMetrics.group(getRuntimeContext().getMetricGroup())
        .gauge(
            IngestMetrics.MODEL_ACQUIRED,
            (Gauge<Integer>) () -> model != null && model.modelAcquired() ? 1 : 0);
  }

  @Override
  public void close() throws Exception {
    if (model != null) {
      model.close();
      model = null;
    }
    super.close();
  }

  @Override
  public void processElement1(QueryEvent event, Context ctx, Collector<ProfiledEvent> out)
      throws Exception {
    long ts = event.timestamp().toEpochMilli();
    if (ts <= ctx.timerService().currentWatermark()) {
      // Late: the profiles input has already passed this time, waiting would change nothing. The
      // event is still joined and goes on (nothing downstream drops it); it is counted.
      lateEvents.inc();
      emit(event, out);
      return;
    }
    pending.add(event);
    ctx.timerService().registerEventTimeTimer(ts);
  }

  @Override
  public void processElement2(ProfileUpdate update, Context ctx, Collector<ProfiledEvent> out)
      throws Exception {
    if (update.isDeletion()) {
      // A tombstone: later events of the account proceed without a profile, as if none came.
      profile.clear();
      return;
    }
    AccountProfile next = update.profile();
    ProfileVersion previous = profile.value();
    StatedUse statedUse;
    if (next.statedUseEmbedding() == null
        && previous != null
        && previous.statedUse() != null
        && Objects.equals(previous.profile().statedUse(), next.statedUse())) {
      statedUse = previous.statedUse();
    } else {
      try {
        // Precomputed upstream (stated_use_embedding_b64): no model, and the same derivation as
        // for the vector the model would compute here (the same vector gives the same shares, bit
        // for bit). Without it, the first such profile loads the model.
        statedUse =
            next.statedUseEmbedding() != null
                ? model.enricher().statedUse(next.statedUseEmbedding())
                : model.enricher().statedUse(next.statedUse());
      } catch (RuntimeException e) {
        // One profile that cannot be embedded (or whose vector does not fit the taxonomy's
        // dimension) must not fail the job: it is dead-lettered and the account keeps the profile
        // it had.
        LOG.warn("stated use of account {} not embedded: {}", next.accountId(), e.toString());
        deadLettered.inc();
        ctx.output(
            Descriptors.DEAD_LETTERS,
            new DeadLetter(
                SOURCE,
                "stated use not embedded: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                CODEC.writeProfile(next),
                System.currentTimeMillis()));
        return;
      }
    }
    // The vector lives on in the derived stated use; the kept profile (and every event joined with
    // it) does not carry it again.
    next = next.withStatedUseEmbedding(null);
    profile.update(new ProfileVersion(next, statedUse));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ProfiledEvent> out)
      throws Exception {
    long watermark = ctx.timerService().currentWatermark();
    List<QueryEvent> ready = new ArrayList<>();
    List<QueryEvent> waiting = new ArrayList<>();
    for (QueryEvent e : pending.get()) {
      (e.timestamp().toEpochMilli() <= watermark ? ready : waiting).add(e);
    }
    if (ready.isEmpty()) {
      return;
    }
    // Every event up to the watermark is released now, in event-time order; their own timers would
    // find nothing left, so they are deleted rather than left to fire.
    ready.sort(Comparator.comparing(QueryEvent::timestamp));
    for (QueryEvent e : ready) {
      long ts = e.timestamp().toEpochMilli();
      if (ts != timestamp) {
        ctx.timerService().deleteEventTimeTimer(ts);
      }
      emit(e, out);
    }
    if (waiting.isEmpty()) {
      pending.clear();
    } else {
      pending.update(waiting);
    }
  }

  private void emit(QueryEvent event, Collector<ProfiledEvent> out) throws Exception {
    ProfileVersion current = profile.value();
    out.collect(
        current == null
            ? new ProfiledEvent(event, null, null)
            : new ProfiledEvent(event, current.profile(), current.statedUse()));
  }
}
