package io.distillguard.signals;

import java.util.Map;

/**
 * The values of every signal of one account at one event time, by signal name (names are the
 * constants in {@code Signals}). Immutable; what rules are evaluated against and what webhooks and
 * the HTTP API show.
 *
 * @param queriesObserved the account's event count so far
 * @param eventTimeMillis event time of the last observation folded in
 * @param values signal name to value
 */
public record SignalSnapshot(
    long queriesObserved, long eventTimeMillis, Map<String, Double> values) {
  public SignalSnapshot {
    values = Map.copyOf(values);
  }

  public double get(String signal) {
    Double v = values.get(signal);
    if (v == null) {
      throw new IllegalArgumentException("unknown signal: " + signal);
    }
    return v;
  }
}
