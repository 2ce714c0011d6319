package io.distillguard.actors.console;

import static io.distillguard.actors.console.ReportRows.csvRow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.distillguard.actors.escalation.Escalations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A self-contained, tamper-evident case bundle for legal or for another provider: the decision
 * history, the current signals and reasons, the evidence prompts, the review audit trail, CSV
 * copies for spreadsheets (formulas neutralised), a printable HTML report, and {@code
 * manifest.json} with the SHA-256 of every file, signed with Ed25519 ({@code manifest.sig}, raw 64
 * bytes; the public key in {@code signing-key.pem}, its fingerprint in the manifest). Changing any
 * file changes its hash; changing the manifest breaks the signature.
 */
public final class CaseBundle {

  public static final String FORMAT = "distillguard-case-bundle/1";
  public static final String MANIFEST = "manifest.json";
  public static final String SIGNATURE = "manifest.sig";
  public static final String PUBLIC_KEY = "signing-key.pem";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Map<String, byte[]> files;

  private CaseBundle(Map<String, byte[]> files) {
    this.files = files;
  }

  /** The bundle of {@code c}, signed by {@code signer}, dated {@code now}. */
  public static CaseBundle of(AccountCase c, BundleSigner signer, Instant now) {
    Map<String, Object> page = ConsoleJson.accountCase(c);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("report.html", utf8(CaseReport.render(c, now)));
    files.put("status.json", json(page.get("status")));
    files.put("profile.json", json(page.get("profile")));
    files.put("decisions.json", json(decisions(c.history())));
    files.put("coverage.json", json(page.get("coverage")));
    files.put("evidence.json", json(page.get("evidence")));
    files.put("audit.json", json(page.get("audit")));
    files.put("decisions.csv", utf8(decisionsCsv(c.history())));
    files.put("evidence.csv", utf8(evidenceCsv(c)));
    return signed(files, FORMAT, "account_id", c.status().accountId(), signer, now);
  }

  /**
   * The bundle of {@code files} with the public key, {@code manifest.json} (format, the subject,
   * the time, the SHA-256 and size of every file) and its Ed25519 signature added.
   */
  static CaseBundle signed(
      Map<String, byte[]> files,
      String format,
      String subjectField,
      String subjectId,
      BundleSigner signer,
      Instant now) {
    files.put(PUBLIC_KEY, utf8(signer.publicKeyPem()));
    List<Map<String, Object>> entries = new ArrayList<>();
    files.forEach(
        (name, bytes) -> {
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("path", name);
          e.put("sha256", BundleSigner.sha256Hex(bytes));
          e.put("bytes", bytes.length);
          entries.add(e);
        });
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("format", format);
    manifest.put(subjectField, subjectId);
    manifest.put("created_at", now.toString());
    manifest.put("signature", Map.of("algorithm", "Ed25519", "file", SIGNATURE));
    manifest.put("signing_key_sha256", signer.fingerprint());
    manifest.put("files", entries);
    byte[] manifestBytes = json(manifest);
    files.put(MANIFEST, manifestBytes);
    files.put(SIGNATURE, signer.sign(manifestBytes));
    return new CaseBundle(files);
  }

  /** File name to content, in bundle order. */
  public Map<String, byte[]> files() {
    return java.util.Collections.unmodifiableMap(files);
  }

  /** The bundle as one zip archive. */
  public byte[] zip(String folder) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(folder + "/" + f.getKey()));
        zip.write(f.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Writes the files into {@code dir} (created; existing files of the same names replaced). */
  public void writeTo(Path dir) {
    try {
      Files.createDirectories(dir);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        Files.write(dir.resolve(f.getKey()), f.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the bundle to " + dir, e);
    }
  }

  /** A file-system-safe folder name for an account's bundle. */
  public static String folderName(String accountId, Instant now) {
    return folderName("case-", accountId, now);
  }

  /** A file-system-safe folder name for a bundle of {@code id}, starting with {@code prefix}. */
  static String folderName(String prefix, String accountId, Instant now) {
    String safe = accountId.replaceAll("[^A-Za-z0-9._-]", "_");
    if (safe.length() > 64) {
      safe = safe.substring(0, 64);
    }
    return prefix
        + safe
        + "-"
        + BundleSigner.sha256Hex(utf8(accountId)).substring(0, 8)
        + "-"
        + now.getEpochSecond();
  }

  private static List<Map<String, Object>> decisions(AccountHistory h) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (AccountHistory.LevelChange c : h.levelChanges()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at", Escalations.rfc3339(c.atMillis()));
      m.put("from", c.from().name());
      m.put("to", c.to().name());
      m.put("event_id", c.eventId());
      m.put("escalation", c.escalation());
      m.put("policy_version", c.policyVersion());
      m.put(
          "reasons",
          c.reasons().stream()
              .map(
                  r ->
                      Map.of(
                          "rule", r.rule(),
                          "signal", r.signal(),
                          "value", r.value(),
                          "threshold", r.threshold()))
              .toList());
      m.put("signals", new java.util.TreeMap<>(c.signals()));
      out.add(m);
    }
    return out;
  }

  private static String decisionsCsv(AccountHistory h) {
    StringBuilder b = new StringBuilder("at,from,to,event_id,policy_version,why\r\n");
    for (AccountHistory.LevelChange c : h.levelChanges()) {
      csvRow(
          b,
          Escalations.rfc3339(c.atMillis()),
          c.from(),
          c.to(),
          TextSafety.csvCell(c.eventId()),
          TextSafety.csvCell(c.policyVersion()),
          TextSafety.csvCell(ConsoleJson.why(c.reasons())));
    }
    return b.toString();
  }

  private static String evidenceCsv(AccountCase c) {
    StringBuilder b =
        new StringBuilder("timestamp,event_id,category,stated_use_similarity,weight,prompt\r\n");
    for (EvidenceRanking.Ranked r : c.evidence()) {
      csvRow(
          b,
          Escalations.rfc3339(r.record().timestampMillis()),
          TextSafety.csvCell(r.record().eventId()),
          TextSafety.csvCell(r.record().category()),
          String.format(Locale.ROOT, "%.4f", r.record().statedUseSimilarity()),
          String.format(Locale.ROOT, "%.4f", r.weight()),
          TextSafety.csvCell(r.record().prompt()));
    }
    return b.toString();
  }

  static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
