package io.distillguard.bench.detection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The prompts benchmark accounts draw from: each legitimate domain's rows, the broad capability
 * space campaigns sweep (weighted by source), the open-ended conversational sets and the narrow
 * slices of swarm members. Every draw uses the builder's random source, so the traffic stays
 * deterministic per seed.
 */
final class PromptMix {

  private record Weighted(List<PromptPool.Row> rows, double weight) {}

  private final Random rng;
  private final Map<String, List<PromptPool.Row>> domainRows = new LinkedHashMap<>();
  private final List<Weighted> broad = new ArrayList<>();
  private final List<Weighted> conversational = new ArrayList<>();
  private final List<NarrowSlices.Slice> narrowSlices;

  PromptMix(PromptPool pool, Random rng) {
    this.rng = rng;
    for (AppDomain d : AppDomain.LEGIT) {
      List<PromptPool.Row> rows = new ArrayList<>();
      d.sources().forEach(s -> rows.addAll(pool.select(s.source(), s.domains())));
      domainRows.put(d.name(), rows);
    }
    broad.add(new Weighted(pool.source("mmlu"), 0.24));
    broad.add(new Weighted(pool.source("p3_t0_sample"), 0.20));
    broad.add(new Weighted(pool.source("math"), 0.10));
    broad.add(new Weighted(pool.source("gsm8k"), 0.07));
    broad.add(new Weighted(pool.source("humaneval"), 0.02));
    broad.add(new Weighted(pool.source("mbpp"), 0.03));
    broad.add(new Weighted(pool.source("conala"), 0.04));
    for (String s : NarrowSlices.INSTRUCTION_SETS) {
      broad.add(new Weighted(pool.source(s), 0.26 / NarrowSlices.INSTRUCTION_SETS.size()));
      conversational.add(new Weighted(pool.source(s), 1.0));
    }
    narrowSlices = List.copyOf(NarrowSlices.of(pool));
  }

  /** A prompt of the legitimate domain {@code d}. */
  PromptPool.Row fromDomain(AppDomain d) {
    List<PromptPool.Row> rows = domainRows.get(d.name());
    return rows.get(rng.nextInt(rows.size()));
  }

  /** A prompt of the broad capability space, sources weighted as a sweep mixes them. */
  PromptPool.Row broad() {
    return fromWeighted(broad);
  }

  /** An open-ended request of the instruction sets (what a general assistant is asked). */
  PromptPool.Row conversational() {
    return fromWeighted(conversational);
  }

  /** The narrow slices swarm members take, each with a stated use that matches it. */
  List<NarrowSlices.Slice> narrowSlices() {
    return narrowSlices;
  }

  /** A draw not in {@code seen} (up to 20 tries), added to it. */
  PromptPool.Row novel(Set<PromptPool.Row> seen, Supplier<PromptPool.Row> draw) {
    for (int attempt = 0; attempt < 20; attempt++) {
      PromptPool.Row r = draw.get();
      if (seen.add(r)) {
        return r;
      }
    }
    return draw.get();
  }

  /**
   * {@code n} distinct prompts of the broad space in systematic order: one subject at a time (a
   * source's domain: an mmlu subject, a p3 task family, a maths topic, one instruction set), {@code
   * perSubject} prompts of it, subjects in random order, each visited once until all were.
   */
  List<PromptPool.Row> ordered(int n, int perSubject) {
    Map<String, List<PromptPool.Row>> subjects = new LinkedHashMap<>();
    for (Weighted w : broad) {
      for (PromptPool.Row r : w.rows()) {
        subjects.computeIfAbsent(r.source() + "/" + r.domain(), k -> new ArrayList<>()).add(r);
      }
    }
    List<List<PromptPool.Row>> order = new ArrayList<>();
    for (List<PromptPool.Row> rows : subjects.values()) {
      List<PromptPool.Row> shuffled = new ArrayList<>(rows);
      Collections.shuffle(shuffled, rng);
      order.add(shuffled);
    }
    Collections.shuffle(order, rng);
    List<PromptPool.Row> out = new ArrayList<>(n);
    for (int from = 0; out.size() < n; from += perSubject) {
      boolean any = false;
      for (List<PromptPool.Row> rows : order) {
        for (int i = from; i < Math.min(rows.size(), from + perSubject) && out.size() < n; i++) {
          out.add(rows.get(i));
          any = true;
        }
      }
      if (!any) {
        break;
      }
    }
    return out;
  }

  private PromptPool.Row fromWeighted(List<Weighted> mix) {
    double total = 0;
    for (Weighted w : mix) {
      if (!w.rows().isEmpty()) {
        total += w.weight();
      }
    }
    double x = rng.nextDouble() * total;
    for (Weighted w : mix) {
      if (w.rows().isEmpty()) {
        continue;
      }
      x -= w.weight();
      if (x <= 0) {
        return w.rows().get(rng.nextInt(w.rows().size()));
      }
    }
    Weighted last = mix.get(mix.size() - 1);
    return last.rows().get(rng.nextInt(last.rows().size()));
  }
}
