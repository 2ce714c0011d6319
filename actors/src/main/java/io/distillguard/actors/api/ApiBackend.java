package io.distillguard.actors.api;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.account.AccountIndex;
import io.distillguard.actors.audit.AuditEntry;
import io.distillguard.actors.erasure.ErasureReport;
import io.distillguard.actors.escalation.Delivery;
import io.distillguard.actors.escalation.Outbox;
import io.distillguard.actors.taxonomy.TaxonomyGuard;
import io.distillguard.actors.throttle.ThrottleDirective;
import io.distillguard.policy.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What the {@link HttpApi} needs from the actor side, and nothing more: the accounts' status and
 * reviews (asked of the entities), and the reads of the shared database (index, throttles,
 * deliveries), which every node answers the same. The database reads block: the API calls them on
 * its blocking executor.
 */
public interface ApiBackend {

  /** The current status of one account (an account never observed has 0 queries). */
  CompletionStage<AccountStatus> status(String accountId);

  /** Applies a reviewer's verdict; fails for a verdict other than CLEARED / CONFIRMED. */
  CompletionStage<AccountStatus> review(
      String accountId, Level verdict, String reviewer, String note);

  /** Indexed accounts at {@code level} (all when null), by id, at most {@code limit}. */
  List<AccountIndex.Entry> indexedAccounts(Level level, int limit);

  /**
   * Open cases at {@code level} from the index; without {@code campaignMembers}, accounts only
   * their campaign's flag made a case are left out (they are listed under their campaign).
   */
  List<AccountIndex.Entry> indexedCases(Level level, boolean campaignMembers, int limit);

  /** The live campaigns at REVIEW (open campaign cases), at most {@code limit}. */
  List<io.distillguard.actors.escalation.CampaignWebhooks.Row> openCampaigns(int limit);

  /** Throttle directives in force at {@code nowMillis}. */
  List<ThrottleDirective> activeThrottles(long nowMillis);

  /** Deliveries in a status (all when null), newest first, at most {@code limit}. */
  List<Delivery> deliveries(Delivery.Status status, int limit);

  /** How many deliveries are in each status. */
  Map<Delivery.Status, Long> deliveryCounts();

  /**
   * Puts the EXHAUSTED deliveries among {@code webhookIds} back in the outbox for a fresh round of
   * retries (see {@link Outbox#redeliver}), each audited under {@code actor}, and wakes this node's
   * dispatcher.
   */
  Outbox.Redelivery redeliver(List<String> webhookIds, String actor);

  /** The version of the detection policy in force on this node. */
  String policyVersion();

  /**
   * Why the policy file on disk is not the policy in force (refused, or unreadable), or null when
   * it is (or no file is watched).
   */
  String policyError();

  /**
   * How far each effects projection is behind the journal, by projection name, with how often it
   * failed on this node: {@code behind_events}, {@code behind_seconds}, {@code failures}.
   */
  Map<String, Map<String, Number>> effects();

  /** The capability taxonomy this node decides with, and what it did with mismatched ones. */
  TaxonomyGuard taxonomy();

  /** Liveness: false once the node can never serve again (restart the process). */
  boolean live();

  /** Readiness, check by check; ready when every value is true. */
  Map<String, Boolean> readiness();

  /** Appends to the audit log; returns once it is durable (blocking). */
  void audit(String actor, String action, String accountId, String detail);

  /** Audit entries after {@code afterSeq}, oldest first, at most {@code limit} (blocking). */
  List<AuditEntry> auditEntries(long afterSeq, int limit);

  /** Quarantined observations after {@code afterSeq}, oldest first, at most {@code limit}. */
  List<io.distillguard.actors.intake.Quarantine.Entry> quarantined(long afterSeq, int limit);

  /**
   * Records the quarantined observations {@code seqs} again (retries, then the quarantine again if
   * they still fail), each outcome audited under {@code actor}; entries cut short or unreadable
   * stay.
   */
  io.distillguard.actors.intake.QuarantineRetry.Outcome retryQuarantined(
      List<Long> seqs, String actor);

  /**
   * Erases everything stored about an account (see {@code AccountErasure}); {@code actor} is the
   * token name that asked for it.
   */
  CompletionStage<ErasureReport> erase(String accountId, String actor);
}
