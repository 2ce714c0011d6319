package io.distillguard.actors.console;

import io.distillguard.actors.account.AccountEntity;
import java.util.List;
import java.util.concurrent.CompletionStage;
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

  public JournalHistory(ActorSystem<?> system, List<String> categories) {
    this.system = system;
    this.journal =
        PersistenceQuery.get(system.classicSystem())
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    this.categories = List.copyOf(categories);
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
}
