package io.distillguard.actors.account;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.CborSerializable;
import io.distillguard.actors.escalation.Escalations;
import io.distillguard.detect.AccountDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.detect.Evaluation;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Decision;
import io.distillguard.policy.Level;
import io.distillguard.signals.SignalSnapshot;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One account: folds its observations into the detection state, records every level change, and
 * hands escalations to the durable outbox. A cluster-sharding entity, event-sourced on the JDBC
 * journal, snapshotted every N events, passivated when idle.
 *
 * <p>The detection logic lives in {@link AccountDetector} (plain Java); this entity decides what is
 * persisted and when side effects happen. Event handlers are pure: they apply the detector to a
 * copy of the state, so a snapshot being serialized is never mutated underneath. Escalations are
 * written to the outbox before the event that records them is persisted, and the observation is
 * acknowledged only after both, so an acknowledged escalation survives any crash (see {@link
 * Escalations}).
 *
 * <p>Lifecycle: {@code OK -> WATCH -> REVIEW -> THROTTLE} by the rule set; {@code CLEARED} or
 * {@code CONFIRMED} by a reviewer. A cleared account is not re-escalated for the same evidence
 * ({@link AccountDetector#review}).
 */
public final class AccountEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        AccountEntity.Command, AccountEntity.Event, AccountEntity.State> {

  private static final Logger LOG = LoggerFactory.getLogger(AccountEntity.class);

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "Account");

  // ---- protocol -------------------------------------------------------------------------------

  /** What an account entity is asked to do. */
  public sealed interface Command extends CborSerializable
      permits RecordObservation, GetStatus, ReviewAccount {}

  /** Fold one observation in; acknowledged once it (and any escalation) is durable. */
  public record RecordObservation(
      AccountObservation observation, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Reply with the account's {@link AccountStatus}. */
  public record GetStatus(ActorRef<AccountStatus> replyTo) implements Command {}

  /**
   * A reviewer's verdict, {@link Level#CLEARED} or {@link Level#CONFIRMED}; replies with the new
   * status, or an error for another level or an account never observed.
   */
  public record ReviewAccount(
      Level verdict, String reviewer, String note, ActorRef<StatusReply<AccountStatus>> replyTo)
      implements Command {}

  /** What happened to an account (the journal). */
  public sealed interface Event extends CborSerializable
      permits ObservationRecorded, LevelChanged, Reviewed {}

  /** An observation was counted. */
  public record ObservationRecorded(AccountObservation observation) implements Event {}

  /**
   * The rule set moved the account from {@code from} to {@code to} on event {@code eventId}.
   *
   * @param decision the decision with its reasons (and throttle plan for THROTTLE)
   * @param signals the signal values at that moment
   */
  public record LevelChanged(
      Level from, Level to, String eventId, Decision decision, SignalSnapshot signals)
      implements Event {}

  /** A reviewer decided; {@code atMillis} is wall-clock time of the review. */
  public record Reviewed(Level verdict, String reviewer, String note, long atMillis)
      implements Event {}

  /**
   * The account's state: the compact detection state plus what the API shows. Immutable from the
   * entity's point of view (every change makes a new instance with a copied detection state).
   * Serialized with the detection state as its compact bytes.
   */
  public static final class State implements CborSerializable {
    private final DetectionState detection;
    private final SignalSnapshot signals;
    private final Decision decision;
    private final long levelSinceMillis;
    private final String reviewer;
    private final String reviewNote;
    private final Long reviewedAtMillis;

    State(
        DetectionState detection,
        SignalSnapshot signals,
        Decision decision,
        long levelSinceMillis,
        String reviewer,
        String reviewNote,
        Long reviewedAtMillis) {
      this.detection = detection;
      this.signals = signals;
      this.decision = decision;
      this.levelSinceMillis = levelSinceMillis;
      this.reviewer = reviewer;
      this.reviewNote = reviewNote;
      this.reviewedAtMillis = reviewedAtMillis;
    }

    @JsonCreator
    static State fromJson(
        @JsonProperty("detection") byte[] detection,
        @JsonProperty("signals") SignalSnapshot signals,
        @JsonProperty("decision") Decision decision,
        @JsonProperty("levelSinceMillis") long levelSinceMillis,
        @JsonProperty("reviewer") String reviewer,
        @JsonProperty("reviewNote") String reviewNote,
        @JsonProperty("reviewedAtMillis") Long reviewedAtMillis) {
      return new State(
          DetectionState.fromBytes(detection),
          signals,
          decision,
          levelSinceMillis,
          reviewer,
          reviewNote,
          reviewedAtMillis);
    }

    @JsonProperty("detection")
    byte[] detectionBytes() {
      return detection.toBytes();
    }

    @JsonIgnore
    public DetectionState detection() {
      return detection;
    }

    @JsonProperty("signals")
    public SignalSnapshot signals() {
      return signals;
    }

    @JsonProperty("decision")
    public Decision decision() {
      return decision;
    }

    @JsonProperty("levelSinceMillis")
    public long levelSinceMillis() {
      return levelSinceMillis;
    }

    @JsonProperty("reviewer")
    public String reviewer() {
      return reviewer;
    }

    @JsonProperty("reviewNote")
    public String reviewNote() {
      return reviewNote;
    }

    @JsonProperty("reviewedAtMillis")
    public Long reviewedAtMillis() {
      return reviewedAtMillis;
    }

    @JsonIgnore
    public Level level() {
      return detection.level();
    }

    @JsonIgnore
    public long queriesObserved() {
      return detection.queriesObserved();
    }

    /** The API view of this state. */
    public AccountStatus toStatus(String accountId) {
      return new AccountStatus(
          accountId,
          level(),
          queriesObserved(),
          signals == null ? 0 : signals.eventTimeMillis(),
          levelSinceMillis,
          signals == null ? Map.of() : signals.values(),
          decision == null ? List.of() : decision.reasons(),
          reviewer,
          reviewNote,
          reviewedAtMillis);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State s
          && java.util.Arrays.equals(detection.toBytes(), s.detection.toBytes())
          && java.util.Objects.equals(signals, s.signals)
          && java.util.Objects.equals(decision, s.decision)
          && levelSinceMillis == s.levelSinceMillis
          && java.util.Objects.equals(reviewer, s.reviewer)
          && java.util.Objects.equals(reviewNote, s.reviewNote)
          && java.util.Objects.equals(reviewedAtMillis, s.reviewedAtMillis);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(signals, levelSinceMillis, reviewer, reviewedAtMillis);
    }

    @Override
    public String toString() {
      return "State[level=" + level() + ", queries=" + queriesObserved() + "]";
    }
  }

  // ---- behavior -------------------------------------------------------------------------------

  private final String accountId;
  private final AccountDetector detector;
  private final Escalations escalations;
  private final int snapshotEvery;
  private final Clock clock;

  private AccountEntity(
      String accountId,
      AccountDetector detector,
      Escalations escalations,
      int snapshotEvery,
      Clock clock) {
    super(persistenceId(accountId));
    this.accountId = accountId;
    this.detector = detector;
    this.escalations = escalations;
    this.snapshotEvery = snapshotEvery;
    this.clock = clock;
  }

  /**
   * {@code Account|<account id>}. The account id is used as it is, reserved characters included:
   * {@link PersistenceId#of} refuses an entity id containing its separator {@code |}, but the type
   * hint never contains one, so the first {@code |} still separates the two unambiguously, and ids
   * without {@code |} keep the persistence id they always had (their journals stay readable).
   */
  public static PersistenceId persistenceId(String accountId) {
    return PersistenceId.ofUniqueId(
        ENTITY_TYPE_KEY.name() + PersistenceId.DefaultSeparator() + accountId);
  }

  /** The behavior of the entity for {@code accountId}. */
  public static Behavior<Command> create(
      String accountId,
      AccountDetector detector,
      Escalations escalations,
      int snapshotEvery,
      Clock clock) {
    return new AccountEntity(accountId, detector, escalations, snapshotEvery, clock);
  }

  /** Registers the entity type with cluster sharding on {@code system}; returns the region. */
  public static ActorRef<ShardingEnvelope<Command>> initSharding(
      ActorSystem<?> system,
      AccountDetector detector,
      Escalations escalations,
      int snapshotEvery,
      Clock clock) {
    return ClusterSharding.get(system)
        .init(
            Entity.of(
                ENTITY_TYPE_KEY,
                ctx -> create(ctx.getEntityId(), detector, escalations, snapshotEvery, clock)));
  }

  @Override
  public State emptyState() {
    return new State(detector.newState(), null, null, 0L, null, null, null);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(snapshotEvery, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(RecordObservation.class, this::onRecord)
        .onCommand(
            GetStatus.class,
            (state, cmd) -> Effect().reply(cmd.replyTo(), state.toStatus(accountId)))
        .onCommand(ReviewAccount.class, this::onReview)
        .build();
  }

  private ReplyEffect<Event, State> onRecord(State state, RecordObservation cmd) {
    AccountObservation o = cmd.observation();
    if (!accountId.equals(o.accountId())) {
      return Effect()
          .reply(
              cmd.replyTo(),
              StatusReply.error("observation for another account: " + o.accountId()));
    }
    DetectionState probe = state.detection().copy();
    Evaluation ev = detector.observe(probe, o);
    if (ev.duplicate()) {
      return Effect().reply(cmd.replyTo(), StatusReply.ack());
    }
    List<Event> events = new ArrayList<>(2);
    events.add(new ObservationRecorded(o));
    if (ev.level() != ev.previousLevel()) {
      events.add(
          new LevelChanged(
              ev.previousLevel(), ev.level(), o.eventId(), ev.decision(), ev.signals()));
    }
    if (ev.escalated()) {
      // Write-ahead: the escalation is durable before the event, and the ack follows both.
      escalations.escalate(accountId, o.eventId(), ev.level(), ev.decision(), ev.signals());
    }
    if (ev.level() != ev.previousLevel()) {
      // The one log line per decision: ids and rule names only, never prompts.
      LOG.info(
          "account {} {} {} -> {} at {} queries (event {}; rules {})",
          accountId,
          ev.escalated() ? "escalated" : "changed",
          ev.previousLevel(),
          ev.level(),
          ev.signals().queriesObserved(),
          o.eventId(),
          ev.decision().reasons().stream().map(r -> r.rule()).distinct().toList());
    }
    boolean reindex = events.size() > 1 || ev.signals().queriesObserved() % snapshotEvery == 1;
    return Effect()
        .persist(events)
        .thenRun(
            s -> {
              if (reindex) {
                escalations
                    .index()
                    .upsert(accountId, s.level(), s.queriesObserved(), clock.millis());
              }
            })
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onReview(State state, ReviewAccount cmd) {
    if (cmd.verdict() != Level.CLEARED && cmd.verdict() != Level.CONFIRMED) {
      return Effect()
          .reply(cmd.replyTo(), StatusReply.error("verdict must be CLEARED or CONFIRMED"));
    }
    if (state.queriesObserved() == 0) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("unknown account: " + accountId));
    }
    long now = clock.millis();
    if (cmd.verdict() == Level.CLEARED) {
      escalations.cleared(accountId, reviewSequence(state), cmd.reviewer(), state.signals());
    }
    LOG.info("account {} reviewed: {}", accountId, cmd.verdict());
    return Effect()
        .persist(new Reviewed(cmd.verdict(), cmd.reviewer(), cmd.note(), now))
        .thenRun(s -> escalations.index().upsert(accountId, s.level(), s.queriesObserved(), now))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(s.toStatus(accountId)));
  }

  /**
   * Identifies this review among the account's reviews: the evidence count it was made on. A
   * retried command for the same evidence yields the same webhook-id.
   */
  private static long reviewSequence(State state) {
    return state.queriesObserved();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            ObservationRecorded.class,
            (state, e) -> {
              DetectionState next = state.detection().copy();
              Evaluation ev = detector.observe(next, e.observation());
              return new State(
                  next,
                  ev.signals(),
                  ev.decision(),
                  state.levelSinceMillis(),
                  state.reviewer(),
                  state.reviewNote(),
                  state.reviewedAtMillis());
            })
        .onEvent(
            LevelChanged.class,
            (state, e) ->
                new State(
                    state.detection(),
                    state.signals(),
                    state.decision(),
                    e.signals().eventTimeMillis(),
                    state.reviewer(),
                    state.reviewNote(),
                    state.reviewedAtMillis()))
        .onEvent(
            Reviewed.class,
            (state, e) -> {
              DetectionState next = state.detection().copy();
              detector.review(next, e.verdict(), evidenceTime(state));
              return new State(
                  next,
                  state.signals(),
                  state.decision(),
                  e.atMillis(),
                  e.reviewer(),
                  e.note(),
                  e.atMillis());
            })
        .build();
  }

  /** The event time up to which the reviewer saw the evidence. */
  private static long evidenceTime(State state) {
    return state.signals() == null ? 0L : state.signals().eventTimeMillis();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              // The index write after an event is best effort; recovery repairs it.
              if (state.queriesObserved() > 0) {
                escalations
                    .index()
                    .upsert(accountId, state.level(), state.queriesObserved(), clock.millis());
              }
            })
        .build();
  }
}
