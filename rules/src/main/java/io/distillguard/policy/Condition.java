package io.distillguard.policy;

import io.distillguard.signals.SignalSnapshot;
import java.util.List;

/**
 * A test over a signal snapshot: a threshold on one signal, or all / any of nested conditions. When
 * it holds, {@link #test} appends a {@link Reason} for every threshold that contributed.
 */
public sealed interface Condition {

  /**
   * True when the condition holds for {@code signals}; if so, the reasons are appended to {@code
   * reasons} (nothing is appended otherwise).
   */
  boolean test(String rule, SignalSnapshot signals, List<Reason> reasons);

  /** How a signal's value is compared with the threshold. */
  enum Comparison {
    AT_LEAST(">="),
    AT_MOST("<="),
    ABOVE(">"),
    BELOW("<");

    private final String symbol;

    Comparison(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    boolean holds(double value, double threshold) {
      return switch (this) {
        case AT_LEAST -> value >= threshold;
        case AT_MOST -> value <= threshold;
        case ABOVE -> value > threshold;
        case BELOW -> value < threshold;
      };
    }

    /** The comparison written as {@code >=}, {@code <=}, {@code >} or {@code <}; null if none. */
    public static Comparison ofSymbol(String s) {
      for (Comparison c : values()) {
        if (c.symbol.equals(s)) {
          return c;
        }
      }
      return null;
    }
  }

  /** {@code signal op threshold}. */
  record Threshold(String signal, Comparison op, double threshold) implements Condition {
    @Override
    public boolean test(String rule, SignalSnapshot signals, List<Reason> reasons) {
      double value = signals.get(signal);
      if (op.holds(value, threshold)) {
        reasons.add(new Reason(rule, signal, value, threshold));
        return true;
      }
      return false;
    }
  }

  /** Holds when every member holds. */
  record AllOf(List<Condition> members) implements Condition {
    public AllOf {
      members = List.copyOf(members);
    }

    @Override
    public boolean test(String rule, SignalSnapshot signals, List<Reason> reasons) {
      int mark = reasons.size();
      for (Condition c : members) {
        if (!c.test(rule, signals, reasons)) {
          // Take back what the members before this one appended.
          reasons.subList(mark, reasons.size()).clear();
          return false;
        }
      }
      return true;
    }
  }

  /** Holds when at least one member holds; the reasons of every member that holds are kept. */
  record AnyOf(List<Condition> members) implements Condition {
    public AnyOf {
      members = List.copyOf(members);
    }

    @Override
    public boolean test(String rule, SignalSnapshot signals, List<Reason> reasons) {
      boolean any = false;
      for (Condition c : members) {
        any |= c.test(rule, signals, reasons);
      }
      return any;
    }
  }
}
