package io.distillguard.actors.console;

import static io.distillguard.actors.console.ReportRows.cell;
import static io.distillguard.actors.console.ReportRows.classedRow;
import static io.distillguard.actors.console.ReportRows.row;
import static io.distillguard.actors.console.TextSafety.html;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.escalation.Escalations;
import io.distillguard.policy.Reason;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bundle's printable report: one static HTML page, no script (its own CSP forbids any), every
 * attacker-written string escaped with its invisible characters shown as marks.
 */
final class CaseReport {

  private CaseReport() {}

  static String render(AccountCase c, Instant now) {
    AccountStatus s = c.status();
    AccountHistory h = c.history();
    StringBuilder b = new StringBuilder(16_384);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                + " style-src 'unsafe-inline'\">\n")
        .append("<title>DistillGuard case ")
        .append(html(s.accountId()))
        .append("</title>\n<style>")
        .append("body{font:13px/1.45 system-ui,sans-serif;margin:2em;color:#111}")
        .append("table{border-collapse:collapse;margin:.5em 0 1.5em}")
        .append("td,th{border:1px solid #bbb;padding:3px 7px;text-align:left;vertical-align:top}")
        .append(".off{background:#fde2e1;font-weight:600}.mono{font-family:monospace}")
        .append(".prompt{white-space:pre-wrap;max-width:60em}@media print{a{color:inherit}}")
        .append("</style></head><body>\n");
    b.append("<h1>Case: <span class=\"mono\">")
        .append(html(s.accountId()))
        .append("</span></h1>\n<p>Level <b>")
        .append(s.level())
        .append("</b> since ")
        .append(time(s.levelSinceMillis()))
        .append(" · ")
        .append(s.queriesObserved())
        .append(" queries observed · report made ")
        .append(now)
        .append("</p>\n");
    b.append("<h2>Stated use</h2>\n<p class=\"prompt\">")
        .append(c.profile() == null ? "(not available)" : html(c.profile().statedUse()))
        .append("</p>\n");
    b.append("<h2>Why flagged</h2>\n<table><tr><th>rule</th><th>signal</th><th>value</th>")
        .append("<th>threshold</th></tr>\n");
    for (Reason r : s.reasons()) {
      row(b, html(r.rule()), html(r.signal()), num(r.value()), num(r.threshold())).append('\n');
    }
    b.append("</table>\n<h2>Stated versus observed, by capability category</h2>\n")
        .append("<table><tr><th>category</th><th>expected share</th><th>observed</th>")
        .append("<th>observed share</th><th>far from stated use</th></tr>\n");
    Map<String, Object> coverage = ConsoleJson.coverage(h);
    @SuppressWarnings("unchecked")
    Iterable<Map<String, Object>> rows = (Iterable<Map<String, Object>>) coverage.get("categories");
    for (Map<String, Object> r : rows) {
      boolean off = Boolean.TRUE.equals(r.get("off_use_highlight"));
      classedRow(
              b,
              off ? "off" : null,
              html((String) r.get("category")) + (off ? " (unexpected)" : ""),
              r.get("expected_share") == null ? "–" : pct((Double) r.get("expected_share")),
              r.get("observed"),
              pct((Double) r.get("observed_share")),
              r.get("off_use"))
          .append('\n');
    }
    b.append("</table>\n<h2>Decisions</h2>\n<table><tr><th>at (event time)</th><th>change</th>")
        .append("<th>why</th><th>policy</th></tr>\n");
    for (AccountHistory.LevelChange ch : h.levelChanges()) {
      row(
              b,
              time(ch.atMillis()),
              ch.from() + " → " + ch.to(),
              html(ConsoleJson.why(ch.reasons())),
              html(ch.policyVersion()))
          .append('\n');
    }
    b.append("</table>\n<p>Verified at: ")
        .append(h.verifiedAtMillis() == null ? "–" : time(h.verifiedAtMillis()))
        .append("</p>\n<h2>Signals now</h2>\n<table>");
    new TreeMap<>(s.signals()).forEach((k, v) -> row(b, html(k), num(v)));
    b.append("</table>\n<h2>Evidence: the prompts that weigh most</h2>\n")
        .append("<p>Attacker-written text; invisible characters are shown as ⟦U+XXXX⟧.</p>\n")
        .append("<table><tr><th>time</th><th>category</th><th>similarity to stated use</th>")
        .append("<th>prompt</th></tr>\n");
    for (EvidenceRanking.Ranked r : c.evidence()) {
      row(
              b,
              time(r.record().timestampMillis()),
              html(r.record().category()),
              num(r.record().statedUseSimilarity()),
              cell("prompt", html(r.record().prompt())))
          .append('\n');
    }
    if (c.evidenceError() != null) {
      b.append("<tr><td colspan=\"4\">").append(html(c.evidenceError())).append("</td></tr>");
    }
    b.append("</table>\n<h2>Audit trail</h2>\n<table><tr><th>at</th><th>verdict</th>")
        .append("<th>reviewer</th><th>note</th></tr>\n");
    for (AccountHistory.Review r : h.reviews()) {
      row(b, time(r.atMillis()), r.verdict(), html(r.reviewer()), cell("prompt", html(r.note())))
          .append('\n');
    }
    b.append("</table>\n<p>Integrity: manifest.json lists the SHA-256 of every file; manifest.sig")
        .append(" is its Ed25519 signature under signing-key.pem.</p>\n</body></html>\n");
    return b.toString();
  }

  /** An event time as the reports print it ("–" when unknown). */
  static String time(long millis) {
    return millis == 0 || millis == Long.MIN_VALUE ? "–" : Escalations.rfc3339(millis);
  }

  /** A signal value as the reports print it ("–" when not finite). */
  static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "–";
  }

  private static String pct(Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.1f%%", v * 100);
  }
}
