package io.distillguard.actors.console;

import static io.distillguard.actors.console.CaseReport.num;
import static io.distillguard.actors.console.CaseReport.time;
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
      b.append("<tr><td>")
          .append(html(r.rule()))
          .append("</td><td>")
          .append(html(r.signal()))
          .append("</td><td>")
          .append(num(r.value()))
          .append("</td><td>")
          .append(num(r.threshold()))
          .append("</td></tr>\n");
    }
    b.append("</table>\n<h2>Signals</h2>\n<table>");
    CampaignJson.signals(s)
        .forEach(
            (k, v) ->
                b.append("<tr><td>")
                    .append(html(k))
                    .append("</td><td>")
                    .append(num(v))
                    .append("</td></tr>"));
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
      b.append("<tr><td>")
          .append(html(c.categories().get(i)))
          .append("</td><td>")
          .append(union[i])
          .append("</td><td>")
          .append(asking)
          .append("</td></tr>\n");
    }
    b.append("</table>\n<h2>Members</h2>\n<table><tr><th>#</th><th>account</th>")
        .append("<th>own level</th><th>queries</th><th>categories</th><th>first seen</th></tr>\n");
    int i = 0;
    for (String id : s.members()) {
      MemberSummary m = c.history().members().get(id);
      var own = c.memberStatus().get(id);
      b.append("<tr><td>")
          .append(++i)
          .append("</td><td class=\"mono\">")
          .append(html(id))
          .append("</td><td>")
          .append(own == null ? "–" : own.level())
          .append("</td><td>")
          .append(m == null ? "–" : m.queries())
          .append("</td><td>")
          .append(m == null ? "–" : html(String.join(", ", m.categories().keySet())))
          .append("</td><td>")
          .append(m == null ? "–" : time(m.firstSeenMillis()))
          .append("</td></tr>\n");
    }
    b.append("</table>\n<h2>Links (hashed values)</h2>\n<table><tr><th>kind</th><th>type</th>")
        .append("<th>value</th><th>weight</th><th>members</th></tr>\n");
    for (CampaignLink l : s.links()) {
      b.append("<tr><td>")
          .append(l.kind().name().toLowerCase(Locale.ROOT))
          .append("</td><td>")
          .append(l.key().type().wireName())
          .append("</td><td class=\"mono\">")
          .append(html(l.key().value()))
          .append("</td><td>")
          .append(num(l.weight()))
          .append("</td><td>")
          .append(l.members().size())
          .append("</td></tr>\n");
    }
    b.append("</table>\n<h2>Decisions</h2>\n<table><tr><th>at (event time)</th><th>change</th>")
        .append("<th>members</th><th>why</th><th>policy</th></tr>\n");
    for (CampaignHistory.Decision d : c.history().decisions()) {
      b.append("<tr><td>")
          .append(time(d.atMillis()))
          .append("</td><td>")
          .append(d.from())
          .append(" → ")
          .append(d.to())
          .append("</td><td>")
          .append(d.members())
          .append("</td><td>")
          .append(html(ConsoleJson.why(d.reasons())))
          .append("</td><td>")
          .append(html(d.policyVersion()))
          .append("</td></tr>\n");
    }
    b.append("</table>\n<h2>Evidence: the members' prompts that weigh most</h2>\n")
        .append("<p>Attacker-written text; invisible characters are shown as ⟦U+XXXX⟧.</p>\n")
        .append("<table><tr><th>account</th><th>time</th><th>category</th><th>prompt</th></tr>\n");
    for (Map.Entry<String, List<EvidenceRanking.Ranked>> e : c.evidence().entrySet()) {
      for (EvidenceRanking.Ranked r : e.getValue()) {
        b.append("<tr><td class=\"mono\">")
            .append(html(e.getKey()))
            .append("</td><td>")
            .append(time(r.record().timestampMillis()))
            .append("</td><td>")
            .append(html(r.record().category()))
            .append("</td><td class=\"prompt\">")
            .append(html(r.record().prompt()))
            .append("</td></tr>\n");
      }
    }
    if (c.evidenceError() != null) {
      b.append("<tr><td colspan=\"4\">").append(html(c.evidenceError())).append("</td></tr>");
    }
    b.append("</table>\n<h2>Audit trail</h2>\n<table><tr><th>at</th><th>verdict</th>")
        .append("<th>reviewer</th><th>note</th><th>members</th></tr>\n");
    for (CampaignHistory.Review r : c.history().reviews()) {
      b.append("<tr><td>")
          .append(time(r.atMillis()))
          .append("</td><td>")
          .append(r.verdict())
          .append("</td><td>")
          .append(html(r.reviewer()))
          .append("</td><td class=\"prompt\">")
          .append(html(r.note()))
          .append("</td><td>")
          .append(r.members())
          .append("</td></tr>\n");
    }
    b.append("</table>\n<p>Integrity: manifest.json lists the SHA-256 of every file; manifest.sig")
        .append(" is its Ed25519 signature under signing-key.pem.</p>\n</body></html>\n");
    return b.toString();
  }
}
