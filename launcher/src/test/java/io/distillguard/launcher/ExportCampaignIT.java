package io.distillguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.audit.AuditEntry;
import io.distillguard.actors.campaign.SwarmTraffic;
import io.distillguard.actors.console.BundleSigner;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./distillguard export --campaign ID} over a data dir the local mode wrote: a swarm of
 * eight accounts splitting a sweep behind one scaffold and one sign-up burst is one campaign; its
 * bundle holds every member, the hashed links, the members' evidence prompts and a manifest whose
 * signature and hashes check, and every member's evidence read is in the audit log.
 */
class ExportCampaignIT {

  private static final long T0 = 1_791_158_400_000L;
  private static final int MEMBERS = 8;
  private static final List<String> CATEGORIES = CapabilityTaxonomy.loadDefault().names();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void writesASignedCampaignBundleAndAuditsItsEvidenceReads() throws Exception {
    Path dataDir = dir.resolve("data");
    ActorSettings settings = ActorSettings.defaults(dataDir).withHttp("127.0.0.1", -1, null);
    String campaignId;
    try (ActorService service = ActorService.start(settings, null, null)) {
      TestFixtures.record(
          service,
          SwarmTraffic.swarm(T0, MEMBERS, 12, 4, "Mozilla/5.0 (X11; Linux) sb/1.2", "key-swarm-"));
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      campaignId = service.campaigns().campaignOf("swarm-0").orElseThrow();
    }
    try (VectorStore store = VectorStores.open(StoreSettings.embedded(dataDir))) {
      List<QueryRecord> records = new ArrayList<>();
      for (int m = 0; m < MEMBERS; m++) {
        records.add(
            new QueryRecord(
                "swarm-" + m + "-e0",
                "swarm-" + m,
                T0 + m * 1_000L,
                CATEGORIES.get(m),
                0.1f,
                "Practice item for the study bank: =HYPERLINK(\"x\") item " + m,
                new float[384],
                Map.of()));
      }
      store.upsert(records);
    }

    StringWriter said = new StringWriter();
    Path out = Files.createDirectories(dir.resolve("export"));
    int exit =
        DistillGuardCli.commandLine()
            .setOut(new PrintWriter(said))
            .setErr(new PrintWriter(said))
            .execute(
                "export",
                "--campaign",
                campaignId,
                "--data-dir",
                dataDir.toString(),
                "--out",
                out.toString());
    assertThat(exit).as(said.toString()).isZero();
    assertThat(said.toString()).contains("Case bundle of campaign " + campaignId);
    Path bundle;
    try (var folders = Files.list(out)) {
      bundle = folders.findFirst().orElseThrow();
    }
    assertThat(bundle.getFileName().toString()).startsWith("campaign-" + campaignId);
    byte[] manifest = Files.readAllBytes(bundle.resolve("manifest.json"));
    String pem = Files.readString(bundle.resolve("signing-key.pem"));
    var key =
        KeyFactory.getInstance("Ed25519")
            .generatePublic(
                new X509EncodedKeySpec(
                    Base64.getMimeDecoder()
                        .decode(pem.replaceAll("-----[A-Z ]+-----", "").strip())));
    assertThat(
            BundleSigner.verify(key, manifest, Files.readAllBytes(bundle.resolve("manifest.sig"))))
        .isTrue();
    for (JsonNode f : JSON.readTree(manifest).path("files")) {
      byte[] content = Files.readAllBytes(bundle.resolve(f.path("path").asText()));
      assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)))
          .as(f.path("path").asText())
          .isEqualTo(f.path("sha256").asText());
    }
    assertThat(JSON.readTree(bundle.resolve("members.json").toFile())).hasSize(MEMBERS);
    assertThat(JSON.readTree(bundle.resolve("links.json").toFile()))
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l.path("value").asText()).matches("[0-9a-f]{16}"));
    assertThat(JSON.readTree(bundle.resolve("decisions.json").toFile()))
        .anyMatch(d -> d.path("to").asText().equals("REVIEW"));
    JsonNode evidence = JSON.readTree(bundle.resolve("evidence.json").toFile()).path("members");
    assertThat(evidence.path("swarm-3")).hasSize(1);
    // Spreadsheet formulas in prompts are neutralised in the CSV.
    assertThat(Files.readString(bundle.resolve("evidence.csv"))).doesNotContain(",=HYPERLINK");
    assertThat(Files.readString(bundle.resolve("report.html")))
        .contains(campaignId)
        .doesNotContain("<script");

    // The export's evidence reads are in the data dir's audit log.
    try (ActorService service = ActorService.start(settings, null, null)) {
      List<String> read =
          service.auditEntries(0, 1000).stream()
              .filter(e -> e.actor().equals("cli:export"))
              .map(AuditEntry::accountId)
              .toList();
      for (int m = 0; m < MEMBERS; m++) {
        assertThat(read).contains("swarm-" + m);
      }
    }
  }
}
