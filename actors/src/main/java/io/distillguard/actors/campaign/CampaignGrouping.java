package io.distillguard.actors.campaign;

import io.distillguard.actors.CborSerializable;
import io.distillguard.actors.account.OwnLevel;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The one grouping of accounts into campaigns for the whole cluster: a Pekko Cluster Singleton (on
 * the oldest node; every node's {@link CampaignRouter} reaches it through a proxy) that owns a
 * {@link BoundedGrouping}. So members of one swarm whose observations reach different nodes still
 * form one campaign. It is told a node's observations a chunk at a time ({@link Observe}: one
 * message per intake chunk, whatever its accounts) and answers with what the campaign entities must
 * record; the nodes send those records themselves, so the singleton only groups.
 *
 * <p>Its link tables are rebuilt, not recovered: after a failover (or a restart) the new singleton
 * re-learns the links from the traffic that follows, within the link TTL. Campaign identity is
 * recovered: before it answers anything, the singleton loads which campaign each account belongs to
 * ({@link MembershipSource}: the persisted campaign rows), so a swarm that re-forms continues its
 * campaign under the same id ({@link CampaignIdentity}), and a group that joins two campaigns
 * merges them ({@link Merge}). Observations that arrive while it loads wait in a bounded stash.
 */
public final class CampaignGrouping {

  /** The singleton's name in the cluster. */
  public static final String NAME = "campaign-grouping";

  /**
   * At most this many own levels wait for accounts the grouping does not hold yet (recovered at
   * start, or committed before the account's first observation reached the grouping).
   */
  public static final int MAX_PENDING_OWN_LEVELS = 100_000;

  private CampaignGrouping() {}

  /** What the grouping is asked. */
  public sealed interface Command extends CborSerializable
      permits Observe, OwnLevels, CampaignOf, GetStats, Forget, Loaded, Reload {}

  /**
   * The own levels accounts' journals stated (the account effects projection sends them after each
   * commit; see {@link OwnLevel}): each held account's summary carries its latest, so its campaign
   * counts the members escalated on their own. No reply.
   */
  public record OwnLevels(List<OwnLevel> levels) implements Command {
    public OwnLevels {
      levels = List.copyOf(levels);
    }
  }

  /**
   * Forget an account (its erasure): its links, memberships and summary leave the grouping, so no
   * later observation of another member records it again. Replies once done.
   */
  public record Forget(String accountId, ActorRef<Done> replyTo) implements Command {}

  /**
   * Group the accounts of {@code observations}, in list order (each account's observations in the
   * order they were recorded); replies with what campaign entities must record for all of them.
   */
  public record Observe(List<AccountObservation> observations, ActorRef<Routed> replyTo)
      implements Command {
    public Observe {
      observations = List.copyOf(observations);
    }
  }

  /**
   * The records a chunk of observations calls for, per campaign member only the latest (its summary
   * and links after the chunk's last observation that concerned it), in the order members first
   * needed one; empty when no account of the chunk is in a linked group.
   *
   * @param failedAccounts accounts whose grouping failed on one of their observations: that
   *     observation and their later ones in the chunk were not grouped (the others were)
   * @param merges campaigns that merge into another, to carry out before the sends
   */
  public record Routed(List<Send> sends, List<String> failedAccounts, List<Merge> merges)
      implements CborSerializable {
    public Routed {
      sends = List.copyOf(sends);
      failedAccounts = List.copyOf(failedAccounts);
      merges = merges == null ? List.of() : List.copyOf(merges);
    }

    /** Without merges. */
    public Routed(List<Send> sends, List<String> failedAccounts) {
      this(sends, failedAccounts, List.of());
    }
  }

  /**
   * Campaign {@code absorbedId} merges into {@code survivorId}: its entity records that it merged
   * and hands over its members, the survivor takes them (and its open case).
   */
  public record Merge(String absorbedId, String survivorId) implements CborSerializable {}

  /**
   * Where the singleton recovers campaign membership, and the escalated accounts' own levels, from
   * at start.
   */
  @FunctionalInterface
  public interface MembershipSource {

    /** Account to campaign, for every member of a campaign not merged into another. */
    CompletionStage<Map<String, String>> load();

    /**
     * The own levels of escalated accounts as the accounts' effects left them (see {@link
     * OwnLevels}): those handed to a grouping that stopped are not handed again. At most {@link
     * #MAX_PENDING_OWN_LEVELS}; none by default.
     */
    default CompletionStage<Map<String, Level>> ownLevels() {
      return CompletableFuture.completedFuture(Map.of());
    }

    /** None: ids are not recovered (a grouping without a database). */
    static MembershipSource none() {
      return () -> CompletableFuture.completedFuture(Map.of());
    }
  }

  /**
   * The memberships and own levels loaded (or why not): the singleton's first message to itself.
   */
  private record Loaded(
      Map<String, String> memberships, Map<String, Level> ownLevels, Throwable error)
      implements Command {}

  /** Load them again (after a failed load). */
  private record Reload() implements Command {}

  /**
   * One member summary and its links for the entity of {@code campaignId}.
   *
   * @param observations how many of the chunk's observations were the member's own (0 for a member
   *     the entity is only told about): what the entity counts toward its rules' holds
   */
  public record Send(
      String campaignId, MemberSummary summary, List<CampaignLink> links, int observations)
      implements CborSerializable {}

  /** Which linked campaign an account is grouped into now. */
  public record CampaignOf(String accountId, ActorRef<Membership> replyTo) implements Command {}

  /** {@code campaignId} null when the account is in no linked group. */
  public record Membership(String accountId, String campaignId) implements CborSerializable {}

  /** How much the grouping holds. */
  public record GetStats(ActorRef<Stats> replyTo) implements Command {}

  /**
   * @param accounts accounts within the bounds (seen within the TTL, at most the maximum)
   * @param detectorAccounts accounts the detector holds activity for
   * @param linkKeys link keys tracked (seen within the TTL)
   * @param linkKeyBytes rough heap bytes of the link-key tables
   * @param recorded accounts whose campaign entity was told about them
   * @param campaigns campaigns whose entities were sent members
   * @param forgotten accounts forgotten so far (TTL or maximum)
   * @param memberships accounts whose campaign is known (recovered or recorded since)
   */
  public record Stats(
      int accounts,
      int detectorAccounts,
      int linkKeys,
      long linkKeyBytes,
      int recorded,
      int campaigns,
      long forgotten,
      int memberships)
      implements CborSerializable {}

  /** Observations (and questions) held while the memberships load. */
  static final int STASH = 100_000;

  private static final java.time.Duration RELOAD_AFTER = java.time.Duration.ofSeconds(2);

  /** The grouping's behavior without recovered identity (restarted empty after a failure). */
  public static Behavior<Command> create(
      Supplier<Policy> policy, List<String> categories, GroupingBounds bounds) {
    return create(policy, categories, bounds, MembershipSource.none());
  }

  /**
   * The grouping's behavior: loads the memberships from {@code memberships} (retried until it
   * succeeds), then groups. Restarted, and so reloaded, after a failure.
   */
  public static Behavior<Command> create(
      Supplier<Policy> policy,
      List<String> categories,
      GroupingBounds bounds,
      MembershipSource memberships) {
    return Behaviors.supervise(
            Behaviors.<Command>withStash(
                STASH,
                stash ->
                    Behaviors.setup(
                        ctx -> {
                          load(ctx, memberships);
                          return Behaviors.receive(Command.class)
                              .onMessage(
                                  Loaded.class,
                                  m -> {
                                    if (m.error() != null) {
                                      ctx.getLog()
                                          .warn(
                                              "campaign memberships not loaded, retrying: {}",
                                              m.error().toString());
                                      ctx.scheduleOnce(RELOAD_AFTER, ctx.getSelf(), new Reload());
                                      return Behaviors.same();
                                    }
                                    ctx.getLog()
                                        .info(
                                            "campaign grouping recovered {} memberships and {}"
                                                + " escalated accounts' own levels",
                                            m.memberships().size(),
                                            m.ownLevels().size());
                                    return stash.unstashAll(
                                        grouping(
                                            new BoundedGrouping(
                                                policy,
                                                categories,
                                                bounds,
                                                m.memberships(),
                                                m.ownLevels())));
                                  })
                              .onMessage(
                                  Reload.class,
                                  m -> {
                                    load(ctx, memberships);
                                    return Behaviors.same();
                                  })
                              .onAnyMessage(
                                  m -> {
                                    if (stash.isFull()) {
                                      ctx.getLog().warn("campaign grouping stash full, dropping");
                                    } else {
                                      stash.stash(m);
                                    }
                                    return Behaviors.same();
                                  })
                              .build();
                        })))
        .onFailure(SupervisorStrategy.restart());
  }

  private static void load(
      org.apache.pekko.actor.typed.javadsl.ActorContext<Command> ctx, MembershipSource source) {
    CompletionStage<Loaded> loading;
    try {
      loading = source.load().thenCombine(source.ownLevels(), (m, l) -> new Loaded(m, l, null));
    } catch (RuntimeException e) {
      loading = CompletableFuture.failedFuture(e);
    }
    ctx.pipeToSelf(
        loading, (loaded, error) -> error == null ? loaded : new Loaded(null, null, error));
  }

  private static Behavior<Command> grouping(BoundedGrouping grouping) {
    return Behaviors.receive(Command.class)
        .onMessage(
            Observe.class,
            m -> {
              m.replyTo().tell(grouping.observeAll(m.observations()));
              return Behaviors.same();
            })
        .onMessage(
            OwnLevels.class,
            m -> {
              grouping.ownLevels(m.levels());
              return Behaviors.same();
            })
        .onMessage(
            CampaignOf.class,
            m -> {
              m.replyTo()
                  .tell(
                      new Membership(
                          m.accountId(), grouping.campaignOf(m.accountId()).orElse(null)));
              return Behaviors.same();
            })
        .onMessage(
            Forget.class,
            m -> {
              grouping.forgetAccount(m.accountId());
              m.replyTo().tell(Done.getInstance());
              return Behaviors.same();
            })
        .onMessage(
            GetStats.class,
            m -> {
              m.replyTo().tell(grouping.stats());
              return Behaviors.same();
            })
        .onMessage(Loaded.class, m -> Behaviors.same())
        .onMessage(Reload.class, m -> Behaviors.same())
        .build();
  }

  /**
   * Starts the singleton on {@code system}'s cluster (on the oldest node) and returns this node's
   * proxy to it.
   */
  public static ActorRef<Command> initSingleton(
      ActorSystem<?> system,
      Supplier<Policy> policy,
      List<String> categories,
      GroupingBounds bounds,
      MembershipSource memberships) {
    return ClusterSingleton.get(system)
        .init(SingletonActor.of(create(policy, categories, bounds, memberships), NAME));
  }
}
