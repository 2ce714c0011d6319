package io.distillguard.bench.detection.campaign;

import io.distillguard.bench.Datasets;
import io.distillguard.bench.detection.PromptPool;
import io.distillguard.campaign.CampaignDetector;
import io.distillguard.campaign.CampaignView;
import io.distillguard.contract.QueryEvent;
import io.distillguard.policy.Policy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A diagnostic of the campaign grouping alone, in seconds: builds one split's traffic (no
 * embedding: grouping reads link keys, not categories), replays its profiles and queries through
 * {@link CampaignDetector} in event time (with the {@link PopulationPrior} unless {@code
 * --no-prior}), and logs every linked group of two or more accounts with its members' ground truth
 * (kind and group), so the groups that mix legitimate accounts and campaigns stand out. Read next
 * to the detector's DEBUG log of the edges that change groups ({@code
 * io.distillguard.campaign.CampaignDetector}); {@code --labels FILE} writes every account's kind
 * and group for that.
 *
 * <p>Options: {@code --split tune|report|unseen} (tune), {@code --scale X} (0.5), {@code --seed N}
 * (1001), {@code --datasets DIR}, {@code --policy FILE}, {@code --labels FILE}, {@code --no-prior},
 * {@code --signup-background N} (0: N other sign-ups per hour, {@link SignupBackground}).
 */
public final class CampaignGroupingProbe {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignGroupingProbe.class);

  private CampaignGroupingProbe() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--no-prior")) {
        o.put(args[i], "true");
      } else {
        o.put(args[i], args[++i]);
      }
    }
    String name = o.getOrDefault("--split", "tune");
    Policy policy =
        o.containsKey("--policy") ? Policy.load(Path.of(o.get("--policy"))) : Policy.loadDefault();
    PromptPool pool =
        PromptPool.load(
            Datasets.locate(o.get("--datasets")),
            name.equals("tune") ? PromptPool.Split.TUNE : PromptPool.Split.REPORT);
    CampaignTraffic traffic =
        CampaignTrafficBuilder.build(
            pool,
            Double.parseDouble(o.getOrDefault("--scale", "0.5")),
            Long.parseLong(o.getOrDefault("--seed", "1001")));
    if (o.containsKey("--labels")) {
      StringBuilder sb = new StringBuilder();
      for (CampaignLabel l : traffic.labels()) {
        sb.append(l.accountId()).append('\t').append(l.kind()).append('\t').append(l.groupId());
        sb.append('\n');
      }
      Files.writeString(Path.of(o.get("--labels")), sb.toString(), StandardCharsets.UTF_8);
    }
    LOG.info(
        "{} events, {} distinct prompts",
        traffic.events().size(),
        traffic.events().stream().map(QueryEvent::prompt).distinct().count());
    CampaignDetector detector =
        replay(
            traffic,
            policy,
            !o.containsKey("--no-prior"),
            Integer.parseInt(o.getOrDefault("--signup-background", "0")));
    Map<String, CampaignLabel> labels = traffic.labelsById();
    int mixed = 0;
    int legitInCampaignGroups = 0;
    List<CampaignView> views = new ArrayList<>(detector.campaigns());
    views.sort(Comparator.comparingInt((CampaignView v) -> -v.members().size()));
    for (CampaignView v : views) {
      if (v.kind() != CampaignView.Kind.LINKED) {
        continue;
      }
      Map<String, Integer> truth = new TreeMap<>();
      boolean anyCampaign = false;
      int legit = 0;
      for (String m : v.members()) {
        CampaignLabel l = labels.get(m);
        String key = l == null ? "?" : l.kind() + ":" + (l.groupId() == null ? "-" : l.groupId());
        truth.merge(key, 1, Integer::sum);
        if (l != null && l.campaign()) {
          anyCampaign = true;
        } else {
          legit++;
        }
      }
      if (truth.size() > 1) {
        mixed++;
      }
      if (anyCampaign) {
        legitInCampaignGroups += legit;
      }
      LOG.info("group {} size {}: {}", v.id(), v.members().size(), truth);
    }
    LOG.info(
        "{} linked groups, {} mixing ground-truth groups; {} legitimate accounts in groups with"
            + " campaign members",
        views.stream().filter(v -> v.kind() == CampaignView.Kind.LINKED).count(),
        mixed,
        legitInCampaignGroups);
  }

  /** Replays profiles (at sign-up or just before the first query) and queries, no categories. */
  static CampaignDetector replay(CampaignTraffic traffic, Policy policy, boolean prior) {
    return replay(traffic, policy, prior, 0);
  }

  /** As above, with {@code signupsPerHour} other sign-ups per hour ({@link SignupBackground}). */
  static CampaignDetector replay(
      CampaignTraffic traffic, Policy policy, boolean prior, int signupsPerHour) {
    SignupBackground background =
        new SignupBackground(prior ? signupsPerHour : 0, traffic.profiles());
    CampaignDetector detector = new CampaignDetector(() -> policy, List.of("a", "b"));
    List<RegisteredProfile> profiles = new ArrayList<>(traffic.profiles());
    Map<String, Long> at = traffic.profileEntryMillis();
    profiles.sort(Comparator.comparing((RegisteredProfile p) -> at.get(p.accountId())));
    if (prior && !profiles.isEmpty()) {
      PopulationPrior.feed(
          detector, policy.campaigns().links(), null, at.get(profiles.get(0).accountId()) - 1);
    }
    int next = 0;
    for (QueryEvent e : traffic.events()) {
      long now = e.timestamp().toEpochMilli();
      while (next < profiles.size() && at.get(profiles.get(next).accountId()) <= now) {
        RegisteredProfile p = profiles.get(next++);
        detector.profile(CampaignDetectorRun.contractProfile(p), Set.of(), at.get(p.accountId()));
      }
      background.beforeQuery(detector, e.accountId(), now);
      detector.observe(e, null);
    }
    return detector;
  }
}
