package io.distillguard.actors.account;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.CborSerializable;
import io.distillguard.detect.AccountDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Decision;
import io.distillguard.policy.Level;
import io.distillguard.signals.EventTimeSettings;
import io.distillguard.signals.SignalSnapshot;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * One account: folds its observations into the detection state and records every decision. A
 * cluster-sharding entity, event-sourced on the JDBC journal, snapshotted every N events,
 * passivated when idle.
 *
 * <p>Decisions are facts. The policy is evaluated in the command handler only, and what it decided
 * (the level and the rules' hysteresis, the reasons, the policy version) is persisted with the
 * observation; the event handler folds the observation into the signals and applies the recorded
 * decision, so it needs no policy and a recovery after a policy reload gives back exactly the
 * recorded levels. The entity has no side effects and touches no database of its own: webhooks,
 * throttle directives and the account index are derived from the journal by the {@link
 * io.distillguard.actors.escalation.EffectsProjection} (events tagged {@link #EFFECTS_TAG}), so an
 * effect exists exactly when its event was persisted.
 *
 * <p>An observation is counted once: the state keeps the ids counted within {@link
 * SeenEventIds#HORIZON} of event time, exactly, and an older observation is not counted.
 *
 * <p>Lifecycle: {@code OK -> WATCH -> REVIEW -> THROTTLE} by the rule set; {@code CLEARED} or
 * {@code CONFIRMED} by a reviewer. A cleared account is not re-escalated for the same evidence
 * ({@link AccountDetector#review}).
 */
public final class AccountEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        AccountEntity.Command, AccountEntity.Event, AccountState> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "Account");

  /** The journal tag of the events that have effects (read by the effects projection). */
  public static final String EFFECTS_TAG = "account-effects";

  /** Every this many counted observations, one is tagged so the account index follows counts. */
  public static final int INDEX_EVERY = 100;

  // ---- protocol -------------------------------------------------------------------------------

  /** What an account entity is asked to do. */
  public sealed interface Command extends CborSerializable
      permits RecordObservation,
          RecordObservations,
          GetStatus,
          ReviewAccount,
          EraseAccount,
          FlagByCampaign,
          CampaignsErased {}

  /** Fold one observation in; acknowledged once it (and any escalation) is durable. */
  public record RecordObservation(
      AccountObservation observation, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /**
   * Fold the account's observations in, in list order, as {@link RecordObservation} would one by
   * one: the events they cause are persisted as one {@link ObservationsRecorded} (one journal row,
   * one write), and the batch is acknowledged once, when all of it is durable. A failure leaves
   * none of it recorded.
   */
  public record RecordObservations(
      List<AccountObservation> observations, ActorRef<StatusReply<Done>> replyTo)
      implements Command {
    public RecordObservations {
      observations = List.copyOf(observations);
    }
  }

  /** Reply with the account's {@link AccountStatus}. */
  public record GetStatus(ActorRef<AccountStatus> replyTo) implements Command {}

  /**
   * A reviewer's verdict, {@link Level#CLEARED} or {@link Level#CONFIRMED}; replies with the new
   * status, or an error for another level or an account never observed.
   */
  public record ReviewAccount(
      Level verdict, String reviewer, String note, ActorRef<StatusReply<AccountStatus>> replyTo)
      implements Command {}

  /**
   * Forget everything about the account (erasure): persists {@link AccountErased}, which resets the
   * state, and replies with that event's sequence number; the journal rows before it are then
   * deleted by {@code AccountErasure}, and the marker itself by the effects projection once it has
   * withdrawn the account's effects.
   */
  public record EraseAccount(ActorRef<StatusReply<Long>> replyTo) implements Command {}

  /**
   * The account's campaign decided about its members (sent by the campaign effects, from the
   * campaign's journal): {@code level} REVIEW or THROTTLE flags the account, OK lifts the flag this
   * campaign set. {@code campaignSeq} is the campaign journal's sequence number of the deciding
   * event: a flag older than the one the account holds from the same campaign is ignored, so
   * repeated or reordered deliveries change nothing. An account without history (never observed, or
   * erased) ignores it. Acknowledged once durable (or ignored).
   */
  public record FlagByCampaign(
      String campaignId,
      Level level,
      long campaignSeq,
      List<io.distillguard.policy.Reason> reasons,
      long atMillis,
      ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /**
   * The account's erasure restated each campaign in {@code facts} without it, by that campaign's
   * journal event (its {@code MemberErased} fact, sequence number per campaign id): what those
   * campaigns decided before is about the erased history. The entity, which refuses campaign words
   * from its erasure marker on until this arrives, now ignores every word of those campaigns older
   * than the fact, also once the account has a new history, and lifts a flag such a word had set
   * (refusing means: while the account has a new history; without one, a word is ignored anyway).
   * Held in memory: a word on its way during the erasure arrives within one delivery's timeout,
   * long before the entity is passivated. Acknowledged once durable.
   */
  public record CampaignsErased(
      java.util.Map<String, Long> facts, ActorRef<StatusReply<Done>> replyTo) implements Command {
    public CampaignsErased {
      facts = java.util.Map.copyOf(facts);
    }
  }

  /** What happened to an account (the journal). */
  public sealed interface Event extends CborSerializable
      permits ObservationRecorded,
          ObservationsRecorded,
          LevelChanged,
          Reviewed,
          AccountErased,
          CampaignFlagged {}

  /**
   * What one {@link RecordObservations} decided, as ONE journal event: the {@link
   * ObservationRecorded} of each counted observation and the {@link LevelChanged} of each level
   * change, in the order they were decided, exactly the events the observations would have
   * persisted one by one. One journal row per account per chunk instead of one per observation;
   * recovery folds the facts in order ({@link AccountEvents}), so both forms give the same state,
   * and readers of the journal (the effects projection, the console's history) take the facts in
   * order. A decision that records a single fact persists it on its own.
   *
   * @param facts at least two, each an {@link ObservationRecorded} or a {@link LevelChanged}
   */
  public record ObservationsRecorded(List<Event> facts) implements Event {
    public ObservationsRecorded {
      facts = List.copyOf(facts);
      for (Event f : facts) {
        if (!(f instanceof ObservationRecorded) && !(f instanceof LevelChanged)) {
          throw new IllegalArgumentException("not a fact of a chunk: " + f.getClass().getName());
        }
      }
    }

    /** The facts of {@code event}: its own when it is a chunk, else the event itself. */
    public static List<Event> of(Event event) {
      return event instanceof ObservationsRecorded c ? c.facts() : List.of(event);
    }
  }

  /**
   * An observation was counted, and the rule set decided on it. Journaled in a compact binary form
   * ({@link ObservationRecordedSerializer}); journals written before hold it as Jackson CBOR.
   *
   * @param queriesObserved the account's count including this observation
   * @param hysteresis the level and the rules' holds after the decision (applied as recorded); null
   *     when the decision left them as they were, except on the events tagged for the effects
   *     projection (journals written before carry it on every event)
   * @param decision the decision with its reasons when it differs from the previous one in level,
   *     throttle plan or reasons (rule, signal, threshold; not the reasons' values, which move with
   *     every observation); null when unchanged (most observations), which keeps the journal small
   * @param policyVersion the version of the policy that made {@code decision}; null with it
   * @param eventTime how the deciding policy placed out-of-order events in the windows; null for
   *     {@link EventTimeSettings#DEFAULT}
   * @param evidenceScore the sequential evidence score after this observation
   */
  public record ObservationRecorded(
      AccountObservation observation,
      long queriesObserved,
      DetectionState.Hysteresis hysteresis,
      Decision decision,
      String policyVersion,
      EventTimeSettings eventTime,
      double evidenceScore)
      implements Event {}

  /**
   * The rule set moved the account from {@code from} to {@code to} on event {@code eventId}.
   *
   * @param decision the decision with its reasons (and throttle plan for THROTTLE)
   * @param signals the signal values at that moment
   * @param policyVersion the version of the policy that decided it
   * @param escalation true when this change asks for a review or a throttle (the level rose, or
   *     left a reviewer's CLEARED for an automatic level above OK)
   */
  public record LevelChanged(
      Level from,
      Level to,
      String eventId,
      Decision decision,
      SignalSnapshot signals,
      String policyVersion,
      boolean escalation)
      implements Event {}

  /**
   * A reviewer decided; {@code atMillis} is wall-clock time of the review, {@code queriesObserved}
   * and {@code signals} the evidence it was made on.
   */
  public record Reviewed(
      Level verdict,
      String reviewer,
      String note,
      long atMillis,
      long queriesObserved,
      SignalSnapshot signals)
      implements Event {}

  /**
   * The account was erased at {@code atMillis} (wall clock): its state starts again from empty. The
   * marker carries nothing of the account; everything before it is deleted from the journal.
   */
  public record AccountErased(long atMillis) implements Event {}

  /**
   * A campaign flag the account holds: its campaign raised it to {@code level} (REVIEW, or THROTTLE
   * once a reviewer confirmed the campaign) at {@code sinceMillis}, by its journal event {@code
   * seq}.
   */
  public record CampaignFlag(String campaignId, Level level, long seq, long sinceMillis)
      implements CborSerializable {}

  /**
   * One of the account's campaign flags changed (see {@link FlagByCampaign}, {@link
   * CampaignFlags}); decided in the command handler, applied as recorded.
   *
   * @param flag the flag {@code campaignId} sets now (the account's organisation flag for a
   *     declared organisation's principal, its linked campaign flag otherwise); null when lifted
   * @param campaignId the campaign that set or lifted it
   * @param from the account's level before (its own level, raised by the flags it had)
   * @param to the account's level after
   * @param decision the campaign's reasons and, when the flag throttles, the account's throttle
   * @param signals the account's signals at that moment (null before its first observation)
   * @param escalation true when the level rose (a review or a throttle is asked for)
   * @param held the highest flag the account holds after the change; null when none, and in events
   *     journaled before an account could hold two flags, where {@code flag} was the only one (see
   *     {@link #heldFlag()})
   */
  public record CampaignFlagged(
      CampaignFlag flag,
      String campaignId,
      Level from,
      Level to,
      Decision decision,
      SignalSnapshot signals,
      boolean escalation,
      CampaignFlag held)
      implements Event {

    /** The highest flag the account holds after the change; null when none. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public CampaignFlag heldFlag() {
      // A flag set makes the held one non-null: null here is either none held or an event of the
      // single flag, whose flag is then what was held.
      return held != null ? held : flag;
    }
  }

  // ---- behavior -------------------------------------------------------------------------------

  private final AccountDetector detector;
  private final int snapshotEvery;
  private final AccountCommands commands;
  private final AccountErasureCommands erasureCommands;

  private AccountEntity(
      String accountId,
      AccountDetector detector,
      int snapshotEvery,
      Clock clock,
      ActorContext<Command> context) {
    super(persistenceId(accountId));
    this.detector = detector;
    this.snapshotEvery = snapshotEvery;
    this.commands = new AccountCommands(accountId, detector, clock, Effect());
    this.erasureCommands =
        new AccountErasureCommands(
            accountId, detector, clock, Effect(), () -> lastSequenceNumber(context));
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
      String accountId, AccountDetector detector, int snapshotEvery, Clock clock) {
    return Behaviors.setup(
        ctx -> new AccountEntity(accountId, detector, snapshotEvery, clock, ctx));
  }

  /** Registers the entity type with cluster sharding on {@code system}; returns the region. */
  public static ActorRef<ShardingEnvelope<Command>> initSharding(
      ActorSystem<?> system, AccountDetector detector, int snapshotEvery, Clock clock) {
    return ClusterSharding.get(system)
        .init(
            Entity.of(
                ENTITY_TYPE_KEY, ctx -> create(ctx.getEntityId(), detector, snapshotEvery, clock)));
  }

  /** The account id of a persistence id written by this entity type. */
  public static String accountId(String persistenceId) {
    String prefix = ENTITY_TYPE_KEY.name() + PersistenceId.DefaultSeparator();
    if (!persistenceId.startsWith(prefix)) {
      throw new IllegalArgumentException("not an account persistence id: " + persistenceId);
    }
    return persistenceId.substring(prefix.length());
  }

  @Override
  public AccountState emptyState() {
    return new AccountState(
        detector.newState(), SeenEventIds.empty(), null, null, null, 0L, null, null, null);
  }

  /** See {@link AccountSnapshotCriterion}. */
  @Override
  public RetentionCriteria retentionCriteria() {
    return AccountSnapshotCriterion.retentionCriteria(snapshotEvery);
  }

  /** See {@link AccountSnapshotCriterion#crossesObservationMultiple}. */
  @Override
  public boolean shouldSnapshot(AccountState state, Event event, long sequenceNr) {
    return AccountSnapshotCriterion.crossesObservationMultiple(event, snapshotEvery);
  }

  /** See {@link AccountEffectsTags}. */
  @Override
  public Set<String> tagsFor(Event event) {
    return AccountEffectsTags.tagsFor(event);
  }

  /**
   * Observations, status asks and reviews are answered by {@link AccountCommands}; the erasure and
   * the campaigns' words by {@link AccountErasureCommands}.
   */
  @Override
  public CommandHandlerWithReply<Command, Event, AccountState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(
            RecordObservation.class,
            (state, cmd) -> commands.onRecord(state, List.of(cmd.observation()), cmd.replyTo()))
        .onCommand(
            RecordObservations.class,
            (state, cmd) -> commands.onRecord(state, cmd.observations(), cmd.replyTo()))
        .onCommand(GetStatus.class, commands::onGetStatus)
        .onCommand(ReviewAccount.class, commands::onReview)
        .onCommand(FlagByCampaign.class, erasureCommands::onCampaignFlag)
        .onCommand(CampaignsErased.class, erasureCommands::onCampaignsErased)
        .onCommand(EraseAccount.class, erasureCommands::onErase)
        .build();
  }

  /** Applies an event: pure, and needs no policy (recorded decisions are applied as they are). */
  @Override
  public EventHandler<AccountState, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Event.class, (state, e) -> AccountEvents.apply(state, e, detector))
        .build();
  }
}
