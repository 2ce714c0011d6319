package io.distillguard.detect;

import io.distillguard.policy.Level;
import io.distillguard.signals.AccountSignals;
import io.distillguard.signals.SignalSnapshot;
import io.distillguard.signals.StateIO;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the detector keeps about one account: its signals, the ids of its recent events, its
 * level and the hysteresis bookkeeping of each rule. Mutable (owned by one account actor; {@link
 * AccountDetector#observe} mutates it), compact (a few KB; no prompts), and serializable to a
 * deterministic binary form for actor snapshots: {@code fromBytes(s.toBytes()).toBytes()} equals
 * {@code s.toBytes()}.
 */
public final class DetectionState {

  private static final int MAGIC = 0xD6;
  private static final int FORMAT = 1;

  /** Hysteresis of one rule: consecutive evaluations it has held, since which event time. */
  static final class Hold {
    int consecutive;
    long sinceMillis;

    Hold(int consecutive, long sinceMillis) {
      this.consecutive = consecutive;
      this.sinceMillis = sinceMillis;
    }
  }

  final AccountSignals signals;
  final RecentIds recentIds;
  // TreeMap: a deterministic iteration order, hence deterministic bytes.
  final Map<String, Hold> holds;
  Level level = Level.OK;

  /** Event time at which the current level was last supported by a firing rule (or set). */
  long lastSupportedMillis = Long.MIN_VALUE;

  /** Event time at which the current level was entered. */
  long levelSinceMillis = Long.MIN_VALUE;

  /** The account's volume when a reviewer last cleared it; -1 if never. */
  long clearedAtQueries = -1;

  long clearedAtMillis = Long.MIN_VALUE;

  DetectionState(List<String> categories) {
    this(AccountSignals.create(categories), new RecentIds(), new TreeMap<>());
  }

  private DetectionState(AccountSignals signals, RecentIds recentIds, Map<String, Hold> holds) {
    this.signals = signals;
    this.recentIds = recentIds;
    this.holds = holds;
  }

  /** The account's current level. */
  public Level level() {
    return level;
  }

  /** Distinct events folded in (duplicates excluded). */
  public long queriesObserved() {
    return signals.queriesObserved();
  }

  /** The sequential evidence score now. */
  public double evidenceScore() {
    return signals.evidence();
  }

  /** The signal values now. */
  public SignalSnapshot signals() {
    return signals.snapshot();
  }

  /** The category names the state counts. */
  public List<String> categories() {
    return signals.categories();
  }

  /** Event time the current level was entered, or {@code Long.MIN_VALUE} if never changed. */
  public long levelSinceMillis() {
    return levelSinceMillis;
  }

  /** The account's volume when a reviewer last cleared it; -1 if never cleared. */
  public long clearedAtQueries() {
    return clearedAtQueries;
  }

  /**
   * What the policy decided into this state: the level, when it was entered and last supported, and
   * each rule's hold. Everything else in the state is a function of the observations alone.
   *
   * @param holds rule name to its hold, for the rules holding now
   */
  public record Hysteresis(
      Level level, long levelSinceMillis, long lastSupportedMillis, Map<String, RuleHold> holds) {
    public Hysteresis {
      holds = Map.copyOf(holds);
    }
  }

  /** How long one rule has held: consecutive evaluations, since which event time. */
  public record RuleHold(int consecutive, long sinceMillis) {}

  /** The policy-decided part of this state (see {@link Hysteresis}). */
  public Hysteresis hysteresis() {
    Map<String, RuleHold> h = new TreeMap<>();
    holds.forEach((k, v) -> h.put(k, new RuleHold(v.consecutive, v.sinceMillis)));
    return new Hysteresis(level, levelSinceMillis, lastSupportedMillis, h);
  }

  /** Sets the policy-decided part of this state to a recorded {@link Hysteresis}. */
  public void restore(Hysteresis h) {
    level = h.level();
    levelSinceMillis = h.levelSinceMillis();
    lastSupportedMillis = h.lastSupportedMillis();
    holds.clear();
    h.holds().forEach((k, v) -> holds.put(k, new Hold(v.consecutive(), v.sinceMillis())));
  }

  /** A deep copy. */
  public DetectionState copy() {
    Map<String, Hold> h = new TreeMap<>();
    holds.forEach((k, v) -> h.put(k, new Hold(v.consecutive, v.sinceMillis)));
    DetectionState c = new DetectionState(signals.copy(), recentIds.copy(), h);
    c.level = level;
    c.lastSupportedMillis = lastSupportedMillis;
    c.levelSinceMillis = levelSinceMillis;
    c.clearedAtQueries = clearedAtQueries;
    c.clearedAtMillis = clearedAtMillis;
    return c;
  }

  /** Compact, deterministic binary form. */
  public byte[] toBytes() {
    StateIO.Out out = new StateIO.Out();
    out.varint(MAGIC).varint(FORMAT);
    out.varint(level.ordinal())
        .signed(lastSupportedMillis)
        .signed(levelSinceMillis)
        .signed(clearedAtQueries)
        .signed(clearedAtMillis);
    out.varint(holds.size());
    holds.forEach(
        (name, hold) -> out.string(name).varint(hold.consecutive).signed(hold.sinceMillis));
    recentIds.write(out);
    signals.writeTo(out);
    return out.toByteArray();
  }

  /**
   * Restores a state written by {@link #toBytes()}.
   *
   * @throws IllegalArgumentException if the bytes are not a detection state
   */
  public static DetectionState fromBytes(byte[] bytes) {
    StateIO.In in = new StateIO.In(bytes);
    if (in.varint() != MAGIC) {
      throw new IllegalArgumentException("not a detection state");
    }
    int format = in.varintInt();
    if (format != FORMAT) {
      throw new IllegalArgumentException("unsupported detection state format " + format);
    }
    int levelOrdinal = in.varintInt();
    Level[] levels = Level.values();
    if (levelOrdinal >= levels.length) {
      throw new IllegalArgumentException("bad level " + levelOrdinal);
    }
    long lastSupported = in.signed();
    long levelSince = in.signed();
    long clearedAtQueries = in.signed();
    long clearedAtMillis = in.signed();
    int holdCount = in.varintInt();
    Map<String, Hold> holds = new TreeMap<>();
    for (int i = 0; i < holdCount; i++) {
      String name = in.string();
      holds.put(name, new Hold(in.varintInt(), in.signed()));
    }
    RecentIds ids = RecentIds.read(in);
    AccountSignals signals = AccountSignals.readFrom(in);
    if (!in.atEnd()) {
      throw new IllegalArgumentException("trailing bytes after detection state");
    }
    DetectionState s = new DetectionState(signals, ids, holds);
    s.level = levels[levelOrdinal];
    s.lastSupportedMillis = lastSupported;
    s.levelSinceMillis = levelSince;
    s.clearedAtQueries = clearedAtQueries;
    s.clearedAtMillis = clearedAtMillis;
    return s;
  }

  @Override
  public String toString() {
    return "DetectionState[level=" + level + ", queries=" + queriesObserved() + "]";
  }
}
