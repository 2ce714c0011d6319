package io.distillguard.actors.campaign;

import io.distillguard.campaign.CampaignDetector;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the campaign entities from this node's observations: each observation's hashed link keys go
 * to the plain-Java grouping ({@link CampaignDetector}: link-key tables and union-find groups), and
 * when its account belongs to a linked group the account's compact summary and its links are
 * recorded by that group's {@link CampaignEntity}, which decides. Members the entity has not been
 * told about yet (the other account of a founding pair, the accounts of a group merged in) are sent
 * along with the first observation that finds them.
 *
 * <p>Grouping is per node: the link-key tables live in this node's memory, so in a cluster only
 * accounts whose observations reach the same node are linked, and a restart starts the tables
 * afresh (the campaign entities keep what they journaled). The detector's own decisions are not
 * used; the entity's journaled decisions are the only ones. Declared organisations (the detector's
 * {@code org-...} principals) are not routed yet.
 *
 * <p>Thread-safe: the grouping is guarded by this object's lock; the entity asks run outside it.
 */
public final class CampaignRouter {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignRouter.class);

  private final CampaignDetector detector;
  private final ClusterSharding sharding;
  private final Duration askTimeout;

  /** Per account, the campaign whose entity last recorded it. Guarded by this. */
  private final Map<String, String> recordedIn = new HashMap<>();

  /** Per campaign, how many members its entity has been sent. Guarded by this. */
  private final Map<String, Integer> sentMembers = new HashMap<>();

  public CampaignRouter(
      Supplier<Policy> policy,
      List<String> categories,
      ClusterSharding sharding,
      Duration askTimeout) {
    this.detector = new CampaignDetector(policy, categories);
    this.sharding = sharding;
    this.askTimeout = askTimeout;
  }

  private record Send(String campaignId, MemberSummary summary, List<CampaignLink> links) {}

  /**
   * Groups {@code o}'s account by the link keys it carries and, when the account is in a linked
   * campaign, records it (and members its entity lacks) there; completes once the entity
   * acknowledged every record.
   */
  public CompletionStage<Done> route(AccountObservation o) {
    List<Send> sends = new ArrayList<>();
    synchronized (this) {
      detector.observe(o);
      Optional<String> campaign = detector.campaignOf(o.accountId());
      if (campaign.isEmpty()) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      String id = campaign.get();
      List<String> members = detector.linkedMembers(id);
      if (sentMembers.getOrDefault(id, 0) != members.size()) {
        for (String m : members) {
          if (!m.equals(o.accountId()) && !id.equals(recordedIn.get(m))) {
            add(sends, id, m);
          }
        }
        sentMembers.put(id, members.size());
      }
      add(sends, id, o.accountId());
    }
    CompletableFuture<?>[] asks = new CompletableFuture<?>[sends.size()];
    for (int i = 0; i < asks.length; i++) {
      Send s = sends.get(i);
      asks[i] =
          sharding
              .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, s.campaignId())
              .<Done>askWithStatus(
                  replyTo -> new CampaignEntity.RecordMember(s.summary(), s.links(), replyTo),
                  askTimeout)
              .toCompletableFuture();
    }
    // A member is recorded again with its next observation, so a failed record is logged, not
    // allowed to stop the account intake.
    return CompletableFuture.allOf(asks)
        .handle(
            (v, error) -> {
              if (error != null) {
                LOG.warn(
                    "recording {} with its campaign failed: {}", o.accountId(), error.toString());
              }
              return Done.getInstance();
            });
  }

  private void add(List<Send> sends, String campaignId, String accountId) {
    Optional<MemberSummary> summary = detector.memberSummary(accountId);
    if (summary.isEmpty()) {
      return;
    }
    recordedIn.put(accountId, campaignId);
    sends.add(new Send(campaignId, summary.get(), detector.linksOf(campaignId, accountId)));
  }

  /** The linked campaign this node grouped an account into, if any. */
  public synchronized Optional<String> campaignOf(String accountId) {
    return detector.campaignOf(accountId);
  }
}
