package io.distillguard.actors.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.account.AccountEntity;
import io.distillguard.contract.AccountProfile;
import io.distillguard.policy.Decision;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.distillguard.signals.SignalSnapshot;
import io.distillguard.store.QueryRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A case bundle is complete, tamper-evident and safe to open. */
class CaseBundleTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static AccountCase hostileCase() {
    AccountHistory h = new AccountHistory(TestFixtures.CATEGORIES);
    List<Reason> reasons = List.of(new Reason("four-categories", "distinct_categories", 4, 4));
    h.add(
        new AccountEntity.LevelChanged(
            Level.REVIEW,
            Level.THROTTLE,
            "=cmd|' /C calc'!A0",
            new Decision(Level.THROTTLE, reasons, Optional.empty()),
            new SignalSnapshot(8, TestFixtures.T0, Map.of("distinct_categories", 4.0)),
            "v1",
            true));
    h.add(
        new AccountEntity.Reviewed(
            Level.CONFIRMED, "rev", "<script>alert(1)</script>", TestFixtures.T0, 8, null));
    AccountStatus status =
        new AccountStatus(
            "acct-<b>",
            Level.CONFIRMED,
            8,
            TestFixtures.T0,
            TestFixtures.T0,
            Map.of("distinct_categories", 4.0),
            reasons,
            "rev",
            "note",
            TestFixtures.T0,
            null);
    QueryRecord prompt =
        new QueryRecord(
            "e1",
            "acct-<b>",
            TestFixtures.T0,
            TestFixtures.CATEGORIES.get(1),
            0.01f,
            "=HYPERLINK(\"http://evil\") <img src=x onerror=alert(1)> \u202Eabc",
            new float[] {1f},
            Map.of());
    return new AccountCase(
        status,
        h,
        new AccountProfile("acct-<b>", "shoes\u200B support", null, null, null, null),
        List.of(new EvidenceRanking.Ranked(prompt, 1.99, true, true)),
        null);
  }

  @Test
  void everyFileIsHashedAndTheManifestSigned() throws Exception {
    BundleSigner signer = BundleSigner.inDirectory(dir.resolve("keys"));
    CaseBundle bundle = CaseBundle.of(hostileCase(), signer, Instant.parse("2026-12-01T10:00:00Z"));
    Map<String, byte[]> files = bundle.files();
    JsonNode manifest = JSON.readTree(files.get(CaseBundle.MANIFEST));
    assertThat(manifest.path("format").asText()).isEqualTo(CaseBundle.FORMAT);
    assertThat(manifest.path("signing_key_sha256").asText()).isEqualTo(signer.fingerprint());
    assertThat(manifest.path("files")).hasSize(files.size() - 2); // all but manifest and signature
    for (JsonNode f : manifest.path("files")) {
      assertThat(BundleSigner.sha256Hex(files.get(f.path("path").asText())))
          .isEqualTo(f.path("sha256").asText());
    }
    byte[] manifestBytes = files.get(CaseBundle.MANIFEST);
    assertThat(BundleSigner.verify(signer.publicKey(), manifestBytes, files.get("manifest.sig")))
        .isTrue();
    // Tampering with the manifest breaks the signature.
    byte[] tampered = manifestBytes.clone();
    tampered[tampered.length / 2] ^= 1;
    assertThat(BundleSigner.verify(signer.publicKey(), tampered, files.get("manifest.sig")))
        .isFalse();
    // The key is kept: the next signer from the same directory is the same key.
    assertThat(BundleSigner.inDirectory(dir.resolve("keys")).fingerprint())
        .isEqualTo(signer.fingerprint());

    bundle.writeTo(dir.resolve("out"));
    assertThat(Files.readAllBytes(dir.resolve("out/report.html")))
        .isEqualTo(files.get("report.html"));
  }

  @Test
  void attackerTextIsEscapedMarkedAndNeverAFormula() {
    CaseBundle bundle =
        CaseBundle.of(
            hostileCase(),
            BundleSigner.inDirectory(dir.resolve("keys")),
            Instant.parse("2026-12-01T10:00:00Z"));
    String html = new String(bundle.files().get("report.html"), StandardCharsets.UTF_8);
    assertThat(html)
        .doesNotContain("<script>alert")
        .doesNotContain("<img src=x")
        .doesNotContain("acct-<b>")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("⟦U+202E⟧abc")
        .contains("shoes⟦U+200B⟧ support")
        .contains("default-src 'none'");
    String evidence = new String(bundle.files().get("evidence.csv"), StandardCharsets.UTF_8);
    assertThat(evidence).contains(",\"'=HYPERLINK(").doesNotContain(",\"=HYPERLINK(");
    String decisions = new String(bundle.files().get("decisions.csv"), StandardCharsets.UTF_8);
    assertThat(decisions).contains("\"'=cmd|' /C calc'!A0\"");
  }
}
