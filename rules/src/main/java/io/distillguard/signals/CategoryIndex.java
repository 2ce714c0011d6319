package io.distillguard.signals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The taxonomy's category names in order and each name's position, shared by every account state
 * over the same names: one instance per distinct list ({@link #of}), so a million tracked accounts
 * hold one name map between them, and a state read back from a snapshot points at the same names as
 * every other instead of carrying its own copies. Immutable.
 */
final class CategoryIndex {

  /**
   * Distinct name lists kept: a JVM sees its taxonomy and the few versions a reload brings; beyond
   * this many, further lists get an index of their own instead of growing the table.
   */
  static final int MAX_SHARED = 64;

  private static final Table SHARED = new Table(MAX_SHARED);

  private final List<String> names;
  private final Map<String, Integer> positions;

  private CategoryIndex(List<String> names) {
    this.names = names;
    Map<String, Integer> p = new HashMap<>(names.size() * 2);
    for (int i = 0; i < names.size(); i++) {
      if (p.put(names.get(i), i) != null) {
        throw new IllegalArgumentException("duplicate category: " + names.get(i));
      }
    }
    this.positions = p;
  }

  /** The shared index over {@code names}, in their order. */
  static CategoryIndex of(List<String> names) {
    return SHARED.of(names);
  }

  /** Indexes by name list, at most {@code max} of them; past that, each list gets a fresh one. */
  static final class Table {
    private final int max;
    private final Map<List<String>, CategoryIndex> indexes = new ConcurrentHashMap<>();

    Table(int max) {
      this.max = max;
    }

    CategoryIndex of(List<String> names) {
      List<String> key = List.copyOf(names);
      CategoryIndex shared = indexes.get(key);
      if (shared != null) {
        return shared;
      }
      CategoryIndex fresh = new CategoryIndex(key);
      if (indexes.size() >= max) {
        return fresh;
      }
      CategoryIndex before = indexes.putIfAbsent(key, fresh);
      return before == null ? fresh : before;
    }

    int size() {
      return indexes.size();
    }
  }

  List<String> names() {
    return names;
  }

  int size() {
    return names.size();
  }

  /** The position of {@code name}, or {@code unknown} when it is not one of the names (or null). */
  int positionOf(String name, int unknown) {
    return name == null ? unknown : positions.getOrDefault(name, unknown);
  }
}
