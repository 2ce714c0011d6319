package io.distillguard.actors.campaign;

import io.distillguard.actors.CborSerializable;
import io.distillguard.campaign.CampaignGrouper;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.CampaignState;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.policy.Reason;
import io.distillguard.signals.SignalSnapshot;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One campaign (a group of linked accounts, id {@code cmp-...}), event-sourced on the design of the
 * account entity: member summaries and the links between members are journaled, the campaign rules
 * are evaluated in the command handler, and every level change is a journaled fact ({@link
 * LevelDecided}) applied as recorded on recovery, never re-decided under another policy. Events
 * that have effects carry {@link #EFFECTS_TAG} for a journal-tailing projection.
 *
 * <p>Members and links are bounded: at most {@value #MAX_LINKS} links are kept (the weakest leave
 * first); members are the campaign's accounts, each a compact {@link MemberSummary}.
 */
public final class CampaignEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        CampaignEntity.Command, CampaignEntity.Event, CampaignEntityState> {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignEntity.class);

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "Campaign");

  /** The journal tag of the events that have effects. */
  public static final String EFFECTS_TAG = "campaign-effects";

  static final int MAX_LINKS = 256;

  // ---- protocol -------------------------------------------------------------------------------

  /** What a campaign entity is asked to do. */
  public sealed interface Command extends CborSerializable
      permits RecordMember,
          RecordMembers,
          GetCampaign,
          ReviewCampaign,
          EraseMember,
          MergeInto,
          AbsorbCampaign,
          MergeFrom,
          HandoverArrived,
          HandoverFailed,
          RetryMerge,
          VoidWords {}

  /** One member: {@link RecordMembers} of one. */
  public record RecordMember(
      MemberSummary summary, List<CampaignLink> links, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /**
   * The members of one intake chunk in this campaign, each with its latest summary and links: all
   * of them go in and the campaign is evaluated ONCE (not once per member), that evaluation
   * counting toward the rules' holds once per observation the members stand for ({@link
   * Member#observations}). Acknowledged once durable.
   */
  public record RecordMembers(List<Member> members, ActorRef<StatusReply<Done>> replyTo)
      implements Command {
    public RecordMembers {
      if (members.isEmpty()) {
        throw new IllegalArgumentException("no members");
      }
      members = List.copyOf(members);
    }
  }

  /**
   * A member's current summary and the links that tie it to other members.
   *
   * @param observations how many observations of the member this record stands for (the member's
   *     own in the intake chunk; 0 for a member the campaign is only told about, and in a record
   *     from a node that does not count them): each counts toward the campaign rules' {@code
   *     hold.evaluations}, so a rule holds for the same observations whatever the chunking
   */
  public record Member(MemberSummary summary, List<CampaignLink> links, int observations)
      implements CborSerializable {

    /** A member record that stands for one observation. */
    public Member(MemberSummary summary, List<CampaignLink> links) {
      this(summary, links, 1);
    }
  }

  /** Reply with the campaign's {@link CampaignStatus}. */
  public record GetCampaign(ActorRef<CampaignStatus> replyTo) implements Command {}

  /** A reviewer's verdict on the campaign: CLEARED or CONFIRMED. */
  public record ReviewCampaign(
      Level verdict, String reviewer, String note, ActorRef<StatusReply<CampaignStatus>> replyTo)
      implements Command {}

  /**
   * Forget one account (erasure): when the campaign holds it (as a member or in a link), persists
   * {@link MemberErased} and replies with that event's sequence number, else replies 0. The journal
   * rows before the fact are then deleted ({@code CampaignErasure}).
   */
  public record EraseMember(String accountId, ActorRef<StatusReply<Long>> replyTo)
      implements Command {}

  /**
   * This campaign merges into {@code survivorId} (the grouping found one group across both):
   * persists {@link MergedInto} once and replies with what moves ({@link Handover}); asked again,
   * it replies the same. A campaign that never recorded a member replies an empty handover and
   * persists nothing.
   */
  public record MergeInto(String survivorId, ActorRef<StatusReply<Handover>> replyTo)
      implements Command {}

  /**
   * Take over the members, links and open case of campaign {@code fromId}, which merged into this
   * one ({@link Absorbed}, and the carried level). Once per absorbed campaign; acknowledged once
   * durable.
   */
  public record AbsorbCampaign(
      String fromId, Handover handover, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /**
   * Absorb campaign {@code absorbedId} (the grouping found one group across both): journals the
   * intent ({@link MergeStarted}) first, then asks the absorbed campaign to merge ({@link
   * MergeTransport}) until it hands over, and absorbs what it hands over ({@link Absorbed}).
   * Replies once absorbed, or with an error when an attempt failed (the merge is then retried by
   * the entity itself, and after a restart from its journal). Idempotent: a merge already absorbed
   * is acknowledged, one pending is driven again.
   */
  public record MergeFrom(String absorbedId, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /** An attempt at a pending merge got the absorbed campaign's handover (sent to itself). */
  record HandoverArrived(String absorbedId, Handover handover) implements Command {}

  /** An attempt at a pending merge failed (sent to itself). */
  record HandoverFailed(String absorbedId, String reason) implements Command {}

  /**
   * Try a pending merge again: a timer, or a wake-up through sharding ({@link MergeWakeUp}) that
   * also starts the entity when it was stopped meanwhile.
   */
  public record RetryMerge(String absorbedId) implements Command {}

  /** A word the campaign decided about an account: a member flag, by journal event {@code seq}. */
  public record Word(String accountId, long seq) implements CborSerializable {}

  /**
   * Which of {@code words} are about a history erased since they were decided ({@link
   * CampaignEntityState#voids}): the flag delivery asks before it hands a word to the account, so a
   * word decided before a member's erasure never reaches the account, whichever side restarted in
   * between (the answer comes from the campaign's journal). Replies the void ones.
   */
  public record VoidWords(List<Word> words, ActorRef<VoidedWords> replyTo) implements Command {
    public VoidWords {
      words = List.copyOf(words);
    }
  }

  /** The reply to {@link VoidWords}: the words about an erased history. */
  public record VoidedWords(List<Word> words) implements CborSerializable {
    public VoidedWords {
      words = List.copyOf(words);
    }
  }

  /**
   * What a merged campaign hands over: its members, links and level, and the merges it had started
   * and not completed (the survivor carries them on).
   */
  public record Handover(
      List<MemberSummary> members, List<CampaignLink> links, Level level, List<String> pending)
      implements CborSerializable {
    public Handover {
      members = List.copyOf(members);
      links = List.copyOf(links);
      pending = pending == null ? List.of() : List.copyOf(pending);
    }

    /** Without merges pending. */
    public Handover(List<MemberSummary> members, List<CampaignLink> links, Level level) {
      this(members, links, level, List.of());
    }
  }

  /** What happened to a campaign (the journal). */
  public sealed interface Event extends CborSerializable
      permits MembersRecorded,
          MemberRecorded,
          LevelDecided,
          Reviewed,
          JoinedAfterConfirmation,
          MemberErased,
          MergedInto,
          Absorbed,
          MergeStarted {}

  /**
   * The campaign will absorb {@code absorbedId}: the intent, journaled before the absorbed side is
   * asked, so a merge that fails half-way is completed (retried until the absorbed side hands over,
   * also after a restart) instead of leaving two live campaigns.
   */
  public record MergeStarted(String absorbedId, long atMillis) implements Event {}

  /**
   * The campaign merged into {@code survivorId}: it records nothing more, its members and open case
   * live on there, and its row, API and console say so.
   */
  public record MergedInto(String survivorId, long atMillis) implements Event {}

  /** The members and links of campaign {@code fromId} joined this one when it merged in. */
  public record Absorbed(
      String fromId, List<MemberSummary> members, List<CampaignLink> links, long atMillis)
      implements Event {}

  /**
   * The members of one {@link RecordMembers} that matter ({@link CompactJournal}) were recorded
   * (and the campaign evaluated, when it was due: {@link
   * io.distillguard.campaign.EvaluationCadence}): one journal event however many members a chunk
   * brings, applied in one step (a campaign of tens of thousands of members is copied once per
   * chunk, not once per member).
   *
   * @param members the members recorded, in the order recorded
   * @param holds the campaign rules' holds after the chunk (applied as recorded)
   */
  public record MembersRecorded(List<RecordedMember> members, Map<String, long[]> holds)
      implements Event {
    public MembersRecorded {
      members = List.copyOf(members);
    }

    /** The accounts that were not members before, in the order recorded. */
    public List<String> joined() {
      return members.stream()
          .filter(RecordedMember::joined)
          .map(m -> m.summary().accountId())
          .toList();
    }
  }

  /**
   * One member in {@link MembersRecorded}.
   *
   * @param joined true when the account was not a member before
   */
  public record RecordedMember(MemberSummary summary, List<CampaignLink> links, boolean joined)
      implements CborSerializable {}

  /**
   * A member's summary and links were recorded and the campaign evaluated: one event per member, as
   * journals written before {@link MembersRecorded} hold them (still read; no longer written).
   *
   * @param joined true when the account was not a member before
   * @param holds the campaign rules' holds after the evaluation (applied as recorded)
   */
  public record MemberRecorded(
      MemberSummary summary, List<CampaignLink> links, boolean joined, Map<String, long[]> holds)
      implements Event {}

  /**
   * The campaign rules moved the campaign from {@code from} to {@code to}.
   *
   * @param members every member at the moment of the decision
   * @param links the links between members at that moment (what the review request shows)
   * @param escalation true when the level rose (a review is asked for)
   */
  public record LevelDecided(
      Level from,
      Level to,
      long atMillis,
      List<Reason> reasons,
      SignalSnapshot signals,
      List<String> members,
      List<CampaignLink> links,
      String policyVersion,
      boolean escalation)
      implements Event {}

  /** A reviewer decided, with the member count at that moment. */
  public record Reviewed(Level verdict, String reviewer, String note, long atMillis, int members)
      implements Event {}

  /**
   * An account joined the campaign after a reviewer CONFIRMED it (ban evasion: a fresh account that
   * carries on the campaign's traffic), or, having joined so, now links to it strongly. {@code
   * strong}: its links to the members include a content link together with an infrastructure or
   * registration link ({@link CampaignGrouper#isStrong}); such an account is throttled with the
   * campaign at once, another one is flagged for review.
   */
  public record JoinedAfterConfirmation(String accountId, boolean strong, long atMillis)
      implements Event {}

  /**
   * A member was erased: the whole campaign as it is without that account ({@link
   * MemberErasure#without}), its {@link ErasureMarks} advanced to this fact's sequence number (so
   * the words the campaign decided before it about the account stay void across restarts: {@link
   * VoidWords}). A state fact that names no erased account, so it can stay in the journal while
   * every event before it is deleted; recovery starts from it.
   */
  public record MemberErased(CampaignEntityState campaign, long atMillis) implements Event {}

  /**
   * What the API shows of a campaign.
   *
   * @param signals the signals its last decision was made on (a recorded fact), or null when it was
   *     never decided
   * @param mergedInto the campaign this one merged into, or null while it is live
   * @param currentSignals its signals over the members and links it holds now, computed when asked
   *     (a campaign never decided has these only)
   */
  public record CampaignStatus(
      String campaignId,
      Level level,
      long levelSinceMillis,
      List<String> members,
      List<Reason> reasons,
      SignalSnapshot signals,
      List<CampaignLink> links,
      String mergedInto,
      SignalSnapshot currentSignals)
      implements CborSerializable {}

  // ---- behavior -------------------------------------------------------------------------------

  /** Journal events between snapshots by default. */
  public static final int DEFAULT_SNAPSHOT_EVERY = 200;

  private final String campaignId;
  private final Supplier<Policy> policy;
  private final int categoryCount;
  private final int snapshotEvery;
  private final Clock clock;
  private final ActorContext<Command> context;
  private final MergeCommands merges;
  private final RecordCommands records;
  private final OperatorCommands operators;

  CampaignEntity(
      String campaignId,
      Supplier<Policy> policy,
      int categoryCount,
      int snapshotEvery,
      Clock clock,
      MergeTransport transport,
      MergeWakeUp wakeUp,
      ActorContext<Command> context) {
    super(
        PersistenceId.ofUniqueId(
            ENTITY_TYPE_KEY.name() + PersistenceId.DefaultSeparator() + campaignId));
    this.campaignId = campaignId;
    this.policy = policy;
    this.categoryCount = categoryCount;
    this.snapshotEvery = snapshotEvery;
    this.clock = clock;
    this.context = context;
    this.merges =
        new MergeCommands(
            campaignId,
            policy,
            categoryCount,
            clock,
            new PendingMerges<>(
                campaignId,
                transport,
                context,
                HandoverArrived::new,
                HandoverFailed::new,
                (delay, absorbedId) -> {
                  if (wakeUp == null) {
                    context.scheduleOnce(delay, context.getSelf(), new RetryMerge(absorbedId));
                  } else {
                    wakeUp.after(delay, campaignId, new RetryMerge(absorbedId));
                  }
                }),
            Effect());
    this.records = new RecordCommands(campaignId, policy, categoryCount, Effect());
    this.operators =
        new OperatorCommands(
            campaignId, clock, () -> lastSequenceNumber(context), this::status, Effect());
  }

  @Override
  public CampaignEntityState emptyState() {
    return CampaignEntityState.empty();
  }

  /**
   * A snapshot every {@code snapshotEvery} events, the latest two kept: a recovery reads one
   * snapshot and at most that many events. The events behind the snapshots are deleted by the
   * retention sweep once the campaign effects projection has passed them (never here: the
   * projection must see every tagged event).
   */
  @Override
  public org.apache.pekko.persistence.typed.javadsl.RetentionCriteria retentionCriteria() {
    return org.apache.pekko.persistence.typed.javadsl.RetentionCriteria.snapshotEvery(
        snapshotEvery, 2);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    if (event instanceof MergeStarted) {
      return Set.of(); // an intent: its effects are those of the Absorbed that completes it
    }
    boolean effects =
        event instanceof MembersRecorded r
            ? !r.joined().isEmpty()
            : !(event instanceof MemberRecorded m) || m.joined();
    return effects ? Set.of(EFFECTS_TAG) : Set.of();
  }

  /** A recovered campaign carries on the merges it had started. */
  @Override
  public org.apache.pekko.persistence.typed.javadsl.SignalHandler<CampaignEntityState>
      signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(org.apache.pekko.persistence.typed.RecoveryCompleted.instance(), merges::resume)
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, CampaignEntityState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(
            RecordMember.class,
            (state, cmd) ->
                records.onRecord(
                    state, List.of(new Member(cmd.summary(), cmd.links())), cmd.replyTo()))
        .onCommand(
            RecordMembers.class,
            (state, cmd) -> records.onRecord(state, cmd.members(), cmd.replyTo()))
        .onCommand(GetCampaign.class, (state, cmd) -> Effect().reply(cmd.replyTo(), status(state)))
        .onCommand(ReviewCampaign.class, operators::onReview)
        .onCommand(EraseMember.class, operators::onErase)
        .onCommand(MergeInto.class, merges::onMergeInto)
        .onCommand(AbsorbCampaign.class, merges::onAbsorb)
        .onCommand(MergeFrom.class, merges::onMergeFrom)
        .onCommand(HandoverArrived.class, merges::onHandoverArrived)
        .onCommand(HandoverFailed.class, merges::onHandoverFailed)
        .onCommand(RetryMerge.class, merges::onRetry)
        .onCommand(
            VoidWords.class,
            (state, cmd) ->
                Effect()
                    .reply(
                        cmd.replyTo(),
                        new VoidedWords(
                            cmd.words().stream()
                                .filter(w -> state.voids(w.accountId(), w.seq()))
                                .toList())))
        .build();
  }

  @Override
  public EventHandler<CampaignEntityState, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Event.class, CampaignEvents::apply)
        .build();
  }

  /** What the API shows of {@code state}, with its signals over the members it holds now. */
  CampaignStatus status(CampaignEntityState state) {
    return state.toStatus(
        campaignId,
        CampaignState.signals(
            state.members().values(),
            state.links(),
            categoryCount,
            policy.get().campaigns().links().minLinkWeight()));
  }
}
