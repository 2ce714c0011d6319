package io.distillguard.actors.console;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.account.AccountIndex;
import io.distillguard.actors.api.ApiBackend;
import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.contract.AccountProfile;
import io.distillguard.policy.Level;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.RecordFilter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Gathers what the console's pages show: the open cases with a one-line why, and one account's
 * whole case ({@link AccountCase}). Reads the entities (status), the journal (history) and the
 * vector store (evidence); never writes. The blocking reads run on the given executor.
 */
public final class ConsoleData {

  /** Events of an account's journal tail a queue row reads (its recent category mix). */
  static final long QUEUE_TAIL_EVENTS = 1_000;

  /** Events of an account's journal the account page reads at most. */
  static final long PAGE_MAX_EVENTS = 500_000;

  /** Stored prompts of an account ranked for the evidence list. */
  static final int EVIDENCE_CANDIDATES = 2_000;

  /** Prompts the evidence list shows. */
  static final int EVIDENCE_SHOWN = 12;

  private static final int MAX_CASES = 10_000;

  private final ApiBackend backend;
  private final JournalHistory journal;
  private final EvidenceSource evidence;
  private final Executor blocking;
  private volatile ProfileDirectory profiles;

  public ConsoleData(
      ApiBackend backend,
      JournalHistory journal,
      EvidenceSource evidence,
      ProfileDirectory profiles,
      Executor blocking) {
    this.backend = backend;
    this.journal = journal;
    this.evidence = evidence;
    this.profiles = profiles;
    this.blocking = blocking;
  }

  /** Replaces where stated uses are read from (a local replay knows its profiles file). */
  public void useProfiles(ProfileDirectory profiles) {
    this.profiles = profiles;
  }

  /** One row of the case queue. */
  public record CaseRow(AccountStatus status, AccountHistory recent, AccountProfile profile) {

    /** THROTTLE before REVIEW. */
    public int severity() {
      return status.level() == Level.THROTTLE ? 2 : 1;
    }
  }

  /**
   * The open cases (REVIEW or THROTTLE, not decided by a reviewer), most severe first, then the
   * oldest (longest at its level) first.
   */
  public CompletionStage<List<CaseRow>> cases() {
    return CompletableFuture.supplyAsync(
            () -> {
              List<AccountIndex.Entry> open = new ArrayList<>();
              open.addAll(backend.indexedAccounts(Level.THROTTLE, MAX_CASES));
              open.addAll(backend.indexedAccounts(Level.REVIEW, MAX_CASES));
              return open;
            },
            blocking)
        .thenCompose(
            entries -> {
              List<CompletableFuture<CaseRow>> rows = new ArrayList<>();
              for (AccountIndex.Entry e : entries) {
                rows.add(row(e.accountId()).toCompletableFuture());
              }
              return CompletableFuture.allOf(rows.toArray(CompletableFuture[]::new))
                  .thenApply(
                      v -> {
                        List<CaseRow> out = new ArrayList<>();
                        for (CompletableFuture<CaseRow> f : rows) {
                          CaseRow r = f.join();
                          // The index may lag a review by a moment; the entity decides.
                          if (r != null && r.status().openCase()) {
                            out.add(r);
                          }
                        }
                        out.sort(
                            Comparator.comparingInt(CaseRow::severity)
                                .reversed()
                                .thenComparingLong(r -> r.status().levelSinceMillis())
                                .thenComparing(r -> r.status().accountId()));
                        return out;
                      });
            });
  }

  private CompletionStage<CaseRow> row(String accountId) {
    return backend
        .status(accountId)
        .thenCompose(
            s -> {
              if (!s.openCase()) {
                return CompletableFuture.completedFuture(null);
              }
              long from = Math.max(1, s.queriesObserved() - QUEUE_TAIL_EVENTS);
              return journal
                  .read(accountId, from, QUEUE_TAIL_EVENTS * 2)
                  .thenApply(h -> new CaseRow(s, h, profiles.find(accountId).orElse(null)));
            });
  }

  /** One account's case; completes with null for an account never observed. */
  public CompletionStage<AccountCase> account(String accountId) {
    return backend
        .status(accountId)
        .thenCompose(
            s -> {
              if (s.queriesObserved() == 0) {
                return CompletableFuture.completedFuture(null);
              }
              return journal
                  .read(accountId, 1, PAGE_MAX_EVENTS)
                  .thenApplyAsync(h -> withEvidence(s, h), blocking);
            });
  }

  private AccountCase withEvidence(AccountStatus s, AccountHistory h) {
    AccountProfile profile = profiles.find(s.accountId()).orElse(null);
    if (evidence instanceof EvidenceSource.Unavailable u) {
      return new AccountCase(s, h, profile, List.of(), u.reason());
    }
    EvidenceSource.Served served = (EvidenceSource.Served) evidence;
    List<QueryRecord> candidates =
        served.store().query(RecordFilter.account(s.accountId()), EVIDENCE_CANDIDATES);
    return new AccountCase(
        s,
        h,
        profile,
        EvidenceRanking.top(candidates, h.categories(), h.unexpected(), EVIDENCE_SHOWN),
        null);
  }
}
