package io.distillguard.launcher;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.ClusterSettings;
import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.actors.audit.AuditLog;
import io.distillguard.actors.console.AccountCase;
import io.distillguard.actors.console.BundleSigner;
import io.distillguard.actors.console.CampaignBundle;
import io.distillguard.actors.console.CampaignCase;
import io.distillguard.actors.console.CaseBundle;
import io.distillguard.actors.console.ProfileDirectory;
import io.distillguard.embedding.TextEmbedder;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./distillguard export --account ID} or {@code --campaign ID}: writes an account's or a
 * campaign's case bundle (decision history, signals, evidence prompts, audit trail, a printable
 * report, a manifest of SHA-256 hashes signed with the data dir's Ed25519 key) into a new folder; a
 * campaign's bundle also holds its members, the links between them and their coverage. Reads the
 * data dir a replay or the demo wrote (not while that process still holds it); the console's export
 * buttons give the same bundles as zips. Every evidence read is written to the audit log (actor
 * {@value #ACTOR}).
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a self-contained, signed case bundle of one account or one campaign for legal or"
          + " for sharing.",
      "Verify: openssl pkeyutl -verify -pubin -inkey signing-key.pem -rawin -in manifest.json"
          + " -sigfile manifest.sig, then sha256sum each file against manifest.json."
    })
final class ExportCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The audit log's actor of the evidence reads an export makes. */
  static final String ACTOR = "cli:export";

  @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
  Subject subject;

  /** What to export: one account or one campaign. */
  static final class Subject {
    @Option(names = "--account", description = "The account id.")
    String account;

    @Option(
        names = "--campaign",
        description = "The campaign id (cmp-..., as GET /v1/campaigns lists them).")
    String campaign;
  }

  @Option(
      names = "--data-dir",
      defaultValue = ".distillguard/data",
      description =
          "The data dir a replay wrote (default: ${DEFAULT-VALUE}; the demo's is"
              + " .distillguard/demo/data).")
  Path dataDir;

  @Option(
      names = "--profiles",
      description = "The profiles file, so the bundle holds the stated use verbatim.")
  Path profiles;

  @Option(
      names = "--out",
      defaultValue = ".",
      description = "Folder to write the bundle's folder into (default: the current one).")
  Path out;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    Path data = dataDir.toAbsolutePath().normalize();
    ActorSettings settings =
        ActorSettings.load()
            .withDataDir(data)
            .withWebhook(null, null)
            .withThrottleUrl(null)
            .withHttp("127.0.0.1", -1, null);
    try (VectorStore store = VectorStores.open(StoreSettings.fromEnvironment(data));
        ActorService actors =
            ActorService.startWith(
                settings,
                ClusterSettings.local(),
                new EvidenceSource.Served(store, new NoSearch()))) {
      if (profiles != null) {
        actors.console().useProfiles(ProfileDirectory.fromFile(profiles));
      }
      BundleSigner signer = BundleSigner.inDirectory(data.resolve("keys"));
      Instant now = Instant.now();
      Path folder;
      String what;
      if (subject.campaign != null) {
        what = "campaign " + subject.campaign;
        CampaignCase c =
            actors
                .console()
                .campaignWithEvidence(
                    subject.campaign,
                    member ->
                        actors.audit(
                            ACTOR,
                            AuditLog.EVIDENCE_READ,
                            member,
                            "campaign bundle " + subject.campaign))
                .toCompletableFuture()
                .get(5, TimeUnit.MINUTES);
        if (c == null) {
          spec.commandLine().getErr().printf("export: no %s in %s%n", what, data);
          return 1;
        }
        folder = out.resolve(CampaignBundle.folderName(subject.campaign, now));
        CampaignBundle.of(c, signer, now).writeTo(folder);
      } else {
        what = "account " + subject.account;
        actors.audit(ACTOR, AuditLog.EVIDENCE_READ, subject.account, "case bundle");
        AccountCase c =
            actors
                .console()
                .account(subject.account)
                .toCompletableFuture()
                .get(5, TimeUnit.MINUTES);
        if (c == null) {
          spec.commandLine().getErr().printf("export: no %s in %s%n", what, data);
          return 1;
        }
        folder = out.resolve(CaseBundle.folderName(subject.account, now));
        CaseBundle.of(c, signer, now).writeTo(folder);
      }
      stdout.printf(
          "Case bundle of %s: %s (open report.html)%nSigned with the Ed25519 key in %s,"
              + " fingerprint (SHA-256 of the public key) %s%n",
          what, folder, data.resolve("keys"), signer.fingerprint());
      return 0;
    } catch (Exception e) {
      spec.commandLine().getErr().println("export: " + e.getMessage());
      return 1;
    }
  }

  /** The bundle ranks stored prompts; it never searches by text, so no model is loaded. */
  private static final class NoSearch implements TextEmbedder {
    @Override
    public int dimension() {
      return 384;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
      throw new UnsupportedOperationException("export does not search by text");
    }
  }
}
