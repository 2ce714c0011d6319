package io.distillguard.launcher;

import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.erasure.AccountErasure;
import io.distillguard.actors.erasure.CampaignErasure;
import io.distillguard.actors.erasure.ErasureReport;
import io.distillguard.actors.erasure.OfflineCampaignErasure;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./distillguard erase --account ID}: erases everything stored about an account with the
 * service stopped: journal events and snapshots, outbox rows, throttle directive and index row, the
 * campaigns it was a member of (each restated without it by its entity, recovered in a local actor
 * system: {@link OfflineCampaignErasure}) in the database (H2 under the data dir, or {@code
 * DISTILLGUARD_JOURNAL_URL}), the vector-store records (the embedded store, or Milvus with {@code
 * MILVUS_URI}) and the data dir's dead letters; audit entries become tombstones. A running actor
 * service erases with {@code DELETE /v1/accounts/{id}/data} instead (its entities hold state in
 * memory).
 */
@Command(
    name = "erase",
    mixinStandardHelpOptions = true,
    description = "Erases everything stored about an account (with the service stopped).")
final class EraseCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--account", required = true, description = "The account id.")
  String account;

  @Option(
      names = "--data-dir",
      defaultValue = ".distillguard/data",
      description = "The data dir (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = dataDir.toAbsolutePath().normalize();
    ActorSettings settings = ActorSettings.load().withDataDir(dir);
    if (settings.journal().url() == null && !Files.isDirectory(dir.resolve("journal"))) {
      err.println("erase: no database under " + dir + " (is --data-dir right?)");
      return 1;
    }
    String actor = "cli:" + System.getProperty("user.name", "unknown");
    ErasureReport report;
    try (StateDatabase db =
        StateDatabase.open(
            settings.effectiveJournalUrl(),
            settings.journal().user(),
            settings.journal().password())) {
      Set<String> campaigns = db.transact(c -> CampaignErasure.campaignsOf(c, account));
      Map<String, Long> facts = OfflineCampaignErasure.erase(settings, campaigns, account);
      report =
          AccountErasure.eraseStored(db, account, Long.MAX_VALUE, facts, actor, Clock.systemUTC());
    } catch (RuntimeException e) {
      err.println(
          "erase: the database part failed ("
              + e.getMessage()
              + "); if a running service holds it, erase with DELETE /v1/accounts/{id}/data");
      return 1;
    }
    try (VectorStore store = VectorStores.open(StoreSettings.fromEnvironment(dir))) {
      report = AccountErasure.eraseFiles(report, account, store, dir.resolve("dead-letters.jsonl"));
    } catch (RuntimeException e) {
      err.println("erase: the database is erased, the vector store failed: " + e.getMessage());
      return 1;
    }
    out.printf("erased account %s%n", account);
    out.printf("  journal events   %d%n", report.journalEvents());
    out.printf("  snapshots        %d%n", report.snapshots());
    out.printf("  deliveries       %d%n", report.deliveries());
    out.printf("  throttles        %d%n", report.throttles());
    out.printf("  index rows       %d%n", report.indexRows());
    out.printf("  audit tombstones %d%n", report.auditTombstoned());
    out.printf("  campaigns        %d%n", report.campaigns());
    out.printf("  campaign events  %d%n", report.campaignEvents());
    out.printf("  campaign hooks   %d%n", report.campaignDeliveries());
    out.printf("  vector records   %d%n", report.vectorRecords());
    out.printf("  dead letters     %d%n", report.deadLetters());
    return 0;
  }
}
