package io.distillguard.bench.detection;

import io.distillguard.detect.AccountDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.detect.Evaluation;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.signals.SignalSnapshot;
import io.distillguard.signals.Signals;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A fast policy-tuning aid, not the benchmark: runs the rules-level detection (enrichment, account
 * signals, {@link AccountDetector} with a policy file) in one thread over a benchmark split written
 * with {@code --precomputed-embeddings}, and writes one TSV line per account with its label, its
 * final level, the query counts of its first REVIEW and first WATCH-or-above, the rules that ever
 * fired for it, and its last signal snapshot plus the highest value each signal reached. Lets a
 * policy change be tried on the tune split in seconds; the numbers that count come from {@link
 * DetectionBenchmark}, through the real pipeline.
 *
 * <p>Usage: {@code PolicyHarness SPLIT_DIR[,EXTENSION_DIR...] OUT.tsv [POLICY.yaml]}.
 */
public final class PolicyHarness {

  private PolicyHarness() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[1]);
    Policy policy = args.length > 2 ? Policy.load(Path.of(args[2])) : Policy.loadDefault();
    SplitObservations split = SplitObservations.readAll(args[0]);
    Map<String, AccountLabel> labels = split.labels();
    AccountDetector detector = new AccountDetector(() -> policy, split.categories());
    Map<String, DetectionState> states = new LinkedHashMap<>();
    Map<String, SignalSnapshot> last = new HashMap<>();
    Map<String, Map<String, Double>> max = new HashMap<>();
    Map<String, Long> firstReview = new HashMap<>();
    Map<String, Long> firstWatch = new HashMap<>();
    Map<String, Set<String>> fired = new HashMap<>();
    for (AccountObservation o : split.observations()) {
      DetectionState state = states.computeIfAbsent(o.accountId(), k -> detector.newState());
      Evaluation ev = detector.observe(state, o);
      last.put(o.accountId(), ev.signals());
      Map<String, Double> m = max.computeIfAbsent(o.accountId(), k -> new HashMap<>());
      ev.signals().values().forEach((k, v) -> m.merge(k, v, Math::max));
      ev.decision()
          .reasons()
          .forEach(r -> fired.computeIfAbsent(o.accountId(), k -> new TreeSet<>()).add(r.rule()));
      if (ev.level() != Level.OK && ev.level().isAutomatic()) {
        firstWatch.putIfAbsent(o.accountId(), state.queriesObserved());
      }
      if (ev.level().isAbove(Level.WATCH) && ev.level().isAutomatic()) {
        firstReview.putIfAbsent(o.accountId(), state.queriesObserved());
      }
    }
    List<String> names = List.copyOf(Signals.ALL);
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
      StringBuilder header =
          new StringBuilder(
              "account\tkind\tcampaign\tqueries\tlevel\tfirst_review\tfirst_watch\trules");
      names.forEach(n -> header.append('\t').append(n));
      names.forEach(n -> header.append("\tmax_").append(n));
      w.println(header);
      states.forEach(
          (id, state) -> {
            AccountLabel l = labels.get(id);
            StringBuilder row = new StringBuilder();
            row.append(id)
                .append('\t')
                .append(l == null ? "?" : l.kind())
                .append('\t')
                .append(l != null && l.campaign())
                .append('\t')
                .append(state.queriesObserved())
                .append('\t')
                .append(state.level())
                .append('\t')
                .append(firstReview.getOrDefault(id, -1L))
                .append('\t')
                .append(firstWatch.getOrDefault(id, -1L))
                .append('\t')
                .append(String.join(",", fired.getOrDefault(id, Set.of())));
            names.forEach(n -> row.append('\t').append(fmt(last.get(id).get(n))));
            names.forEach(n -> row.append('\t').append(fmt(max.get(id).get(n))));
            w.println(row);
          });
    }
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
