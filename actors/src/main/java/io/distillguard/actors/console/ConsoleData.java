package io.distillguard.actors.console;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.account.AccountIndex;
import io.distillguard.actors.api.ApiBackend;
import io.distillguard.actors.api.CampaignBackend;
import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.actors.campaign.CampaignEntity.CampaignStatus;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.contract.AccountProfile;
import io.distillguard.policy.Level;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.RecordFilter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

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

  /** Members of a campaign whose own account status the campaign page asks for. */
  public static final int MEMBERS_ASKED = 200;

  /** Members of a campaign whose evidence prompts a campaign bundle holds. */
  public static final int BUNDLE_MEMBERS = 50;

  /** Evidence prompts per member in a campaign bundle. */
  public static final int BUNDLE_PROMPTS_PER_MEMBER = 5;

  /** Stored prompts of one member ranked for a campaign bundle. */
  static final int BUNDLE_CANDIDATES = 500;

  private final ApiBackend backend;
  private final CampaignBackend campaigns;
  private final JournalHistory journal;
  private final EvidenceSource evidence;
  private final Executor blocking;
  private volatile ProfileDirectory profiles;

  public ConsoleData(
      ApiBackend backend,
      CampaignBackend campaigns,
      JournalHistory journal,
      EvidenceSource evidence,
      ProfileDirectory profiles,
      Executor blocking) {
    this.backend = backend;
    this.campaigns = campaigns;
    this.journal = journal;
    this.evidence = evidence;
    this.profiles = profiles;
    this.blocking = blocking;
  }

  /** The node's capability categories, in the taxonomy's order. */
  public List<String> categories() {
    return journal.categories();
  }

  /** Replaces where stated uses are read from (a local replay knows its profiles file). */
  public void useProfiles(ProfileDirectory profiles) {
    this.profiles = profiles;
  }

  /**
   * One row of the case queue.
   *
   * @param throughCampaign true for an account only its campaign's flag made a case (shown only
   *     when the queue lists campaign members)
   */
  public record CaseRow(
      AccountStatus status,
      AccountHistory recent,
      AccountProfile profile,
      boolean throughCampaign) {

    /** THROTTLE before REVIEW. */
    public int severity() {
      return status.level() == Level.THROTTLE ? 2 : 1;
    }
  }

  /**
   * The open account cases (REVIEW or THROTTLE, not decided by a reviewer), most severe first, then
   * the oldest (longest at its level) first. Accounts only their campaign's flag made a case are
   * listed under their campaign ({@link #campaignCases()}) and here only with {@code
   * campaignMembers}: a 25,000-member campaign is one row, not 25,000.
   */
  public CompletionStage<List<CaseRow>> cases(boolean campaignMembers) {
    return CompletableFuture.supplyAsync(
            () -> {
              Map<String, Boolean> open = new java.util.LinkedHashMap<>();
              for (Level level : List.of(Level.THROTTLE, Level.REVIEW)) {
                for (AccountIndex.Entry e : backend.indexedCases(level, false, MAX_CASES)) {
                  open.put(e.accountId(), false);
                }
                if (campaignMembers) {
                  for (AccountIndex.Entry e : backend.indexedCases(level, true, MAX_CASES)) {
                    open.putIfAbsent(e.accountId(), true);
                  }
                }
              }
              return open;
            },
            blocking)
        .thenCompose(
            entries -> {
              List<CompletableFuture<CaseRow>> rows = new ArrayList<>();
              entries.forEach(
                  (account, throughCampaign) ->
                      rows.add(row(account, throughCampaign).toCompletableFuture()));
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

  private CompletionStage<CaseRow> row(String accountId, boolean throughCampaign) {
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
                  .thenApply(
                      h ->
                          new CaseRow(
                              s, h, profiles.find(accountId).orElse(null), throughCampaign));
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

  /** One campaign row of the case queue: the entity's status and its journal's recent tail. */
  public record CampaignRow(CampaignStatus status, CampaignHistory recent) {

    /** THROTTLE before REVIEW. */
    public int severity() {
      return status.level() == Level.THROTTLE ? 2 : 1;
    }
  }

  /** The open campaign cases (REVIEW or THROTTLE, not decided by a reviewer). */
  public CompletionStage<List<CampaignRow>> campaignCases() {
    return CompletableFuture.supplyAsync(
            () -> {
              List<String> open = new ArrayList<>();
              open.addAll(campaigns.campaignIds(Level.THROTTLE, MAX_CASES));
              open.addAll(campaigns.campaignIds(Level.REVIEW, MAX_CASES));
              return open;
            },
            blocking)
        .thenCompose(
            ids -> {
              List<CompletableFuture<CampaignRow>> rows = new ArrayList<>();
              for (String id : ids) {
                rows.add(campaignRow(id).toCompletableFuture());
              }
              return CompletableFuture.allOf(rows.toArray(CompletableFuture[]::new))
                  .thenApply(
                      v -> {
                        List<CampaignRow> out = new ArrayList<>();
                        for (CompletableFuture<CampaignRow> f : rows) {
                          if (f.join() != null) {
                            out.add(f.join());
                          }
                        }
                        return out;
                      });
            });
  }

  private CompletionStage<CampaignRow> campaignRow(String id) {
    return campaigns
        .campaign(id)
        .thenCompose(
            s -> {
              // The projection's row may lag a review by a moment; the entity decides.
              if (s.members().isEmpty()
                  || (s.level() != Level.REVIEW && s.level() != Level.THROTTLE)) {
                return CompletableFuture.completedFuture(null);
              }
              return journal
                  .readCampaign(id, QUEUE_TAIL_EVENTS)
                  .thenApply(h -> new CampaignRow(s, h));
            });
  }

  /** One campaign's case for its page; completes with null for an unknown campaign. */
  public CompletionStage<CampaignCase> campaign(String campaignId) {
    return campaign(campaignId, null);
  }

  /**
   * One campaign's case with the evidence prompts of its first {@value #BUNDLE_MEMBERS} members (at
   * most {@value #BUNDLE_PROMPTS_PER_MEMBER} each), for a bundle; null for an unknown campaign.
   *
   * @param evidenceRead called with each member's id before its prompts are read (the audit)
   */
  public CompletionStage<CampaignCase> campaignWithEvidence(
      String campaignId, Consumer<String> evidenceRead) {
    return campaign(campaignId, evidenceRead);
  }

  private CompletionStage<CampaignCase> campaign(String campaignId, Consumer<String> evidenceRead) {
    return campaigns
        .campaign(campaignId)
        .thenCompose(
            s -> {
              if (s.members().isEmpty()) {
                return CompletableFuture.completedFuture(null);
              }
              CompletableFuture<CampaignHistory> history =
                  journal.readCampaign(campaignId, PAGE_MAX_EVENTS).toCompletableFuture();
              Map<String, CompletableFuture<AccountStatus>> asks = new LinkedHashMap<>();
              for (String m : s.members().subList(0, Math.min(MEMBERS_ASKED, s.members().size()))) {
                asks.put(m, backend.status(m).toCompletableFuture());
              }
              List<CompletableFuture<?>> all = new ArrayList<>(asks.values());
              all.add(history);
              return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                  .thenApplyAsync(
                      v -> {
                        Map<String, AccountStatus> statuses = new LinkedHashMap<>();
                        asks.forEach((m, f) -> statuses.put(m, f.join()));
                        CampaignHistory h = history.join();
                        if (evidenceRead == null) {
                          return new CampaignCase(
                              s, h, statuses, journal.categories(), Map.of(), null);
                        }
                        return withMemberEvidence(s, h, statuses, evidenceRead);
                      },
                      blocking);
            });
  }

  private CampaignCase withMemberEvidence(
      CampaignStatus s,
      CampaignHistory h,
      Map<String, AccountStatus> statuses,
      Consumer<String> evidenceRead) {
    List<String> categories = journal.categories();
    if (evidence instanceof EvidenceSource.Unavailable u) {
      return new CampaignCase(s, h, statuses, categories, Map.of(), u.reason());
    }
    EvidenceSource.Served served = (EvidenceSource.Served) evidence;
    Map<String, List<EvidenceRanking.Ranked>> prompts = new LinkedHashMap<>();
    for (String m : s.members().subList(0, Math.min(BUNDLE_MEMBERS, s.members().size()))) {
      MemberSummary summary = h.members().get(m);
      evidenceRead.accept(m);
      prompts.put(
          m,
          EvidenceRanking.top(
              served.store().query(RecordFilter.account(m), BUNDLE_CANDIDATES),
              categories,
              unexpected(summary, categories),
              BUNDLE_PROMPTS_PER_MEMBER));
    }
    return new CampaignCase(s, h, statuses, categories, prompts, null);
  }

  /** Per category, whether the member's stated use leaves it out; null when not known. */
  static boolean[] unexpected(MemberSummary m, List<String> categories) {
    if (m == null || m.expectedCategories().isEmpty()) {
      return null;
    }
    boolean[] out = new boolean[categories.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = !m.expectedCategories().contains(categories.get(i));
    }
    return out;
  }
}
