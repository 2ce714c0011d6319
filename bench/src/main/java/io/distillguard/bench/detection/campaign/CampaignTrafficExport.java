package io.distillguard.bench.detection.campaign;

import io.distillguard.bench.Datasets;
import io.distillguard.bench.detection.PromptPool;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one split of the campaign benchmark's traffic (profiles with the optional registration
 * fields, events, labels apart) for {@code ./distillguard replay} and logs its size per kind.
 *
 * <p>Usage: {@code CampaignTrafficExport OUT_DIR [tune|report] [SEED] [SCALE] [DATASETS]}.
 */
public final class CampaignTrafficExport {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignTrafficExport.class);

  private CampaignTrafficExport() {}

  public static void main(String[] args) {
    Path out = Path.of(args[0]);
    PromptPool.Split split =
        PromptPool.Split.valueOf((args.length > 1 ? args[1] : "report").toUpperCase(Locale.ROOT));
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 2002;
    double scale = args.length > 3 ? Double.parseDouble(args[3]) : 1.0;
    PromptPool pool = PromptPool.load(Datasets.locate(args.length > 4 ? args[4] : null), split);
    CampaignTraffic traffic = CampaignTrafficBuilder.build(pool, scale, seed);
    traffic.write(out);
    summary(traffic).forEach((k, v) -> LOG.info("{}: {}", k, v));
    LOG.info(
        "Wrote {} profiles and {} events to {}",
        traffic.profiles().size(),
        traffic.events().size(),
        out);
  }

  /** Per kind: accounts, groups, events. */
  static Map<CampaignKind, String> summary(CampaignTraffic traffic) {
    Map<CampaignKind, int[]> n = new EnumMap<>(CampaignKind.class);
    Map<CampaignKind, Set<String>> groups = new EnumMap<>(CampaignKind.class);
    for (CampaignLabel l : traffic.labels()) {
      int[] c = n.computeIfAbsent(l.kind(), k -> new int[2]);
      c[0]++;
      c[1] += l.queries();
      if (l.groupId() != null) {
        groups.computeIfAbsent(l.kind(), k -> new HashSet<>()).add(l.groupId());
      }
    }
    Map<CampaignKind, String> out = new EnumMap<>(CampaignKind.class);
    n.forEach(
        (k, c) ->
            out.put(
                k,
                String.format(
                    Locale.ROOT,
                    "%d accounts in %d groups, %d events",
                    c[0],
                    groups.getOrDefault(k, Set.of()).size(),
                    c[1])));
    return out;
  }
}
