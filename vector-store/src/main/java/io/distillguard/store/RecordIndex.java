package io.distillguard.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-memory index of the embedded store: every live record by (account, event), grouped by
 * account in {@link AccountRecords}, with the filters applied over it. Not thread-safe: the store
 * guards it with its read/write lock.
 */
final class RecordIndex {

  interface MatchVisitor {
    void visit(AccountRecords acct, int index);
  }

  /** The identity of a stored record: the event id is unique within its account only. */
  record RecordKey(String accountId, String eventId) {}

  private final int dim;
  // Keyed by (account, event): an event id reused by another account is another record.
  private final Map<RecordKey, IndexEntry> byId = new HashMap<>();
  private final Map<String, AccountRecords> accounts = new HashMap<>();
  private final Map<String, Integer> categoryIds = new HashMap<>();
  private long liveBytes;

  RecordIndex(int dim) {
    this.dim = dim;
  }

  /** Live records. */
  int size() {
    return byId.size();
  }

  int accountCount() {
    return accounts.size();
  }

  /** The account's records; null when it has none. */
  AccountRecords account(String accountId) {
    return accounts.get(accountId);
  }

  Collection<AccountRecords> accounts() {
    return accounts.values();
  }

  /** Bytes of the log entries that hold live records. */
  long liveBytes() {
    return liveBytes;
  }

  /** After a compaction, every byte on disk is live. */
  void liveBytes(long bytes) {
    liveBytes = bytes;
  }

  void forEachMatch(RecordFilter filter, MatchVisitor visitor) {
    int categoryId = -1;
    if (filter.category() != null) {
      Integer id = categoryIds.get(filter.category());
      if (id == null) {
        return;
      }
      categoryId = id;
    }
    long from = filter.fromMillis() == null ? Long.MIN_VALUE : filter.fromMillis();
    long to = filter.toMillis() == null ? Long.MAX_VALUE : filter.toMillis();
    if (filter.accountId() != null) {
      AccountRecords acct = accounts.get(filter.accountId());
      if (acct != null) {
        acct.forEach(categoryId, from, to, visitor);
      }
    } else {
      for (AccountRecords acct : accounts.values()) {
        acct.forEach(categoryId, from, to, visitor);
      }
    }
  }

  long count(RecordFilter filter) {
    if (filter.fromMillis() == null && filter.toMillis() == null && filter.category() == null) {
      if (filter.accountId() == null) {
        return byId.size();
      }
      AccountRecords acct = accounts.get(filter.accountId());
      return acct == null ? 0 : acct.size;
    }
    long[] n = {0};
    forEachMatch(filter, (acct, i) -> n[0]++);
    return n[0];
  }

  void put(
      String eventId,
      String accountId,
      long ts,
      String category,
      float[] vector,
      long location,
      int bytes) {
    RecordKey key = new RecordKey(accountId, eventId);
    IndexEntry existing = byId.get(key);
    if (existing != null) {
      liveBytes -= existing.bytes;
      existing.owner.set(existing.index, ts, categoryId(category), location, bytes, vector);
      liveBytes += bytes;
      return;
    }
    AccountRecords acct = accounts.computeIfAbsent(accountId, a -> new AccountRecords(a, dim));
    IndexEntry e = acct.add(eventId, ts, categoryId(category), location, bytes, vector);
    byId.put(key, e);
    liveBytes += bytes;
  }

  /** Drops one record, if indexed. */
  void remove(RecordKey key) {
    IndexEntry e = byId.remove(key);
    if (e == null) {
      return;
    }
    liveBytes -= e.bytes;
    AccountRecords owner = e.owner;
    owner.remove(e.index);
    if (owner.size == 0) {
      accounts.remove(owner.accountId);
    }
  }

  void removeAccount(String accountId) {
    AccountRecords acct = accounts.remove(accountId);
    if (acct == null) {
      return;
    }
    for (int i = 0; i < acct.size; i++) {
      byId.remove(new RecordKey(accountId, acct.entries[i].eventId));
      liveBytes -= acct.entries[i].bytes;
    }
  }

  /** The records older than {@code cutoffMillis}. */
  List<RecordKey> olderThan(long cutoffMillis) {
    List<RecordKey> expired = new ArrayList<>();
    for (AccountRecords acct : accounts.values()) {
      for (int i = 0; i < acct.size; i++) {
        if (acct.entries[i].timestampMillis < cutoffMillis) {
          expired.add(new RecordKey(acct.accountId, acct.entries[i].eventId));
        }
      }
    }
    return expired;
  }

  private int categoryId(String category) {
    return categoryIds.computeIfAbsent(category, c -> categoryIds.size());
  }
}
