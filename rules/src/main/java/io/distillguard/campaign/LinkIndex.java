package io.distillguard.campaign;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every live link key, in memory (the plain-Java counterpart of the ingest job's operator keyed by
 * link key): a key seen by one account only is an entry of a bounded table ({@link
 * SingleMemberKeys}, at most {@code maxSingleMemberKeys} of them, the one recorded longest ago
 * leaving first), and gets its own {@link KeyMembers} once a second account arrives. Member tables
 * whose members all expired are dropped on a sweep once the joins since the last sweep reach the
 * number of keys tracked (at least {@value #SWEEP_EVERY}), so the index holds the shared keys seen
 * within the TTL (about twice as many at most) at O(1) per join. Most keys are seen by one account
 * (each novel prompt's payload bands, a residential proxy's addresses): without the bound they
 * would grow with the traffic of a whole TTL. Not thread-safe.
 */
public final class LinkIndex {

  static final int SWEEP_EVERY = 10_000;

  /**
   * Keys seen by one account held at most by default: ~72-88 MB at 36-44 bytes each, every novel
   * key of ~220,000 queries with 9 such keys (8 payload bands and an address) each.
   */
  public static final int DEFAULT_MAX_SINGLE_MEMBER_KEYS = 2_000_000;

  private final Map<LinkKey, KeyMembers> keys = new HashMap<>();
  private final SingleMemberKeys singles;
  private long joins;

  /** With {@link #DEFAULT_MAX_SINGLE_MEMBER_KEYS}. */
  public LinkIndex() {
    this(DEFAULT_MAX_SINGLE_MEMBER_KEYS);
  }

  /**
   * @param maxSingleMemberKeys the most keys seen by one account only that are held (beyond, the
   *     one recorded longest ago is forgotten)
   */
  public LinkIndex(int maxSingleMemberKeys) {
    this.singles = new SingleMemberKeys(maxSingleMemberKeys);
  }

  /**
   * Records {@code accountId} on {@code key} at {@code atMillis}; the other members when the
   * account is new on the key (see {@link KeyMembers#add}).
   */
  public List<KeyMembers.Member> join(
      LinkKey key, String accountId, long atMillis, LinkSettings settings) {
    // A sweep visits every member table: it runs once the joins since the last one reach the number
    // of keys tracked (and at least SWEEP_EVERY), so its cost stays O(1) per join however many
    // tables there are.
    if (++joins >= Math.max(SWEEP_EVERY, trackedKeys())) {
      joins = 0;
      sweep(atMillis, settings);
    }
    KeyMembers shared = keys.get(key);
    if (shared != null) {
      return shared.add(accountId, atMillis, settings);
    }
    SingleMemberKeys.Sighting first =
        singles.see(SingleMemberKeys.hash(key), accountId, atMillis, settings.ttl().toMillis());
    if (first == null) {
      return List.of(); // the key's one account, as a table of its own would say
    }
    // A second account: the key gets its table, the first account in it as it was seen.
    shared = new KeyMembers(key);
    shared.add(first.accountId(), first.firstSeenMillis(), settings);
    shared.add(first.accountId(), first.lastSeenMillis(), settings);
    keys.put(key, shared);
    return shared.add(accountId, atMillis, settings);
  }

  /**
   * Drops member tables whose members all expired by {@code nowMillis} (stop-words are kept), and
   * the keys seen by one account whose account expired.
   */
  public void sweep(long nowMillis, LinkSettings settings) {
    keys.values().removeIf(k -> !k.isStopWord() && k.expire(nowMillis, settings));
    singles.expire(nowMillis - settings.ttl().toMillis());
  }

  /** The current weight of {@code key} (0 when it is not tracked). */
  public double weight(LinkKey key, LinkSettings settings) {
    KeyMembers k = keys.get(key);
    if (k != null) {
      return k.weight(settings);
    }
    return singles.holds(SingleMemberKeys.hash(key)) ? settings.weight(key.type(), 1) : 0.0;
  }

  /** The member table of {@code key}, or null (also for a key seen by one account only). */
  public KeyMembers get(LinkKey key) {
    return keys.get(key);
  }

  /** Keys tracked: member tables and keys seen by one account (expired ones until a sweep). */
  public int trackedKeys() {
    return keys.size() + singles.size();
  }

  /** Rough heap bytes of every table. */
  public long approxBytes() {
    long bytes = singles.approxBytes();
    for (KeyMembers k : keys.values()) {
      bytes += 64 + k.approxBytes();
    }
    return bytes;
  }
}
