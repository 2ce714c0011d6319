package io.distillguard.bench.detection;

import io.distillguard.contract.QueryEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks that the benchmark's labels cannot be read off one superficial feature. For each feature
 * (answer length, prompt length, client software, IP sharing, model, fixed template phrases) it
 * trains a one-feature detector on the tune split (threshold and orientation with the best balanced
 * accuracy, or per-value campaign rates for categorical features) and evaluates it on the report
 * split: AUC (best orientation, so 0.5 = useless and 1 = a perfect leak) and balanced accuracy of
 * the tune threshold. A benchmark whose labels one of these separates measures that feature, not
 * detection.
 */
public final class LeakProbe {

  /** The AUC above which a single feature counts as a leak. */
  public static final double MAX_AUC = 0.70;

  /**
   * One feature's result.
   *
   * @param feature what the one-feature detector looks at
   * @param tuneAuc separation on the split it was trained on
   * @param reportAuc AUC on the other split of the rule's orientation learnt on the tune split
   * @param reportBalancedAccuracy balanced accuracy of the tune-trained rule on the other split
   * @param detail the trained rule, in words
   */
  public record Result(
      String feature,
      double tuneAuc,
      double reportAuc,
      double reportBalancedAccuracy,
      String detail) {

    /** True when the feature separates the labels by itself. */
    public boolean leaks() {
      return reportAuc > MAX_AUC;
    }
  }

  /** Per-account view of a split's traffic. */
  private static final class Accounts {
    final List<String> ids = new ArrayList<>();
    final Map<String, List<QueryEvent>> events = new LinkedHashMap<>();
    final Map<String, Boolean> campaign = new HashMap<>();
    final Map<String, Integer> accountsPerIp = new HashMap<>();

    Accounts(TrafficBuilder.Traffic traffic) {
      traffic.labels().forEach(l -> campaign.put(l.accountId(), l.campaign()));
      for (QueryEvent e : traffic.events()) {
        events.computeIfAbsent(e.accountId(), k -> new ArrayList<>()).add(e);
      }
      ids.addAll(events.keySet());
      Map<String, Set<String>> byIp = new HashMap<>();
      for (QueryEvent e : traffic.events()) {
        if (e.client() != null && e.client().ip() != null) {
          byIp.computeIfAbsent(e.client().ip(), k -> new HashSet<>()).add(e.accountId());
        }
      }
      byIp.forEach((ip, set) -> accountsPerIp.put(ip, set.size()));
    }

    boolean[] labels() {
      boolean[] y = new boolean[ids.size()];
      for (int i = 0; i < y.length; i++) {
        y[i] = campaign.getOrDefault(ids.get(i), false);
      }
      return y;
    }

    double[] numeric(Function<List<QueryEvent>, Double> f) {
      double[] x = new double[ids.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = f.apply(events.get(ids.get(i)));
      }
      return x;
    }

    List<String> categorical(Function<List<QueryEvent>, String> f) {
      return ids.stream().map(id -> f.apply(events.get(id))).toList();
    }
  }

  /** The fixed first part of every request template the traffic uses. */
  private static final List<String> TEMPLATE_PREFIXES =
      CallerHabits.TEMPLATES.stream().map(t -> t.substring(0, t.indexOf("{text}"))).toList();

  private static final List<String> MARKERS = List.of("- ", "User: ");

  private LeakProbe() {}

  /**
   * Trains every one-feature detector on {@code tune} and evaluates it on {@code report}.
   *
   * @param contentPhrases phrases of the datasets' own texts (see {@link #contentPhrases})
   */
  public static List<Result> run(
      TrafficBuilder.Traffic tune, TrafficBuilder.Traffic report, Set<String> contentPhrases) {
    Accounts t = new Accounts(tune);
    Accounts r = new Accounts(report);
    List<Result> out = new ArrayList<>();
    numeric(out, "mean completion_tokens (answer length)", t, r, LeakProbe::meanCompletion);
    numeric(
        out,
        "median completion_tokens",
        t,
        r,
        es -> median(es, e -> (double) nz(e.completionTokens())));
    numeric(
        out, "mean prompt length (chars)", t, r, es -> mean(es, e -> (double) e.prompt().length()));
    numeric(
        out,
        "median prompt length (chars)",
        t,
        r,
        es -> median(es, e -> (double) e.prompt().length()));
    numeric(out, "mean prompt_tokens", t, r, es -> mean(es, e -> (double) nz(e.promptTokens())));
    numeric(out, "accounts sharing the account's IP (max)", t, r, es -> ipShare(es, t, r));
    numeric(
        out,
        "distinct IPs used",
        t,
        r,
        es -> (double) es.stream().map(e -> e.client().ip()).distinct().count());
    numeric(
        out,
        "share of prompts with \"step by step\"",
        t,
        r,
        es -> share(es, e -> e.prompt().toLowerCase(Locale.ROOT).contains("step by step")));
    numeric(
        out,
        "share of prompts with a request template",
        t,
        r,
        es -> share(es, e -> TEMPLATE_PREFIXES.stream().anyMatch(e.prompt()::contains)));
    categorical(out, "client.user_agent", t, r, es -> es.get(0).client().userAgent());
    categorical(out, "client.ip first octet", t, r, es -> es.get(0).client().ip().split("\\.")[0]);
    categorical(out, "model", t, r, es -> es.get(0).model());
    out.add(bestPhrase(t, r, contentPhrases));
    out.add(bestPhrase(t, r, null));
    return out;
  }

  /** AUC of the score in the orientation learnt on the tune split. */
  private static double oriented(double[] x, boolean[] y, boolean upward) {
    double a = Metrics.auc(x, y);
    return upward ? a : 1 - a;
  }

  /**
   * The line-leading phrases of the datasets' own texts: content, not a caller's template. The
   * fixed-phrase probe skips them (a sweep of MMLU contains MMLU's answer options; that is what a
   * content detector should see, not a leak).
   */
  public static Set<String> contentPhrases(PromptPool... pools) {
    Set<String> out = new HashSet<>();
    for (PromptPool pool : pools) {
      for (String source : PromptPool.SOURCES) {
        for (PromptPool.Row row : pool.source(source)) {
          for (String line : row.text().split("\n")) {
            if (!line.isBlank()) {
              out.add(leading(line));
            }
          }
        }
      }
    }
    return out;
  }

  private static void numeric(
      List<Result> out, String name, Accounts t, Accounts r, Function<List<QueryEvent>, Double> f) {
    double[] xt = t.numeric(f);
    boolean[] yt = t.labels();
    double[] xr = r.numeric(f);
    boolean[] yr = r.labels();
    Metrics.Cut cut = Metrics.bestCut(xt, yt);
    out.add(
        new Result(
            name,
            Metrics.separation(xt, yt),
            oriented(xr, yr, cut.upward()),
            Metrics.balancedAccuracy(xr, yr, cut.threshold(), cut.upward()),
            String.format(
                Locale.ROOT, "campaign if %s %.3g", cut.upward() ? ">=" : "<=", cut.threshold())));
  }

  private static void categorical(
      List<Result> out, String name, Accounts t, Accounts r, Function<List<QueryEvent>, String> f) {
    List<String> vt = t.categorical(f);
    boolean[] yt = t.labels();
    Map<String, double[]> counts = new HashMap<>();
    for (int i = 0; i < vt.size(); i++) {
      double[] c = counts.computeIfAbsent(vt.get(i), k -> new double[2]);
      c[yt[i] ? 1 : 0]++;
    }
    double prior = 0;
    for (boolean b : yt) {
      prior += b ? 1 : 0;
    }
    double base = prior / yt.length;
    Function<String, Double> score =
        v -> {
          double[] c = counts.get(v);
          // Smoothed campaign rate of the value, the prior where the value was not seen.
          return c == null ? base : (c[1] + 2 * base) / (c[0] + c[1] + 2);
        };
    double[] st = vt.stream().mapToDouble(score::apply).toArray();
    List<String> vr = r.categorical(f);
    double[] sr = vr.stream().mapToDouble(score::apply).toArray();
    boolean[] yr = r.labels();
    Metrics.Cut cut = Metrics.bestCut(st, yt);
    out.add(
        new Result(
            name,
            Metrics.separation(st, yt),
            Metrics.auc(sr, yr),
            Metrics.balancedAccuracy(sr, yr, cut.threshold(), cut.upward()),
            counts.size() + " values, per-value campaign rate"));
  }

  /**
   * The fixed phrase (the first three words of any line of a prompt: preambles, templates,
   * conversation and context markers) whose per-account share best separates the tune labels.
   */
  private static Result bestPhrase(Accounts t, Accounts r, Set<String> contentPhrases) {
    Map<String, Map<String, Double>> tShares = phraseShares(t);
    Map<String, Integer> accountsWith = new HashMap<>();
    tShares
        .values()
        .forEach(
            m ->
                m.keySet().stream()
                    .filter(p -> contentPhrases == null || !contentPhrases.contains(p))
                    .forEach(p -> accountsWith.merge(p, 1, Integer::sum)));
    List<String> candidates =
        accountsWith.entrySet().stream()
            .filter(e -> e.getValue() >= 3)
            .sorted((a, b) -> b.getValue() - a.getValue())
            .limit(500)
            .map(Map.Entry::getKey)
            .toList();
    boolean[] yt = t.labels();
    String best = null;
    double bestAuc = 0.5;
    for (String p : candidates) {
      double auc = Metrics.separation(shareVector(t, tShares, p), yt);
      if (auc > bestAuc) {
        bestAuc = auc;
        best = p;
      }
    }
    if (best == null) {
      return new Result("best fixed phrase", 0.5, 0.5, 0.5, "no phrase shared by 3 accounts");
    }
    double[] xt = shareVector(t, tShares, best);
    Metrics.Cut cut = Metrics.bestCut(xt, yt);
    double[] xr = shareVector(r, phraseShares(r), best);
    boolean[] yr = r.labels();
    return new Result(
        (contentPhrases == null
                ? "best phrase incl. dataset text (content, informational)"
                : "best fixed phrase added by callers")
            + " (line-leading 3 words, of "
            + candidates.size()
            + ")",
        bestAuc,
        oriented(xr, yr, cut.upward()),
        Metrics.balancedAccuracy(xr, yr, cut.threshold(), cut.upward()),
        "\"" + best + "\"");
  }

  private static double[] shareVector(
      Accounts a, Map<String, Map<String, Double>> shares, String phrase) {
    double[] x = new double[a.ids.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = shares.get(a.ids.get(i)).getOrDefault(phrase, 0.0);
    }
    return x;
  }

  /** Per account: each line-leading phrase and the share of its prompts that contain it. */
  private static Map<String, Map<String, Double>> phraseShares(Accounts a) {
    Map<String, Map<String, Double>> out = new HashMap<>();
    for (String id : a.ids) {
      List<QueryEvent> es = a.events.get(id);
      Map<String, Double> counts = new HashMap<>();
      for (QueryEvent e : es) {
        Set<String> phrases = new HashSet<>();
        for (String line : e.prompt().split("\n")) {
          if (!line.isBlank()) {
            phrases.add(leading(line));
          }
        }
        phrases.forEach(p -> counts.merge(p, 1.0 / es.size(), Double::sum));
      }
      out.put(id, counts);
    }
    return out;
  }

  static String leading(String line) {
    String text = line.trim();
    // List and role markers are formatting: what follows them is the phrase that counts (and is
    // content when it comes from the datasets).
    for (String marker : MARKERS) {
      if (text.startsWith(marker)) {
        text = text.substring(marker.length()).trim();
      }
    }
    String[] words = text.toLowerCase(Locale.ROOT).split("\\s+", 4);
    return String.join(" ", java.util.Arrays.copyOf(words, Math.min(3, words.length)));
  }

  private static double ipShare(List<QueryEvent> es, Accounts t, Accounts r) {
    Map<String, Integer> perIp =
        t.events.containsKey(es.get(0).accountId()) ? t.accountsPerIp : r.accountsPerIp;
    return es.stream().mapToInt(e -> perIp.getOrDefault(e.client().ip(), 1)).max().orElse(1);
  }

  private static double meanCompletion(List<QueryEvent> es) {
    return mean(es, e -> (double) nz(e.completionTokens()));
  }

  private static int nz(Integer v) {
    return v == null ? 0 : v;
  }

  private static double mean(List<QueryEvent> es, Function<QueryEvent, Double> f) {
    return es.stream().mapToDouble(f::apply).average().orElse(0);
  }

  private static double median(List<QueryEvent> es, Function<QueryEvent, Double> f) {
    return Metrics.quantile(es.stream().mapToDouble(f::apply).toArray(), 0.5);
  }

  private static double share(List<QueryEvent> es, java.util.function.Predicate<QueryEvent> p) {
    return es.isEmpty() ? 0 : (double) es.stream().filter(p).count() / es.size();
  }
}
