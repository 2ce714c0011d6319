package io.distillguard.bench.detection;

import io.distillguard.observe.AccountObservation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures, on a labelled split, whether the order of an account's prompts separates systematic
 * sweeps from the rest before any signal is built on it. Per account, over its payload categories
 * in event order: the share of consecutive prompts in the same category (stickiness), the share of
 * category switches that go back to a category the account had already left (returns), and the
 * distinct categories. Prints per kind the median, min and max over accounts. Run on the TUNE split
 * only.
 *
 * <p>Usage: {@code OrderProbe SPLIT_DIR[,EXTENSION_DIR...]}.
 */
public final class OrderProbe {

  private static final Logger LOG = LoggerFactory.getLogger(OrderProbe.class);

  private OrderProbe() {}

  /** One account's order statistics. */
  record Order(double stickiness, double returns, int distinct) {}

  public static void main(String[] args) throws IOException {
    SplitObservations split = SplitObservations.readAll(args[0]);
    Map<String, List<String>> cats = new LinkedHashMap<>();
    for (AccountObservation o : split.observations()) {
      cats.computeIfAbsent(o.accountId(), k -> new ArrayList<>())
          .add(o.category() == null ? "" : o.category());
    }
    Map<AccountKind, List<Order>> byKind = new EnumMap<>(AccountKind.class);
    cats.forEach(
        (id, seq) ->
            byKind
                .computeIfAbsent(split.labels().get(id).kind(), k -> new ArrayList<>())
                .add(order(seq)));
    LOG.info(
        "kind | accounts | stickiness median (min-max) | returns median (min-max) | distinct median");
    byKind.forEach(
        (kind, list) ->
            LOG.info(
                String.format(
                    Locale.ROOT,
                    "%-24s %3d  %s  %s  %d",
                    kind,
                    list.size(),
                    spread(list.stream().map(Order::stickiness).toList()),
                    spread(list.stream().map(Order::returns).toList()),
                    list.stream().map(Order::distinct).sorted().toList().get(list.size() / 2))));
  }

  static Order order(List<String> seq) {
    int same = 0;
    int switches = 0;
    int returns = 0;
    Set<String> left = new HashSet<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < seq.size(); i++) {
      String c = seq.get(i);
      seen.add(c);
      if (i == 0) {
        continue;
      }
      String prev = seq.get(i - 1);
      if (c.equals(prev)) {
        same++;
      } else {
        switches++;
        if (left.contains(c)) {
          returns++;
        }
        left.add(prev);
      }
    }
    return new Order(
        seq.size() < 2 ? 0 : same / (double) (seq.size() - 1),
        switches == 0 ? 0 : returns / (double) switches,
        seen.size());
  }

  private static String spread(List<Double> v) {
    List<Double> s = v.stream().sorted().toList();
    return String.format(
        Locale.ROOT, "%.2f (%.2f-%.2f)", s.get(s.size() / 2), s.get(0), s.get(s.size() - 1));
  }
}
