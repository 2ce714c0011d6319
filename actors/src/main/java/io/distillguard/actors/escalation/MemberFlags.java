package io.distillguard.actors.escalation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.Replies;
import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What campaigns decided about their members, on its way to the members' account entities. The
 * campaign effects projection writes one row per member and decision ({@link #enqueue}) in the
 * transaction that projects the campaign's journal event, so a member hears of a decision exactly
 * when the decision was persisted; this class then hands each row to the account entity ({@link
 * AccountEntity.FlagByCampaign}) and deletes it once the entity acknowledged, unless the campaign
 * says the word is about a member's history erased since ({@link CampaignEntity.VoidWords}): then
 * it is deleted unsent, whichever side restarted in between. A row that fails stays and is sent
 * again (every second, and whenever the projection enqueued new rows). The entity ignores a flag it
 * already holds or an older one, so a row delivered twice, by two nodes or after a crash, changes
 * nothing.
 */
public final class MemberFlags implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MemberFlags.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<Reason>> REASONS = new TypeReference<>() {};
  private static final int BATCH = 256;

  /** A failure met again on every retry is logged at most this often (with its repeat count). */
  static final long REPEAT_LOG_INTERVAL_MILLIS = Duration.ofMinutes(5).toMillis();

  private record Row(
      long id,
      String accountId,
      String campaignId,
      Level level,
      long campaignSeq,
      List<Reason> reasons,
      long createdAt) {}

  private final StateDatabase db;
  private final ClusterSharding sharding;
  private final Executor jdbc;
  private final Executor replies;
  private final Duration askTimeout;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private final RepeatedFailures failures =
      new RepeatedFailures(REPEAT_LOG_INTERVAL_MILLIS, 10_000, System::currentTimeMillis);
  private volatile boolean closed;
  private Cancellable timer;

  private MemberFlags(
      StateDatabase db,
      ClusterSharding sharding,
      Executor jdbc,
      Executor replies,
      Duration askTimeout) {
    this.db = db;
    this.sharding = sharding;
    this.jdbc = jdbc;
    this.replies = replies;
    this.askTimeout = askTimeout;
  }

  /** Starts delivering: now, every second, and on every {@link #wake()}. */
  public static MemberFlags start(
      ActorSystem<?> system, StateDatabase db, Executor jdbc, Duration askTimeout) {
    MemberFlags flags =
        new MemberFlags(
            db, ClusterSharding.get(system), jdbc, system.executionContext(), askTimeout);
    flags.timer =
        system
            .scheduler()
            .scheduleWithFixedDelay(
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                flags::wake,
                system.executionContext());
    flags.wake();
    return flags;
  }

  /**
   * Records, in {@code c}'s transaction, that {@code campaignId} flags {@code accountId} at {@code
   * level} (REVIEW or THROTTLE; OK lifts the campaign's flag) by its journal event {@code
   * campaignSeq}.
   */
  public static void enqueue(
      Connection c,
      String accountId,
      String campaignId,
      Level level,
      long campaignSeq,
      List<Reason> reasons,
      long atMillis)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dg_member_flag"
                + " (account_id, campaign_id, level, campaign_seq, reasons, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, accountId);
      ps.setString(2, campaignId);
      ps.setString(3, level.name());
      ps.setLong(4, campaignSeq);
      ps.setString(5, JSON.writeValueAsString(reasons));
      ps.setLong(6, atMillis);
      ps.executeUpdate();
    } catch (JsonProcessingException e) {
      throw new SQLException("unwritable reasons", e);
    }
  }

  /**
   * Deletes, inside {@code c}, the campaign's rows older than its journal event {@code beforeSeq}
   * for accounts {@code keep} refuses (an erased member: a batch in flight during its erasure may
   * have enqueued them after the erasure deleted its rows); returns how many.
   */
  public static int withdraw(
      Connection c, String campaignId, long beforeSeq, java.util.function.Predicate<String> keep)
      throws SQLException {
    List<Long> gone = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, account_id FROM dg_member_flag WHERE campaign_id = ? AND campaign_seq < ?")) {
      ps.setString(1, campaignId);
      ps.setLong(2, beforeSeq);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!keep.test(rs.getString(2))) {
            gone.add(rs.getLong(1));
          }
        }
      }
    }
    try (PreparedStatement del = c.prepareStatement("DELETE FROM dg_member_flag WHERE id = ?")) {
      for (long id : gone) {
        del.setLong(1, id);
        del.addBatch();
      }
      if (!gone.isEmpty()) {
        del.executeBatch();
      }
    }
    return gone.size();
  }

  /** Rows not yet acknowledged by their account entity. */
  public long pending() {
    return db.transact(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM dg_member_flag");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** Delivers the pending rows (at once, unless a delivery is running: then right after it). */
  public void wake() {
    if (closed) {
      return;
    }
    if (!draining.compareAndSet(false, true)) {
      again.set(true);
      return;
    }
    again.set(false);
    CompletableFuture.supplyAsync(this::due, jdbc)
        .thenCompose(this::deliver)
        .whenComplete(
            (full, error) -> {
              if (error != null) {
                LOG.warn("delivering campaign flags failed: {}", error.toString());
              }
              draining.set(false);
              if (error == null && (Boolean.TRUE.equals(full) || again.get())) {
                wake();
              }
            });
  }

  private List<Row> due() {
    return db.transact(
        c -> {
          List<Row> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, account_id, campaign_id, level, campaign_seq, reasons, created_at"
                      + " FROM dg_member_flag ORDER BY id LIMIT ?")) {
            ps.setInt(1, BATCH);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new Row(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        Level.valueOf(rs.getString(4)),
                        rs.getLong(5),
                        reasons(rs.getString(6)),
                        rs.getLong(7)));
              }
            }
          }
          return out;
        });
  }

  private static List<Reason> reasons(String json) throws SQLException {
    try {
      return JSON.readValue(json, REASONS);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable reasons", e);
    }
  }

  /**
   * Sends every row its campaign still stands by; deletes the acknowledged ones and the void ones.
   * True when the batch was full (more due).
   */
  private CompletionStage<Boolean> deliver(List<Row> rows) {
    if (rows.isEmpty()) {
      return CompletableFuture.completedFuture(false);
    }
    Map<String, List<Row>> byCampaign = new LinkedHashMap<>();
    for (Row r : rows) {
      byCampaign.computeIfAbsent(r.campaignId(), k -> new ArrayList<>()).add(r);
    }
    List<CompletableFuture<List<Long>>> sends = new ArrayList<>();
    byCampaign.forEach((campaignId, words) -> sends.add(deliverChecked(campaignId, words)));
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
        .thenApplyAsync(
            v -> {
              List<Long> done = new ArrayList<>();
              sends.forEach(s -> done.addAll(s.join()));
              if (done.size() < rows.size()) {
                RepeatedFailures.Verdict verdict = failures.failed("");
                if (verdict.log()) {
                  LOG.warn(
                      "{} of {} campaign flags not acknowledged yet; retrying every second ({}"
                          + " earlier rounds with flags left not logged)",
                      rows.size() - done.size(),
                      rows.size(),
                      verdict.suppressed());
                }
              } else {
                failures.succeeded("");
              }
              db.transact(
                  c -> {
                    try (PreparedStatement ps =
                        c.prepareStatement("DELETE FROM dg_member_flag WHERE id = ?")) {
                      for (long id : done) {
                        ps.setLong(1, id);
                        ps.addBatch();
                      }
                      ps.executeBatch();
                    }
                    return null;
                  });
              return rows.size() == BATCH && done.size() == rows.size();
            },
            jdbc);
  }

  /**
   * Asks the campaign which of its words are about a member's erased history ({@link
   * CampaignEntity.VoidWords}, answered from its journal, so the answer holds across restarts of
   * either side), then sends the others to their accounts. Completes with the ids of the rows that
   * are done: void, or acknowledged by the account; none when the campaign did not answer.
   */
  private CompletableFuture<List<Long>> deliverChecked(String campaignId, List<Row> rows) {
    List<CampaignEntity.Word> words =
        rows.stream().map(r -> new CampaignEntity.Word(r.accountId(), r.campaignSeq())).toList();
    return Replies.on(
            replies,
            sharding
                .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, campaignId)
                .<CampaignEntity.VoidedWords>ask(
                    replyTo -> new CampaignEntity.VoidWords(words, replyTo), askTimeout))
        .thenCompose(
            voided -> {
              failures.succeeded("campaign " + campaignId);
              Set<CampaignEntity.Word> gone = Set.copyOf(voided.words());
              List<CompletableFuture<Long>> sends = new ArrayList<>(rows.size());
              for (Row r : rows) {
                if (gone.contains(new CampaignEntity.Word(r.accountId(), r.campaignSeq()))) {
                  LOG.info(
                      "a flag of campaign {} decided before its member's erasure dropped",
                      campaignId);
                  sends.add(CompletableFuture.completedFuture(r.id()));
                } else {
                  sends.add(send(r));
                }
              }
              return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                  .thenApply(
                      v ->
                          sends.stream()
                              .map(CompletableFuture::join)
                              .filter(id -> id >= 0)
                              .toList());
            })
        .exceptionally(
            error -> {
              RepeatedFailures.Verdict v = failures.failed("campaign " + campaignId);
              if (v.log()) {
                LOG.warn(
                    "campaign {} did not answer for its flags: {} ({} repeats not logged)",
                    campaignId,
                    error.toString(),
                    v.suppressed());
              }
              return List.of();
            });
  }

  /** Hands one row to its account; completes with its id once acknowledged, else -1. */
  private CompletableFuture<Long> send(Row r) {
    return Replies.on(
            replies,
            sharding
                .entityRefFor(AccountEntity.ENTITY_TYPE_KEY, r.accountId())
                .<Done>askWithStatus(
                    replyTo ->
                        new AccountEntity.FlagByCampaign(
                            r.campaignId(),
                            r.level(),
                            r.campaignSeq(),
                            r.reasons(),
                            r.createdAt(),
                            replyTo),
                    askTimeout))
        .handle(
            (d, e) -> {
              String key = r.accountId() + "\u0000" + r.campaignId();
              if (e == null) {
                failures.succeeded(key);
                return r.id();
              }
              RepeatedFailures.Verdict v = failures.failed(key);
              if (v.log()) {
                LOG.warn(
                    "account {} did not acknowledge campaign {}'s flag: {} ({} repeats not logged)",
                    r.accountId(),
                    r.campaignId(),
                    e.toString(),
                    v.suppressed());
              }
              return -1L;
            });
  }

  // ---- the flags accounts hold (dg_campaign_flag), for the account index ----------------------

  /** The campaign flag level {@code accountId} holds (OK when none), read inside {@code c}. */
  public static Level heldLevel(Connection c, String accountId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT level FROM dg_campaign_flag WHERE account_id = ?")) {
      ps.setString(1, accountId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Level.valueOf(rs.getString(1)) : Level.OK;
      }
    }
  }

  /** Records the flag an account holds now ({@code flag} null: none), inside {@code c}. */
  public static void hold(
      Connection c, String accountId, AccountEntity.CampaignFlag flag, long atMillis)
      throws SQLException {
    try (PreparedStatement del =
        c.prepareStatement("DELETE FROM dg_campaign_flag WHERE account_id = ?")) {
      del.setString(1, accountId);
      del.executeUpdate();
    }
    if (flag == null) {
      return;
    }
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO dg_campaign_flag (account_id, campaign_id, level, updated_at)"
                + " VALUES (?, ?, ?, ?)")) {
      ins.setString(1, accountId);
      ins.setString(2, flag.campaignId());
      ins.setString(3, flag.level().name());
      ins.setLong(4, atMillis);
      ins.executeUpdate();
    }
  }

  /** Stops delivering; pending rows stay for the next start. */
  @Override
  public void close() {
    closed = true;
    if (timer != null) {
      timer.cancel();
    }
  }
}
