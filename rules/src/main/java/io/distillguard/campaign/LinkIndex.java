package io.distillguard.campaign;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every live link key with its {@link KeyMembers}, in memory (the plain-Java counterpart of the
 * ingest job's operator keyed by link key). Keys whose members all expired are dropped on a sweep
 * once the joins since the last sweep reach the number of keys (at least {@value #SWEEP_EVERY}), so
 * the index holds the keys seen within the TTL (about twice as many at most) at O(1) per join. Not
 * thread-safe.
 */
public final class LinkIndex {

  static final int SWEEP_EVERY = 10_000;

  private final Map<LinkKey, KeyMembers> keys = new HashMap<>();
  private long joins;

  /**
   * Records {@code accountId} on {@code key} at {@code atMillis}; the other members when the
   * account is new on the key (see {@link KeyMembers#add}).
   */
  public List<KeyMembers.Member> join(
      LinkKey key, String accountId, long atMillis, LinkSettings settings) {
    // A sweep visits every key: it runs once the joins since the last one reach the number of
    // keys (and at least SWEEP_EVERY), so its cost stays O(1) per join however many keys there are.
    if (++joins >= Math.max(SWEEP_EVERY, keys.size())) {
      joins = 0;
      sweep(atMillis, settings);
    }
    return keys.computeIfAbsent(key, KeyMembers::new).add(accountId, atMillis, settings);
  }

  /** Drops keys whose members all expired by {@code nowMillis} (stop-words are kept). */
  public void sweep(long nowMillis, LinkSettings settings) {
    keys.values().removeIf(k -> !k.isStopWord() && k.expire(nowMillis, settings));
  }

  /** The current weight of {@code key} (0 when it is not tracked). */
  public double weight(LinkKey key, LinkSettings settings) {
    KeyMembers k = keys.get(key);
    return k == null ? 0.0 : k.weight(settings);
  }

  /** The table of {@code key}, or null. */
  public KeyMembers get(LinkKey key) {
    return keys.get(key);
  }

  public int trackedKeys() {
    return keys.size();
  }

  /** Rough heap bytes of every table. */
  public long approxBytes() {
    long bytes = 0;
    for (KeyMembers k : keys.values()) {
      bytes += 64 + k.approxBytes();
    }
    return bytes;
  }
}
