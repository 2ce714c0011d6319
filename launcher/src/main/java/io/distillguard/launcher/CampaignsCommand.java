package io.distillguard.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.escalation.CampaignWebhooks;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.LinkKind;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./distillguard campaigns}: the campaigns a replay (or the demo) found in its data dir, one
 * line each with level and member count, then their members, the strongest link of each kind
 * (hashed) and the rules of the latest decision with the values their conditions had. Reads the
 * campaign rows the campaign effects projection wrote beside the journal; the data dir must not be
 * held by a running replay.
 */
@Command(
    name = "campaigns",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the campaigns (groups of linked accounts) a replay found: level, members, top links."
    })
final class CampaignsCommand implements Callable<Integer> {

  private static final int MEMBERS_SHOWN = 12;
  private static final int LINKS_SHOWN = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data-dir",
      defaultValue = ".distillguard/data",
      description =
          "The data dir a replay wrote (default: ${DEFAULT-VALUE}; the demo's is"
              + " .distillguard/demo/data).")
  Path dataDir;

  @Option(
      names = "--level",
      description = "Only campaigns at this level (OK, WATCH, REVIEW, CLEARED, CONFIRMED).")
  Level level;

  @Option(
      names = "--limit",
      defaultValue = "100",
      description = "At most this many campaigns (default: ${DEFAULT-VALUE}).")
  int limit;

  private record Link(LinkKey key, double weight) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path data = dataDir.toAbsolutePath().normalize();
    if (!Files.isDirectory(data.resolve("journal"))) {
      err.println("no journal in " + data + ": run a replay first (or pass --data-dir)");
      return 1;
    }
    ActorSettings settings = ActorSettings.load().withDataDir(data);
    List<CampaignWebhooks.Row> rows;
    try (StateDatabase db =
        StateDatabase.open(
            settings.effectiveJournalUrl(),
            settings.journal().user(),
            settings.journal().password())) {
      rows = db.transact(c -> CampaignWebhooks.list(c, level, Math.max(1, limit)));
    }
    if (rows.isEmpty()) {
      out.println("no campaigns" + (level == null ? "" : " at " + level));
      return 0;
    }
    List<CampaignWebhooks.Row> sorted = new ArrayList<>(rows);
    sorted.sort(
        Comparator.comparingInt((CampaignWebhooks.Row r) -> rank(r.level()))
            .thenComparing(r -> -r.members().size())
            .thenComparing(CampaignWebhooks.Row::campaignId));
    out.printf(Locale.ROOT, "%-22s %-9s %7s%n", "campaign", "level", "members");
    for (CampaignWebhooks.Row r : sorted) {
      out.printf(Locale.ROOT, "%-22s %-9s %7d%n", r.campaignId(), r.level(), r.members().size());
    }
    for (CampaignWebhooks.Row r : sorted) {
      out.println();
      out.printf(
          Locale.ROOT, "%s  %s, %d members%n", r.campaignId(), r.level(), r.members().size());
      List<String> shown = r.members().subList(0, Math.min(MEMBERS_SHOWN, r.members().size()));
      out.println(
          "  members: "
              + String.join(", ", shown)
              + (r.members().size() > shown.size()
                  ? ", ... (" + (r.members().size() - shown.size()) + " more)"
                  : ""));
      for (Link l : topLinks(r.links())) {
        out.printf(
            Locale.ROOT,
            "  link:    %-14s %-18s %s  weight %.2f%n",
            l.key().kind().name().toLowerCase(Locale.ROOT),
            l.key().type().name().toLowerCase(Locale.ROOT),
            l.key().value(),
            l.weight());
      }
      reasonsByRule(r.reasons())
          .forEach(
              (rule, conditions) ->
                  out.printf(Locale.ROOT, "  rule:    %-28s %s%n", rule, conditions));
      out.println("  detail:  GET /v1/campaigns/" + r.campaignId());
    }
    out.flush();
    return 0;
  }

  /** The strongest link of each kind (content, registration, infrastructure), strongest first. */
  private static List<Link> topLinks(JsonNode links) {
    Map<LinkKind, Link> best = new EnumMap<>(LinkKind.class);
    for (Map.Entry<String, JsonNode> e : links.properties()) {
      Link l = new Link(LinkKey.parse(e.getKey()), e.getValue().asDouble());
      best.merge(
          l.key().kind(),
          l,
          (x, y) ->
              x.weight() != y.weight()
                  ? (x.weight() > y.weight() ? x : y)
                  : (x.key().wire().compareTo(y.key().wire()) <= 0 ? x : y));
    }
    List<Link> out = new ArrayList<>(best.values());
    out.sort(
        Comparator.comparingDouble(Link::weight).reversed().thenComparing(l -> l.key().wire()));
    return out.subList(0, Math.min(LINKS_SHOWN, out.size()));
  }

  /**
   * The latest decision's reasons, one line per rule: each condition's signal, the value it had and
   * its threshold, in the rule's order.
   */
  private static Map<String, String> reasonsByRule(List<Reason> reasons) {
    Map<String, StringJoiner> byRule = new LinkedHashMap<>();
    for (Reason r : reasons) {
      byRule
          .computeIfAbsent(r.rule(), k -> new StringJoiner(", "))
          .add(
              String.format(
                  Locale.ROOT,
                  "%s %s (threshold %s)",
                  r.signal(),
                  number(r.value()),
                  number(r.threshold())));
    }
    Map<String, String> out = new LinkedHashMap<>();
    byRule.forEach((rule, j) -> out.put(rule, j.toString()));
    return out;
  }

  /**
   * At most three decimals, no trailing zeros: 2.3, 0.881, 40 (NaN and infinities as Java says).
   */
  private static String number(double v) {
    if (!Double.isFinite(v)) {
      return String.valueOf(v);
    }
    return BigDecimal.valueOf(v)
        .setScale(3, RoundingMode.HALF_EVEN)
        .stripTrailingZeros()
        .toPlainString();
  }

  /** Open cases first: REVIEW, WATCH, CONFIRMED, then the rest. */
  private static int rank(Level level) {
    return switch (level) {
      case REVIEW, THROTTLE -> 0;
      case WATCH -> 1;
      case CONFIRMED -> 2;
      case CLEARED -> 3;
      case OK -> 4;
    };
  }
}
