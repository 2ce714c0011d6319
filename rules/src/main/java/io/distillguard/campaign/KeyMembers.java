package io.distillguard.campaign;

import io.distillguard.signals.Hashing;
import io.distillguard.signals.HyperLogLog;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bounded member table of one link key: the accounts seen on it (first and last seen, event
 * time), at most {@link LinkSettings#maxMembersPerKey()} of them (the least recently seen leaves
 * first), members unseen for the TTL expire, and once the table overflows the number of distinct
 * accounts goes on in a HyperLogLog of 1 KiB (3% error). Once that count reaches the kind's
 * stop-word count the key keeps no members at all. So a key costs at most {@code maxMembers}
 * entries plus 1 KiB, however many accounts share it. Not thread-safe: one owner (a keyed operator,
 * an index).
 */
public final class KeyMembers {

  /**
   * The table as plain arrays, for a state backend (a Flink keyed state, a snapshot): members in
   * least-recently-seen-first order.
   */
  public record Snapshot(
      String[] accounts,
      long[] firstSeen,
      long[] lastSeen,
      byte[] registers,
      boolean stopWord,
      double count) {}

  /** One member: when it was first and last seen on the key (event time, ms). */
  public record Member(String accountId, long firstSeenMillis, long lastSeenMillis) {}

  private final LinkKey key;
  private final LinkedHashMap<String, long[]> members = new LinkedHashMap<>(4, 0.75f, true);
  // Created when the table first overflows: until then the members are every account seen
  // within the TTL, and most keys (a payload band, a rare IP) never need the sketch.
  private HyperLogLog accounts;
  private boolean stopWord;
  // The sketch's estimate costs a pass over its registers: refreshed only when an account that is
  // not a current member arrives (a current member's hash is already in the sketch).
  private double count;

  public KeyMembers(LinkKey key) {
    this.key = key;
    this.accounts = null;
  }

  private KeyMembers(LinkKey key, HyperLogLog accounts) {
    this.key = key;
    this.accounts = accounts;
  }

  /** The table as plain arrays. */
  public Snapshot snapshot() {
    int n = members.size();
    String[] ids = new String[n];
    long[] first = new long[n];
    long[] last = new long[n];
    int i = 0;
    for (Map.Entry<String, long[]> e : members.entrySet()) {
      ids[i] = e.getKey();
      first[i] = e.getValue()[0];
      last[i] = e.getValue()[1];
      i++;
    }
    return new Snapshot(
        ids, first, last, accounts == null ? null : accounts.registers(), stopWord, count);
  }

  /** The table a {@link #snapshot()} was taken of. */
  public static KeyMembers restore(LinkKey key, Snapshot s) {
    KeyMembers k =
        new KeyMembers(key, s.registers() == null ? null : HyperLogLog.of(10, s.registers()));
    for (int i = 0; i < s.accounts().length; i++) {
      k.members.put(s.accounts()[i], new long[] {s.firstSeen()[i], s.lastSeen()[i]});
    }
    k.stopWord = s.stopWord();
    k.count = s.count();
    return k;
  }

  public LinkKey key() {
    return key;
  }

  /**
   * Records that {@code accountId} was seen on the key at {@code atMillis}.
   *
   * @return the other current members when the account is new on the key (the accounts it is now
   *     linked with), else an empty list; always empty for a stop-word
   */
  public List<Member> add(String accountId, long atMillis, LinkSettings settings) {
    if (stopWord) {
      return List.of();
    }
    if (accounts != null && !members.containsKey(accountId)) {
      accounts.add(Hashing.hash(accountId));
      count = accounts.estimate();
    }
    if (reachedStopWord(settings)) {
      return List.of();
    }
    expire(atMillis, settings);
    long[] seen = members.get(accountId);
    if (seen != null) {
      seen[1] = Math.max(seen[1], atMillis);
      return List.of();
    }
    List<Member> others = members();
    members.put(accountId, new long[] {atMillis, atMillis});
    if (accounts == null && members.size() > settings.maxMembersPerKey()) {
      accounts = new HyperLogLog(10);
      for (String id : members.keySet()) {
        accounts.add(Hashing.hash(id));
      }
      count = accounts.estimate();
    }
    while (members.size() > settings.maxMembersPerKey()) {
      Iterator<String> eldest = members.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
    // The account that brings the count to the stop-word count makes the key one: a key that
    // stopped at exactly that count would otherwise keep its members, expire with them and start
    // counting again from nothing.
    return reachedStopWord(settings) ? List.of() : others;
  }

  /**
   * Makes the key a stop-word, without members, once its count reaches the kind's stop-word count.
   */
  private boolean reachedStopWord(LinkSettings settings) {
    if (accountCount() >= settings.stopWordAccounts(key.kind())) {
      stopWord = true;
      members.clear();
    }
    return stopWord;
  }

  /** Drops members unseen for the TTL before {@code nowMillis}; true when none is left. */
  public boolean expire(long nowMillis, LinkSettings settings) {
    long cutoff = nowMillis - settings.ttl().toMillis();
    // Least recently seen first: stop at the first member still within the TTL.
    Iterator<long[]> it = members.values().iterator();
    while (it.hasNext()) {
      if (it.next()[1] >= cutoff) {
        break;
      }
      it.remove();
    }
    return members.isEmpty();
  }

  /** The current members (at most {@code maxMembersPerKey}). */
  public List<Member> members() {
    List<Member> out = new ArrayList<>(members.size());
    for (Map.Entry<String, long[]> e : members.entrySet()) {
      out.add(new Member(e.getKey(), e.getValue()[0], e.getValue()[1]));
    }
    return out;
  }

  public boolean contains(String accountId) {
    return members.containsKey(accountId);
  }

  /** Distinct accounts ever seen on the key (a HyperLogLog estimate, exact-ish when small). */
  public double accountCount() {
    return Math.max(members.size(), count);
  }

  public boolean isStopWord() {
    return stopWord;
  }

  /** The key's current weight (0 for a stop-word), see {@link LinkSettings#weight}. */
  public double weight(LinkSettings settings) {
    return stopWord ? 0.0 : settings.weight(key.type(), accountCount());
  }

  /** Rough heap bytes of this table: entries, their ids and the sketch. */
  public long approxBytes() {
    long bytes = 96 + (accounts == null ? 0 : 1024 + 16) + 64;
    for (String id : members.keySet()) {
      bytes += 48 + 40 + 2L * id.length() + 32;
    }
    return bytes;
  }
}
