package io.distillguard.actors.console;

import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.campaign.CampaignEntity;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Reads one account's journal (the shared database, so any node answers the same) into an {@link
 * AccountHistory}. The journal is the record a reviewer can trust: decisions and reviews are facts
 * written before anything else happened, and nothing edits them.
 */
public final class JournalHistory {

  private final ActorSystem<?> system;
  private final JdbcReadJournal journal;
  private final List<String> categories;
  private final StateDatabase db;
  private final Executor blocking;

  /**
   * @param db the database that holds the journal (its highest sequence numbers are read there)
   * @param blocking where those reads run
   */
  public JournalHistory(
      ActorSystem<?> system, List<String> categories, StateDatabase db, Executor blocking) {
    this.system = system;
    this.db = db;
    this.blocking = blocking;
    this.journal =
        PersistenceQuery.get(system.classicSystem())
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    this.categories = List.copyOf(categories);
  }

  /** The node's capability categories, in the taxonomy's order. */
  public List<String> categories() {
    return categories;
  }

  /**
   * The account's history from journal sequence number {@code fromSequenceNr} (1 for all of it), at
   * most {@code maxEvents} events.
   */
  public CompletionStage<AccountHistory> read(
      String accountId, long fromSequenceNr, long maxEvents) {
    return journal
        .currentEventsByPersistenceId(
            AccountEntity.persistenceId(accountId).id(),
            Math.max(1, fromSequenceNr),
            Long.MAX_VALUE)
        .take(maxEvents)
        .runWith(
            Sink.fold(
                new AccountHistory(categories),
                (h, env) -> {
                  if (env.event() instanceof AccountEntity.Event e) {
                    h.add(e);
                  }
                  return h;
                }),
            system);
  }

  /**
   * A campaign's history: the last {@code maxEvents} events of its journal (every event when it
   * holds no more), so a campaign with a long journal still shows each active member's latest
   * summary without reading all of it.
   */
  public CompletionStage<CampaignHistory> readCampaign(String campaignId, long maxEvents) {
    String pid =
        CampaignEntity.ENTITY_TYPE_KEY.name()
            + org.apache.pekko.persistence.typed.PersistenceId.DefaultSeparator()
            + campaignId;
    return CompletableFuture.supplyAsync(() -> highestSequenceNr(pid), blocking)
        .thenCompose(
            highest -> {
              long from = Math.max(1, highest - maxEvents + 1);
              return journal
                  .currentEventsByPersistenceId(pid, from, Long.MAX_VALUE)
                  .take(maxEvents)
                  .runWith(
                      Sink.fold(
                          new CampaignHistory(from),
                          (h, env) -> {
                            if (env.event() instanceof CampaignEntity.Event e) {
                              h.add(e);
                            }
                            return h;
                          }),
                      system);
            });
  }

  private long highestSequenceNr(String persistenceId) {
    return db.transact(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT MAX(\"sequence_number\") FROM \"event_journal\""
                      + " WHERE \"persistence_id\" = ?")) {
            ps.setString(1, persistenceId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getLong(1) : 0L;
            }
          }
        });
  }
}
