package io.distillguard.signals;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An ordered set of signal names and the position of each: the layout of the values of a {@link
 * SignalSnapshot}. One layout serves every snapshot of a kind (the account signals' is {@link
 * Signals#LAYOUT}), so a snapshot is an array of values, not a map built for every event.
 */
public final class SignalNames {

  private final List<String> names;
  private final Map<String, Integer> positions;

  private SignalNames(List<String> names) {
    this.names = List.copyOf(names);
    this.positions = new HashMap<>(this.names.size() * 2);
    for (int i = 0; i < this.names.size(); i++) {
      if (positions.put(this.names.get(i), i) != null) {
        throw new IllegalArgumentException("duplicate signal name: " + this.names.get(i));
      }
    }
  }

  /** A layout of {@code names} in their iteration order. */
  public static SignalNames of(Collection<String> names) {
    return new SignalNames(List.copyOf(names));
  }

  /** How many names. */
  public int size() {
    return names.size();
  }

  /** The name at {@code position}. */
  public String name(int position) {
    return names.get(position);
  }

  /** The names in order. */
  public List<String> names() {
    return names;
  }

  /** The position of {@code name}, or -1 when this layout does not hold it. */
  public int position(String name) {
    Integer p = positions.get(name);
    return p == null ? -1 : p;
  }
}
