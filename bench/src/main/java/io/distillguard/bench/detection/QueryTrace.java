package io.distillguard.bench.detection;

import io.distillguard.detect.AccountDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.detect.Evaluation;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Policy;
import io.distillguard.signals.AccountSignals;
import io.distillguard.signals.QueryFeatures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A tuning aid for the TUNE split: one TSV line per query with what the detector saw (the query's
 * category index, its {@link QueryFeatures} bits, its novelty cell, its stated-use similarity), the
 * signals named on the command line after the query, the level and the rules firing, so candidate
 * signals can be tried offline before one is built into {@link AccountSignals}. The query's
 * category similarity, prompt length, template fingerprint and full LSH signature are written too,
 * so candidate signals over them can be measured before they exist.
 *
 * <p>Usage: {@code QueryTrace SPLIT_DIR[,EXTENSION_DIR...] OUT.tsv SIGNAL,SIGNAL... [POLICY.yaml]}.
 */
public final class QueryTrace {

  private QueryTrace() {}

  public static void main(String[] args) throws IOException {
    SplitObservations split = SplitObservations.readAll(args[0]);
    List<String> names =
        args[2].equals("all")
            ? List.copyOf(io.distillguard.signals.Signals.ALL)
            : List.of(args[2].split(","));
    Policy policy = args.length > 3 ? Policy.load(Path.of(args[3])) : Policy.loadDefault();
    AccountDetector detector = new AccountDetector(() -> policy, split.categories());
    Map<String, DetectionState> states = new HashMap<>();
    Map<String, AccountSignals> shadow = new HashMap<>();
    try (PrintWriter w =
        new PrintWriter(Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8))) {
      w.println(
          "account\tkind\tq\tt\tcat\tmask\tcell\tsim\tcatsim\tchars\ttemplate\tlsh\t"
              + String.join("\t", names)
              + "\tlevel\trules");
      for (AccountObservation o : split.observations()) {
        String id = o.accountId();
        DetectionState state = states.computeIfAbsent(id, k -> detector.newState());
        AccountSignals mirror =
            shadow.computeIfAbsent(id, k -> AccountSignals.create(split.categories()));
        int mask = mirror.record(o, policy.eventTime());
        Evaluation ev = detector.observe(state, o, policy);
        AccountLabel l = split.labels().get(id);
        int cat = split.categories().indexOf(o.category() == null ? "" : o.category());
        StringBuilder row = new StringBuilder();
        row.append(id)
            .append('\t')
            .append(l == null ? "?" : l.kind())
            .append('\t')
            .append(state.queriesObserved())
            .append('\t')
            .append(o.eventTimeMillis())
            .append('\t')
            .append(cat)
            .append('\t')
            .append(mask)
            .append('\t')
            .append(o.lshSignature() >>> 52)
            .append('\t')
            .append(String.format(Locale.ROOT, "%.3f", o.statedUseSimilarity()))
            .append('\t')
            .append(String.format(Locale.ROOT, "%.3f", o.categorySimilarity()))
            .append('\t')
            .append(o.promptChars())
            .append('\t')
            .append(Long.toHexString(o.templateFingerprint()))
            .append('\t')
            .append(Long.toHexString(o.lshSignature()));
        for (String n : names) {
          row.append('\t').append(String.format(Locale.ROOT, "%.3f", ev.signals().get(n)));
        }
        TreeSet<String> rules = new TreeSet<>();
        ev.decision().reasons().forEach(r -> rules.add(r.rule()));
        row.append('\t').append(ev.level()).append('\t').append(String.join(",", rules));
        w.println(row);
      }
    }
  }
}
