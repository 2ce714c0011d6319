package io.distillguard.actors.campaign;

import io.distillguard.actors.Replies;
import io.distillguard.actors.account.OwnLevel;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the campaign entities from this node's observations: each intake chunk of recorded
 * observations goes to the cluster's one {@link CampaignGrouping} as one message (a cluster
 * singleton, so accounts are grouped the same whichever node their observations reach), and the
 * records it answers with (the account's compact summary and links, plus members the entity lacks)
 * are sent from here to the campaign's {@link CampaignEntity}, which decides. The grouping's own
 * decisions are not used; the entity's journaled decisions are the only ones. A member of a
 * declared organisation is also recorded in its organisation's principal ({@code org-...}), a
 * campaign entity of its own.
 *
 * <p>Thread-safe.
 */
public final class CampaignRouter {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignRouter.class);

  private final ActorSystem<?> system;
  private final ActorRef<CampaignGrouping.Command> grouping;
  private final ClusterSharding sharding;
  // Where stages chained to the grouping's and the campaigns' replies run (see Replies).
  private final Executor replies;
  private final Duration askTimeout;

  /**
   * Starts (or joins) the cluster's grouping singleton on {@code system}.
   *
   * @param bounds what bounds the grouping's memory (see {@link BoundedGrouping})
   */
  public CampaignRouter(
      ActorSystem<?> system,
      Supplier<Policy> policy,
      List<String> categories,
      GroupingBounds bounds,
      Duration askTimeout) {
    this(system, policy, categories, bounds, CampaignGrouping.MembershipSource.none(), askTimeout);
  }

  /**
   * As above, with the grouping recovering campaign membership from {@code memberships} whenever it
   * starts (so campaign ids survive a failover).
   */
  public CampaignRouter(
      ActorSystem<?> system,
      Supplier<Policy> policy,
      List<String> categories,
      GroupingBounds bounds,
      CampaignGrouping.MembershipSource memberships,
      Duration askTimeout) {
    this.system = system;
    this.grouping = CampaignGrouping.initSingleton(system, policy, categories, bounds, memberships);
    this.sharding = ClusterSharding.get(system);
    this.replies = system.executionContext();
    this.askTimeout = askTimeout;
  }

  /**
   * Hands the own levels accounts' journals stated to the cluster's grouping (no reply; a grouping
   * that starts reads the escalated ones from the account index, see {@link
   * CampaignGrouping.MembershipSource#ownLevels}).
   */
  public void ownLevels(List<OwnLevel> levels) {
    if (!levels.isEmpty()) {
      grouping.tell(new CampaignGrouping.OwnLevels(levels));
    }
  }

  /** {@link #route(List)} for one observation. */
  public CompletionStage<Done> route(AccountObservation o) {
    return route(List.of(o));
  }

  /**
   * Groups the accounts of {@code observations} (recorded, in the order their entities recorded
   * them) with one message to the cluster's grouping, then records the members that are in a linked
   * campaign (and members their entities lack) there, one command per campaign with each member's
   * latest summary (the campaign evaluates once per chunk); completes once every entity
   * acknowledged or failed. A member is recorded again with its next observation, so a failure is
   * logged per account or member, never allowed to stop the account intake or the other members'
   * records.
   */
  public CompletionStage<Done> route(List<AccountObservation> observations) {
    if (observations.isEmpty()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return Replies.on(
            replies,
            AskPattern.<CampaignGrouping.Command, CampaignGrouping.Routed>ask(
                grouping,
                replyTo -> new CampaignGrouping.Observe(observations, replyTo),
                askTimeout,
                system.scheduler()))
        .thenCompose(
            routed ->
                merge(routed.merges())
                    .handle(
                        (done, error) -> {
                          // The members' records still go; a merge not completed yet is carried
                          // on by its survivor, which journaled it.
                          if (error != null) {
                            LOG.warn("merging campaigns not completed yet: {}", error.toString());
                          }
                          return routed;
                        }))
        .thenCompose(
            routed -> {
              for (String account : routed.failedAccounts()) {
                LOG.warn("grouping account {} into its campaign failed", account);
              }
              // One command per campaign with all of its members of the chunk: the campaign is
              // evaluated once per chunk, not once per member.
              Map<String, List<CampaignEntity.Member>> byCampaign = new LinkedHashMap<>();
              for (CampaignGrouping.Send s : routed.sends()) {
                byCampaign
                    .computeIfAbsent(s.campaignId(), c -> new ArrayList<>())
                    .add(new CampaignEntity.Member(s.summary(), s.links(), s.observations()));
              }
              CompletableFuture<?>[] asks = new CompletableFuture<?>[byCampaign.size()];
              int i = 0;
              for (Map.Entry<String, List<CampaignEntity.Member>> e : byCampaign.entrySet()) {
                String campaign = e.getKey();
                List<CampaignEntity.Member> members = e.getValue();
                asks[i++] =
                    Replies.on(
                            replies,
                            sharding
                                .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, campaign)
                                .<Done>askWithStatus(
                                    replyTo -> new CampaignEntity.RecordMembers(members, replyTo),
                                    askTimeout))
                        .handle(
                            (d, error) -> {
                              if (error != null) {
                                LOG.warn(
                                    "recording {} members (first {}) with campaign {} failed: {}",
                                    members.size(),
                                    members.get(0).summary().accountId(),
                                    campaign,
                                    error.toString());
                              }
                              return Done.getInstance();
                            })
                        .toCompletableFuture();
              }
              return CompletableFuture.allOf(asks);
            })
        .handle(
            (v, error) -> {
              if (error != null) {
                LOG.warn(
                    "grouping {} observations (first of account {}) failed: {}",
                    observations.size(),
                    observations.get(0).accountId(),
                    error.toString());
              }
              return Done.getInstance();
            });
  }

  /**
   * Hands the grouping's merges to their survivors, one after the other: each survivor journals the
   * merge as its own intent, then has the absorbed campaign record that it merged and takes over
   * its members. A survivor carries a merge it could not complete on by itself (retried, and
   * resumed after a restart), so a failure here only means the merge completes later.
   */
  private CompletionStage<Done> merge(List<CampaignGrouping.Merge> merges) {
    CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
    for (CampaignGrouping.Merge m : merges) {
      chain =
          chain
              .thenCompose(
                  v ->
                      Replies.on(
                          replies,
                          sharding
                              .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, m.survivorId())
                              .<Done>askWithStatus(
                                  replyTo -> new CampaignEntity.MergeFrom(m.absorbedId(), replyTo),
                                  askTimeout)))
              .thenApply(
                  done -> {
                    LOG.info("campaign {} merged into {}", m.absorbedId(), m.survivorId());
                    return done;
                  });
    }
    return chain;
  }

  /** The linked campaign the cluster's grouping holds an account in, if any (blocks). */
  public Optional<String> campaignOf(String accountId) {
    return Optional.ofNullable(
        AskPattern.<CampaignGrouping.Command, CampaignGrouping.Membership>ask(
                grouping,
                replyTo -> new CampaignGrouping.CampaignOf(accountId, replyTo),
                askTimeout,
                system.scheduler())
            .toCompletableFuture()
            .join()
            .campaignId());
  }

  /** Makes the cluster's grouping forget an account (its erasure; blocks). */
  public void forget(String accountId) {
    AskPattern.<CampaignGrouping.Command, Done>ask(
            grouping,
            replyTo -> new CampaignGrouping.Forget(accountId, replyTo),
            askTimeout,
            system.scheduler())
        .toCompletableFuture()
        .join();
  }

  /** What the cluster's grouping holds (blocks). */
  public CampaignGrouping.Stats stats() {
    return AskPattern.<CampaignGrouping.Command, CampaignGrouping.Stats>ask(
            grouping, CampaignGrouping.GetStats::new, askTimeout, system.scheduler())
        .toCompletableFuture()
        .join();
  }
}
