package io.distillguard.actors.console;

import static io.distillguard.actors.console.ReportRows.csvRow;

import io.distillguard.actors.api.ApiJson;
import io.distillguard.actors.escalation.Escalations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A campaign's case bundle, made like the account's ({@link CaseBundle}: manifest with the SHA-256
 * of every file, Ed25519 signature, public key): {@code report.html} (printable, no script), {@code
 * campaign.json} (level, reasons, signals), {@code decisions.json} / {@code decisions.csv}, {@code
 * members.json} / {@code members.csv} (each member's own level and summary), {@code links.json}
 * (kinds, types, hashed values, weights, members), {@code coverage.json} (union against each
 * member), {@code evidence.json} / {@code evidence.csv} (the prompts that weigh most of the first
 * {@value ConsoleData#BUNDLE_MEMBERS} members, {@value ConsoleData#BUNDLE_PROMPTS_PER_MEMBER} each)
 * and {@code audit.json} (the reviews).
 */
public final class CampaignBundle {

  public static final String FORMAT = "distillguard-campaign-bundle/1";

  private CampaignBundle() {}

  /** The bundle of {@code c} (read with its evidence), signed by {@code signer}. */
  public static CaseBundle of(CampaignCase c, BundleSigner signer, Instant now) {
    Map<String, Object> page = CampaignJson.campaignCase(c);
    Map<String, Object> campaign = new LinkedHashMap<>();
    for (String k :
        List.of("campaign_id", "level", "level_since", "why", "members_total", "reasons")) {
      campaign.put(k, page.get(k));
    }
    campaign.put("signals", page.get("signals"));
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("report.html", CaseBundle.utf8(CampaignReport.render(c, now)));
    files.put("campaign.json", CaseBundle.json(campaign));
    files.put("decisions.json", CaseBundle.json(page.get("decisions")));
    List<Map<String, Object>> members = CampaignJson.members(c, Integer.MAX_VALUE);
    files.put("members.json", CaseBundle.json(members));
    files.put("links.json", CaseBundle.json(links(page)));
    files.put("coverage.json", CaseBundle.json(page.get("coverage")));
    files.put("evidence.json", CaseBundle.json(evidence(c)));
    files.put("audit.json", CaseBundle.json(page.get("audit")));
    files.put("decisions.csv", CaseBundle.utf8(decisionsCsv(c)));
    files.put("members.csv", CaseBundle.utf8(membersCsv(members)));
    files.put("evidence.csv", CaseBundle.utf8(evidenceCsv(c)));
    return CaseBundle.signed(files, FORMAT, "campaign_id", c.campaignId(), signer, now);
  }

  /** A file-system-safe folder name for a campaign's bundle. */
  public static String folderName(String campaignId, Instant now) {
    return CaseBundle.folderName("campaign-", campaignId, now);
  }

  private static List<Map<String, Object>> links(Map<String, Object> page) {
    List<Map<String, Object>> out = new ArrayList<>();
    @SuppressWarnings("unchecked")
    Map<String, Object> graph = (Map<String, Object>) page.get("graph");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> nodes = (List<Map<String, Object>>) graph.get("nodes");
    for (Map<String, Object> n : nodes) {
      if (!"account".equals(n.get("kind"))) {
        out.add(n);
      }
    }
    return out;
  }

  private static Map<String, Object> evidence(CampaignCase c) {
    Map<String, Object> members = new LinkedHashMap<>();
    c.evidence()
        .forEach(
            (member, ranked) -> {
              List<Map<String, Object>> rows = new ArrayList<>();
              for (EvidenceRanking.Ranked r : ranked) {
                Map<String, Object> m = ApiJson.recordJson(r.record());
                m.put("weight", r.weight());
                m.put("unexpected_category", r.unexpected());
                rows.add(m);
              }
              members.put(member, rows);
            });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("members_with_evidence", c.evidence().size());
    out.put("members_total", c.status().members().size());
    out.put("prompts_per_member", ConsoleData.BUNDLE_PROMPTS_PER_MEMBER);
    out.put("members", members);
    out.put("error", c.evidenceError());
    return out;
  }

  private static String decisionsCsv(CampaignCase c) {
    StringBuilder b = new StringBuilder("at,from,to,members,policy_version,why\r\n");
    for (CampaignHistory.Decision d : c.history().decisions()) {
      csvRow(
          b,
          Escalations.rfc3339(d.atMillis()),
          d.from(),
          d.to(),
          d.members(),
          TextSafety.csvCell(d.policyVersion()),
          TextSafety.csvCell(ConsoleJson.why(d.reasons())));
    }
    return b.toString();
  }

  private static String membersCsv(List<Map<String, Object>> members) {
    StringBuilder b = new StringBuilder("index,account_id,level,queries,first_seen,signup_at\r\n");
    for (Map<String, Object> m : members) {
      csvRow(
          b,
          m.get("index"),
          TextSafety.csvCell((String) m.get("account_id")),
          m.get("level") == null ? "" : m.get("level"),
          m.get("queries") == null ? "" : m.get("queries"),
          m.get("first_seen") == null ? "" : m.get("first_seen"),
          m.get("signup_at") == null ? "" : m.get("signup_at"));
    }
    return b.toString();
  }

  private static String evidenceCsv(CampaignCase c) {
    StringBuilder b =
        new StringBuilder(
            "account_id,timestamp,event_id,category,stated_use_similarity,weight,prompt\r\n");
    c.evidence()
        .forEach(
            (member, ranked) -> {
              for (EvidenceRanking.Ranked r : ranked) {
                csvRow(
                    b,
                    TextSafety.csvCell(member),
                    Escalations.rfc3339(r.record().timestampMillis()),
                    TextSafety.csvCell(r.record().eventId()),
                    TextSafety.csvCell(r.record().category()),
                    String.format(Locale.ROOT, "%.4f", r.record().statedUseSimilarity()),
                    String.format(Locale.ROOT, "%.4f", r.weight()),
                    TextSafety.csvCell(r.record().prompt()));
              }
            });
    return b.toString();
  }
}
