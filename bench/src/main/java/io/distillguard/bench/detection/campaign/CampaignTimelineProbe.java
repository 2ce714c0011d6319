package io.distillguard.bench.detection.campaign;

import io.distillguard.bench.Datasets;
import io.distillguard.bench.detection.PromptPool;
import io.distillguard.campaign.CampaignDetector;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.CampaignRule;
import io.distillguard.campaign.CampaignView;
import io.distillguard.contract.QueryEvent;
import io.distillguard.policy.Condition;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.signals.SignalSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A diagnostic of when campaigns are caught: replays one prepared split (embeddings from the cache)
 * through {@link CampaignDetector} with the {@link PopulationPrior}, and for every campaign of the
 * chosen kinds logs its timeline: when its members first share a detector group, every tenth of its
 * traffic the group that holds most of them (members, purity, queries) and, per rule, the
 * thresholds that do not hold yet (or the hold or minimum that does), and when it is first raised.
 * What held a late campaign back (too few members, too few queries, one signal short) reads off it.
 *
 * <p>Options: {@code --split tune|report|unseen} (tune), {@code --scale X} (0.3), {@code --seed N}
 * (1001), {@code --work DIR} (bench/target/campaigns), {@code --kinds K,K}
 * (SWARM_BROAD,SWARM_NARROW), {@code --policy FILE}, {@code --datasets DIR}, {@code --steps N} (10:
 * log points per campaign), {@code --principals} (follow the declared organisation the kind's
 * accounts form, judged as one principal, instead of their linked group), {@code --no-embed} (the
 * grouping timeline only, in seconds: no categories, no stated-use expectations), {@code --show
 * SIGNAL,SIGNAL} (signal values to log).
 */
public final class CampaignTimelineProbe {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignTimelineProbe.class);

  private static List<String> show = List.of();
  private static boolean principals;

  private CampaignTimelineProbe() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      o.put(
          args[i],
          args[i].equals("--no-embed") || args[i].equals("--principals") ? "true" : args[++i]);
    }
    String name = o.getOrDefault("--split", "tune");
    principals = o.containsKey("--principals");
    Set<CampaignKind> kinds = new HashSet<>();
    for (String k : o.getOrDefault("--kinds", "SWARM_BROAD,SWARM_NARROW").split(",")) {
      CampaignKind kind = CampaignKind.valueOf(k);
      if (kind.role() == CampaignKind.Role.LEGIT) {
        // The timeline follows a group; ordinary accounts belong to none.
        throw new IllegalArgumentException(
            "--kinds " + k + ": its accounts form no group; give campaign or hard-negative kinds");
      }
      kinds.add(kind);
    }
    Policy policy =
        o.containsKey("--policy") ? Policy.load(Path.of(o.get("--policy"))) : Policy.loadDefault();
    PromptPool pool =
        PromptPool.load(
            Datasets.locate(o.get("--datasets")),
            name.equals("tune") ? PromptPool.Split.TUNE : PromptPool.Split.REPORT);
    double scale = Double.parseDouble(o.getOrDefault("--scale", "0.3"));
    long seed = Long.parseLong(o.getOrDefault("--seed", "1001"));
    // Without embeddings only the grouping timeline means anything: no query has a category and no
    // account a stated-use expectation.
    PreparedSplit split =
        o.containsKey("--no-embed")
            ? new PreparedSplit(
                name,
                seed,
                CampaignTrafficBuilder.build(pool, scale, seed),
                null,
                Map.of(),
                List.of("-"),
                0)
            : PreparedSplit.prepare(
                name,
                pool,
                scale,
                seed,
                Path.of(o.getOrDefault("--work", "bench/target/campaigns")).resolve("embeddings"));
    show =
        List.of(o.getOrDefault("--show", "").split(",")).stream()
            .filter(x -> !x.isBlank())
            .toList();
    replay(split, policy, kinds, Integer.parseInt(o.getOrDefault("--steps", "10")));
  }

  private static void replay(
      PreparedSplit split, Policy policy, Set<CampaignKind> kinds, int steps) {
    CampaignTraffic traffic = split.traffic();
    Map<String, CampaignLabel> labels = traffic.labelsById();
    Map<String, Long> totals = new HashMap<>();
    for (QueryEvent e : traffic.events()) {
      CampaignLabel l = labels.get(e.accountId());
      if (l != null && kinds.contains(l.kind())) {
        totals.merge(l.groupId(), 1L, Long::sum);
      }
    }
    CampaignDetector detector = new CampaignDetector(() -> policy, split.categories());
    PerAccountBaseline ownRules =
        split.observations() == null ? null : new PerAccountBaseline(split.categories(), policy);
    List<RegisteredProfile> profiles = new ArrayList<>(traffic.profiles());
    Map<String, Long> profileAt = traffic.profileEntryMillis();
    profiles.sort(Comparator.comparing((RegisteredProfile p) -> profileAt.get(p.accountId())));
    PopulationPrior.feed(
        detector,
        policy.campaigns().links(),
        split.categories().get(0),
        profileAt.get(profiles.get(0).accountId()) - 1);
    Map<String, Long> seen = new HashMap<>();
    Map<String, Integer> logged = new HashMap<>();
    Map<String, Integer> together = new HashMap<>();
    Set<String> raised = new HashSet<>();
    Set<String> explained = new HashSet<>();
    int next = 0;
    for (int i = 0; i < traffic.events().size(); i++) {
      QueryEvent e = traffic.events().get(i);
      long now = e.timestamp().toEpochMilli();
      while (next < profiles.size() && profileAt.get(profiles.get(next).accountId()) <= now) {
        RegisteredProfile p = profiles.get(next++);
        detector.profile(
            CampaignDetectorRun.contractProfile(p),
            split.expectedCategories().getOrDefault(p.accountId(), Set.of()),
            profileAt.get(p.accountId()));
      }
      detector.observe(
          e, split.observations() == null ? null : split.observations().get(i).category());
      if (ownRules != null) {
        // As the benchmark's replay does: the account's own level after each of its queries.
        detector.ownLevel(e.accountId(), ownRules.observe(split.observations().get(i)));
      }
      CampaignLabel l = labels.get(e.accountId());
      if (l == null || !kinds.contains(l.kind())) {
        continue;
      }
      String g = l.groupId();
      long n = seen.merge(g, 1L, Long::sum);
      long total = totals.get(g);
      CampaignView v = dominant(detector, g, labels);
      int mine = v == null ? 0 : count(v, g, labels);
      boolean flagged = v != null && v.level().isAbove(Level.WATCH);
      int step = (int) (n * steps / total);
      boolean log = false;
      String why = "";
      if (mine > together.getOrDefault(g, 0)) {
        together.put(g, mine);
        log = true;
        why = "members together " + mine;
      }
      if (flagged && raised.add(g)) {
        log = true;
        why = "RAISED";
      }
      if (step > logged.getOrDefault(g, 0)) {
        logged.put(g, step);
        log = true;
        why = why.isEmpty() ? "step" : why;
      }
      if (v != null) {
        explainForeignMembers(detector, v, g, labels, explained);
      }
      if (log) {
        LOG.info(
            "{} {} {}/{} ({}) {}: {}",
            l.kind(),
            g,
            n,
            total,
            String.format(Locale.ROOT, "%.1f%%", 100.0 * n / total),
            why,
            v == null ? "no group" : describe(v, mine, others(v, g, labels), policy));
      }
    }
  }

  private static CampaignView dominant(
      CampaignDetector detector, String group, Map<String, CampaignLabel> labels) {
    Map<String, Integer> votes = new HashMap<>();
    for (CampaignLabel l : labels.values()) {
      if (group.equals(l.groupId())) {
        (principals ? detector.principalOf(l.accountId()) : detector.campaignOf(l.accountId()))
            .ifPresent(id -> votes.merge(id, 1, Integer::sum));
      }
    }
    return votes.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .flatMap(en -> detector.campaign(en.getKey()))
        .orElse(null);
  }

  private static int count(CampaignView v, String group, Map<String, CampaignLabel> labels) {
    int c = 0;
    for (String m : v.members()) {
      CampaignLabel l = labels.get(m);
      if (l != null && group.equals(l.groupId())) {
        c++;
      }
    }
    return c;
  }

  /**
   * Logs, once per account, how a member that is not the group's own is tied to the group: each of
   * its links with the key's type, weight and the kinds of the members on it.
   */
  private static void explainForeignMembers(
      CampaignDetector detector,
      CampaignView v,
      String group,
      Map<String, CampaignLabel> labels,
      Set<String> explained) {
    for (String m : v.members()) {
      CampaignLabel l = labels.get(m);
      if ((l != null && group.equals(l.groupId())) || !explained.add(group + "|" + m)) {
        continue;
      }
      StringBuilder sb = new StringBuilder();
      for (CampaignLink link : detector.linksOf(v.id(), m)) {
        Map<String, Integer> on = new TreeMap<>();
        for (String other : link.members()) {
          CampaignLabel o = labels.get(other);
          on.merge(
              o == null ? "unlabelled" : group.equals(o.groupId()) ? "own" : o.kind().name(),
              1,
              Integer::sum);
        }
        sb.append(String.format(Locale.ROOT, " %s:%.2f%s", link.key().type(), link.weight(), on));
      }
      LOG.info(
          "{} {}: {} ({}) joined {}; its links{}",
          l == null ? "?" : l.kind(),
          group,
          m,
          l == null ? "unlabelled" : l.kind(),
          v.id(),
          sb);
    }
  }

  /** The kinds of the members that are not the group's own, with their counts ("LEGIT x2"). */
  private static String others(CampaignView v, String group, Map<String, CampaignLabel> labels) {
    Map<String, Integer> kinds = new TreeMap<>();
    for (String m : v.members()) {
      CampaignLabel l = labels.get(m);
      if (l == null || !group.equals(l.groupId())) {
        kinds.merge(l == null ? "unlabelled" : l.kind().name(), 1, Integer::sum);
      }
    }
    List<String> parts = new ArrayList<>();
    kinds.forEach((k, n) -> parts.add(k + " x" + n));
    return String.join(", ", parts);
  }

  private static String describe(CampaignView v, int mine, String others, Policy policy) {
    SignalSnapshot s = v.signals();
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s members %d (own %d%s) queries %d level %s;",
                v.id(),
                v.members().size(),
                mine,
                others.isEmpty() ? "" : "; others " + others,
                s.queriesObserved(),
                v.level()));
    for (String sig : show) {
      sb.append(String.format(Locale.ROOT, " %s=%.3f", sig, s.get(sig)));
    }
    sb.append("; links");
    for (CampaignView.LinkSummary l : v.links()) {
      sb.append(String.format(Locale.ROOT, " %s:%.2f:%d", l.type(), l.weight(), l.members()));
    }
    sb.append(';');
    for (CampaignRule r : policy.campaigns().rules()) {
      List<String> failing = new ArrayList<>();
      if (s.get("members") < r.minMembers()) {
        failing.add("members<" + r.minMembers());
      }
      if (s.queriesObserved() < r.minQueries()) {
        failing.add("queries<" + r.minQueries());
      }
      if (r.condition() instanceof Condition.AllOf all) {
        for (Condition c : all.members()) {
          if (c instanceof Condition.Threshold t && !t.test(r.name(), s, new ArrayList<>())) {
            failing.add(
                String.format(
                    Locale.ROOT,
                    "%s=%.3f(%s%s)",
                    t.signal(),
                    s.get(t.signal()),
                    t.op().symbol(),
                    t.threshold()));
          }
        }
      }
      sb.append(' ')
          .append(r.name())
          .append(failing.isEmpty() ? " HOLDS" : " " + String.join(",", failing))
          .append(';');
    }
    return sb.toString();
  }
}
