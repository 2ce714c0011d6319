package io.distillguard.signals;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The values of every signal of one account (or campaign) at one event time, by signal name (names
 * are the constants in {@code Signals} and {@code CampaignSignals}). Immutable; what rules are
 * evaluated against and what webhooks and the HTTP API show.
 *
 * <p>The values are one array in the order of a {@link SignalNames} layout shared by every snapshot
 * of its kind: the detector takes a snapshot for every event, so a snapshot costs one array, not a
 * map. {@link #values()} is a read-only map of it in layout order, built when first asked. As JSON
 * (an account snapshot carries one) it is {@code {"queriesObserved", "eventTimeMillis", "values":
 * {name: value}}}.
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.NONE,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
public final class SignalSnapshot {

  private final long queriesObserved;
  private final long eventTimeMillis;
  private final SignalNames names;
  private final double[] values;
  private Map<String, Double> view;

  private SignalSnapshot(
      long queriesObserved, long eventTimeMillis, SignalNames names, double[] values) {
    if (values.length != names.size()) {
      throw new IllegalArgumentException(
          values.length + " values for a layout of " + names.size() + " signals");
    }
    this.queriesObserved = queriesObserved;
    this.eventTimeMillis = eventTimeMillis;
    this.names = names;
    this.values = values;
  }

  /**
   * A snapshot of {@code values} (copied; no null value), in their iteration order.
   *
   * @param queriesObserved the account's event count so far
   * @param eventTimeMillis event time of the last observation folded in
   * @param values signal name to value
   */
  @JsonCreator
  public SignalSnapshot(
      @JsonProperty("queriesObserved") long queriesObserved,
      @JsonProperty("eventTimeMillis") long eventTimeMillis,
      @JsonProperty("values") Map<String, Double> values) {
    this(queriesObserved, eventTimeMillis, SignalNames.of(values.keySet()), unboxed(values));
  }

  /** A snapshot that owns {@code values}, laid out as {@code names}: the caller lets go of it. */
  static SignalSnapshot wrap(
      long queriesObserved, long eventTimeMillis, SignalNames names, double[] values) {
    return new SignalSnapshot(queriesObserved, eventTimeMillis, names, values);
  }

  private static double[] unboxed(Map<String, Double> values) {
    double[] out = new double[values.size()];
    int i = 0;
    for (Double v : values.values()) {
      out[i++] = Objects.requireNonNull(v, "a signal value is null");
    }
    return out;
  }

  /** The account's event count so far. */
  @JsonProperty("queriesObserved")
  public long queriesObserved() {
    return queriesObserved;
  }

  /** Event time of the last observation folded in. */
  @JsonProperty("eventTimeMillis")
  public long eventTimeMillis() {
    return eventTimeMillis;
  }

  /** The value of {@code signal}; an unknown name is an error. */
  public double get(String signal) {
    int p = names.position(signal);
    if (p < 0) {
      throw new IllegalArgumentException("unknown signal: " + signal);
    }
    return values[p];
  }

  /** Signal name to value, read-only, in layout order. */
  @JsonProperty("values")
  public Map<String, Double> values() {
    Map<String, Double> v = view;
    if (v == null) {
      Map<String, Double> m = new LinkedHashMap<>(values.length * 2);
      for (int i = 0; i < values.length; i++) {
        m.put(names.name(i), values[i]);
      }
      v = Collections.unmodifiableMap(m);
      view = v;
    }
    return v;
  }

  /**
   * The finite values by signal name, sorted (what an API shows: a signal that cannot be computed,
   * NaN or infinite, is left out).
   */
  public java.util.SortedMap<String, Double> finiteValues() {
    java.util.SortedMap<String, Double> out = new java.util.TreeMap<>();
    values()
        .forEach(
            (k, v) -> {
              if (Double.isFinite(v)) {
                out.put(k, v);
              }
            });
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignalSnapshot s
        && queriesObserved == s.queriesObserved
        && eventTimeMillis == s.eventTimeMillis
        && (names == s.names ? Arrays.equals(values, s.values) : values().equals(s.values()));
  }

  @Override
  public int hashCode() {
    return Objects.hash(queriesObserved, eventTimeMillis, values());
  }

  @Override
  public String toString() {
    return "SignalSnapshot[queriesObserved="
        + queriesObserved
        + ", eventTimeMillis="
        + eventTimeMillis
        + ", values="
        + values()
        + "]";
  }
}
