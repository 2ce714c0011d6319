package io.distillguard.actors.console;

import static io.distillguard.actors.console.CaseReport.num;
import static io.distillguard.actors.console.CaseReport.time;
import static io.distillguard.actors.console.ReportRows.cell;
import static io.distillguard.actors.console.ReportRows.row;
import static io.distillguard.actors.console.TextSafety.html;

import io.distillguard.actors.campaign.CampaignEntity.CampaignStatus;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A campaign bundle's printable report: one static HTML page, no script (its own CSP forbids any),
 * every attacker-written string escaped with its invisible characters shown as marks.
 */
final class CampaignReport {

  private CampaignReport() {}

  static String render(CampaignCase c, Instant now) {
    CampaignStatus s = c.status();
    StringBuilder b = new StringBuilder(32_768);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                + " style-src 'unsafe-inline'\">\n")
        .append("<title>DistillGuard campaign ")
        .append(html(s.campaignId()))
        .append("</title>\n<style>")
        .append("body{font:13px/1.45 system-ui,sans-serif;margin:2em;color:#111}")
        .append("table{border-collapse:collapse;margin:.5em 0 1.5em}")
        .append("td,th{border:1px solid #bbb;padding:3px 7px;text-align:left;vertical-align:top}")
        .append(".mono{font-family:monospace}.prompt{white-space:pre-wrap;max-width:60em}")
        .append("</style></head><body>\n");
    b.append("<h1>Campaign: <span class=\"mono\">")
        .append(html(s.campaignId()))
        .append("</span></h1>\n<p>Level <b>")
        .append(s.level())
        .append("</b> since ")
        .append(time(s.levelSinceMillis()))
        .append(" · ")
        .append(s.members().size())
        .append(" members · report made ")
        .append(now)
        .append("</p>\n");
    b.append("<h2>Why flagged</h2>\n<table><tr><th>rule</th><th>signal</th><th>value</th>")
        .append("<th>threshold</th></tr>\n");
    for (Reason r : s.reasons()) {
      row(b, html(r.rule()), html(r.signal()), num(r.value()), num(r.threshold())).append('\n');
    }
    b.append("</table>\n<h2>Signals</h2>\n<table><tr><th>signal</th>")
        .append("<th>at its last decision</th><th>now</th></tr>\n");
    Map<String, Double> decided = CampaignJson.signals(s);
    Map<String, Double> current = CampaignJson.currentSignals(s);
    java.util.SortedSet<String> names = new java.util.TreeSet<>(decided.keySet());
    names.addAll(current.keySet());
    for (String k : names) {
      row(
          b,
          html(k),
          num(decided.getOrDefault(k, Double.NaN)),
          num(current.getOrDefault(k, Double.NaN)));
    }
    b.append("</table>\n<h2>Union coverage by capability category</h2>\n")
        .append("<table><tr><th>category</th><th>union queries</th><th>members asking</th></tr>");
    long[] union = c.history().union(c.categories());
    for (int i = 0; i < union.length; i++) {
      if (union[i] == 0) {
        continue;
      }
      int asking = 0;
      for (MemberSummary m : c.history().members().values()) {
        asking += m.categories().getOrDefault(c.categories().get(i), 0L) > 0 ? 1 : 0;
      }
      row(b, html(c.categories().get(i)), union[i], asking).append('\n');
    }
    b.append("</table>\n<h2>Members</h2>\n<table><tr><th>#</th><th>account</th>")
        .append("<th>own level</th><th>queries</th><th>categories</th><th>first seen</th></tr>\n");
    int i = 0;
    for (String id : s.members()) {
      MemberSummary m = c.history().members().get(id);
      var own = c.memberStatus().get(id);
      row(
              b,
              ++i,
              cell("mono", html(id)),
              own == null ? "–" : own.level(),
              m == null ? "–" : m.queries(),
              m == null ? "–" : html(String.join(", ", m.categories().keySet())),
              m == null ? "–" : time(m.firstSeenMillis()))
          .append('\n');
    }
    b.append("</table>\n<h2>Links (hashed values)</h2>\n<table><tr><th>kind</th><th>type</th>")
        .append("<th>value</th><th>weight</th><th>members</th></tr>\n");
    for (CampaignLink l : s.links()) {
      row(
              b,
              l.kind().name().toLowerCase(Locale.ROOT),
              l.key().type().wireName(),
              cell("mono", html(l.key().value())),
              num(l.weight()),
              l.members().size())
          .append('\n');
    }
    b.append("</table>\n<h2>Decisions</h2>\n<table><tr><th>at (event time)</th><th>change</th>")
        .append("<th>members</th><th>why</th><th>policy</th></tr>\n");
    for (CampaignHistory.Decision d : c.history().decisions()) {
      row(
              b,
              time(d.atMillis()),
              d.from() + " → " + d.to(),
              d.members(),
              html(ConsoleJson.why(d.reasons())),
              html(d.policyVersion()))
          .append('\n');
    }
    b.append("</table>\n<h2>Evidence: the members' prompts that weigh most</h2>\n")
        .append("<p>Attacker-written text; invisible characters are shown as ⟦U+XXXX⟧.</p>\n")
        .append("<table><tr><th>account</th><th>time</th><th>category</th><th>prompt</th></tr>\n");
    for (Map.Entry<String, List<EvidenceRanking.Ranked>> e : c.evidence().entrySet()) {
      for (EvidenceRanking.Ranked r : e.getValue()) {
        row(
                b,
                cell("mono", html(e.getKey())),
                time(r.record().timestampMillis()),
                html(r.record().category()),
                cell("prompt", html(r.record().prompt())))
            .append('\n');
      }
    }
    if (c.evidenceError() != null) {
      b.append("<tr><td colspan=\"4\">").append(html(c.evidenceError())).append("</td></tr>");
    }
    b.append("</table>\n<h2>Audit trail</h2>\n<table><tr><th>at</th><th>verdict</th>")
        .append("<th>reviewer</th><th>note</th><th>members</th></tr>\n");
    for (CampaignHistory.Review r : c.history().reviews()) {
      row(
              b,
              time(r.atMillis()),
              r.verdict(),
              html(r.reviewer()),
              cell("prompt", html(r.note())),
              r.members())
          .append('\n');
    }
    b.append("</table>\n<p>Integrity: manifest.json lists the SHA-256 of every file; manifest.sig")
        .append(" is its Ed25519 signature under signing-key.pem.</p>\n</body></html>\n");
    return b.toString();
  }
}
