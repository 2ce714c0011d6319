package io.distillguard.actors.erasure;

import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.LocalJournalSystem;
import io.distillguard.actors.campaign.CampaignBehaviors;
import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.policy.Policy;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The campaign side of an erasure with the service stopped: each campaign that holds the account is
 * recovered from the journal in a local actor system ({@link LocalJournalSystem}) and persists its
 * {@link CampaignEntity.MemberErased} fact exactly as the running service's entity would. The
 * projection of the next service start restates the campaign's row and payloads from that fact.
 */
public final class OfflineCampaignErasure {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private OfflineCampaignErasure() {}

  /**
   * Erases {@code accountId} from {@code campaigns}; returns each campaign's fact sequence number
   * (0 where it held nothing of the account). Blocking.
   */
  public static Map<String, Long> erase(
      ActorSettings settings, Set<String> campaigns, String accountId) {
    if (campaigns.isEmpty()) {
      return Map.of();
    }
    ActorSystem<Void> system = LocalJournalSystem.start(settings);
    AtomicInteger n = new AtomicInteger();
    try {
      return CampaignErasure.eraseIn(
              campaigns,
              id -> {
                // Recovery and erasure only: the policy and the category count are never read.
                ActorRef<CampaignEntity.Command> entity =
                    system.systemActorOf(
                        CampaignBehaviors.create(id, Policy::loadDefault, 2, Clock.systemUTC()),
                        "campaign-erasure-" + n.incrementAndGet(),
                        Props.empty());
                return AskPattern.askWithStatus(
                    entity,
                    replyTo -> new CampaignEntity.EraseMember(accountId, replyTo),
                    TIMEOUT,
                    system.scheduler());
              })
          .toCompletableFuture()
          .get(TIMEOUT.toMillis() * (campaigns.size() + 1), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while erasing from campaigns", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("erasing from campaigns failed: " + e.getMessage(), e);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }
}
