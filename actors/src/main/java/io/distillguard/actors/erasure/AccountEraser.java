package io.distillguard.actors.erasure;

import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.actors.campaign.CampaignRouter;
import io.distillguard.store.VectorStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erases one account on a running node, in the order that keeps a crash from resurrecting it: the
 * account entity's marker, the campaigns restated without it, then the stored rows and the files.
 */
public final class AccountEraser {

  private static final Logger LOG = LoggerFactory.getLogger(AccountEraser.class);

  private final ClusterSharding sharding;
  private final StateDatabase db;
  private final CampaignRouter campaigns;
  private final Executor jdbc;
  private final VectorStore evidenceStore;
  private final Path deadLetters;
  private final Duration timeout;

  /**
   * @param evidenceStore the vector store to drop the account's records from; null when this node
   *     has none
   * @param deadLetters the data dir's dead-letter file
   */
  public AccountEraser(
      ClusterSharding sharding,
      StateDatabase db,
      CampaignRouter campaigns,
      Executor jdbc,
      VectorStore evidenceStore,
      Path deadLetters,
      Duration timeout) {
    this.sharding = sharding;
    this.db = db;
    this.campaigns = campaigns;
    this.jdbc = jdbc;
    this.evidenceStore = evidenceStore;
    this.deadLetters = deadLetters;
    this.timeout = timeout;
  }

  /**
   * Erases the account: its entity persists an erasure marker (its state starts again from empty),
   * every campaign that holds it persists the campaign restated without it ({@link
   * CampaignErasure}); then the journal rows before those facts, the snapshots, the outbox,
   * throttle and index rows go and the campaign rows and payloads are rewritten in one transaction,
   * audit entries become tombstones, and the vector store (when this node has the evidence store)
   * and the data dir's dead-letter file drop the account's records.
   */
  public CompletionStage<ErasureReport> erase(String accountId, String actor) {
    Function<String, CompletionStage<Long>> eraseMember =
        id ->
            sharding
                .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, id)
                .askWithStatus(r -> new CampaignEntity.EraseMember(accountId, r), timeout);
    return sharding
        .entityRefFor(AccountEntity.ENTITY_TYPE_KEY, accountId)
        .askWithStatus(AccountEntity.EraseAccount::new, timeout)
        .thenCompose(
            markerSeq ->
                campaignsHolding(accountId)
                    .thenCompose(ids -> CampaignErasure.eraseIn(ids, eraseMember))
                    .thenCompose(
                        facts ->
                            CompletableFuture.supplyAsync(
                                    () ->
                                        AccountErasure.eraseFiles(
                                            AccountErasure.eraseStored(
                                                db,
                                                accountId,
                                                markerSeq,
                                                facts,
                                                actor,
                                                Clock.systemUTC()),
                                            accountId,
                                            evidenceStore,
                                            deadLetters),
                                    jdbc)
                                .thenCompose(
                                    report ->
                                        completeCampaigns(accountId, facts)
                                            .thenApply(done -> report))));
  }

  /**
   * Tells the account's entity which campaigns were restated without it, by which fact: from its
   * marker until then it refuses campaign words, afterwards it ignores those campaigns' older words
   * ({@link AccountEntity.CampaignsErased}), so a flag on its way during the erasure never reaches
   * the account's new history. The data is erased either way: a failure here is logged, and the
   * entity takes campaign words again once it restarts.
   */
  private CompletionStage<Void> completeCampaigns(String accountId, Map<String, Long> facts) {
    Map<String, Long> restated = new TreeMap<>();
    facts.forEach(
        (campaign, seq) -> {
          if (seq > 0) {
            restated.put(campaign, seq);
          }
        });
    return sharding
        .entityRefFor(AccountEntity.ENTITY_TYPE_KEY, accountId)
        .<Done>askWithStatus(r -> new AccountEntity.CampaignsErased(restated, r), timeout)
        .handle(
            (done, error) -> {
              if (error != null) {
                LOG.warn("erasure: the account's entity did not take the campaigns' facts", error);
              }
              return null;
            });
  }

  /**
   * The campaigns whose data may hold the account: the database's and the grouping's (which then
   * forgets the account).
   */
  private CompletionStage<Set<String>> campaignsHolding(String accountId) {
    return CompletableFuture.supplyAsync(
        () -> {
          Set<String> ids = new TreeSet<>();
          campaigns.campaignOf(accountId).ifPresent(ids::add);
          // The grouping forgets the account before its campaigns are restated without it, so no
          // other member's next observation records it again.
          campaigns.forget(accountId);
          ids.addAll(db.transact(c -> CampaignErasure.campaignsOf(c, accountId)));
          return ids;
        },
        jdbc);
  }
}
