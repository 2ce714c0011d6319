package io.distillguard.bench.detection;

import io.distillguard.observe.AccountObservation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a small sample of a split's enriched observations (no prompt text: category, similarities,
 * LSH signature, template fingerprint, times) for the rules module's scenario tests: the first
 * {@code LIMIT} queries of the first account of every kind. Run on the tune split only.
 *
 * <p>Usage: {@code ScenarioSampleExport SPLIT_DIR[,EXTENSION_DIR...] OUT.tsv [ACCOUNT,... LIMIT]}
 * (with the last two: the first LIMIT queries of each account named instead). Lines: {@code C <tab>
 * categories...}; {@code A <tab> account <tab> kind <tab> verified_at <tab> shares
 * (comma-separated) or -}; {@code O <tab> account <tab> event time <tab> category <tab> stated-use
 * similarity <tab> lsh (hex) <tab> template (hex) <tab> category similarity}.
 */
public final class ScenarioSampleExport {

  static final int LIMIT = 160;

  private ScenarioSampleExport() {}

  public static void main(String[] args) throws IOException {
    SplitObservations split = SplitObservations.readAll(args[0]);
    Map<AccountKind, String> chosen = new EnumMap<>(AccountKind.class);
    List<String> named = args.length > 3 ? List.of(args[2].split(",")) : List.of();
    int limit = args.length > 3 ? Integer.parseInt(args[3]) : LIMIT;
    Map<String, List<AccountObservation>> byAccount = new LinkedHashMap<>();
    named.forEach(a -> byAccount.put(a, new ArrayList<>()));
    for (AccountObservation o : split.observations()) {
      AccountKind kind = split.labels().get(o.accountId()).kind();
      String account =
          named.isEmpty() ? chosen.computeIfAbsent(kind, k -> o.accountId()) : o.accountId();
      if (account.equals(o.accountId()) && (named.isEmpty() || named.contains(account))) {
        List<AccountObservation> list = byAccount.computeIfAbsent(account, k -> new ArrayList<>());
        if (list.size() < limit) {
          list.add(o);
        }
      }
    }
    try (PrintWriter w =
        new PrintWriter(Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8))) {
      w.println("C\t" + String.join("\t", split.categories()));
      byAccount.forEach(
          (account, obs) -> {
            AccountObservation first = obs.get(0);
            StringBuilder shares = new StringBuilder();
            float[] s = first.statedUseCategoryShares();
            if (s == null) {
              shares.append('-');
            } else {
              for (int i = 0; i < s.length; i++) {
                shares.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", s[i]));
              }
            }
            w.printf(
                Locale.ROOT,
                "A\t%s\t%s\t%d\t%s%n",
                account,
                split.labels().get(account).kind(),
                first.verifiedAtMillis() == null ? -1 : first.verifiedAtMillis(),
                shares);
            for (AccountObservation o : obs) {
              w.printf(
                  Locale.ROOT,
                  "O\t%s\t%d\t%s\t%.4f\t%x\t%x\t%.4f%n",
                  account,
                  o.eventTimeMillis(),
                  o.category(),
                  o.statedUseSimilarity(),
                  o.lshSignature(),
                  o.templateFingerprint(),
                  o.categorySimilarity());
            }
          });
    }
  }
}
