package io.distillguard.actors.campaign;

import io.distillguard.actors.CborSerializable;
import java.util.HashMap;
import java.util.Map;

/**
 * What a campaign remembers of its erasures, without naming an erased account: the journal sequence
 * number of its latest {@code MemberErased} fact and, for each member that joined after an erasure,
 * the fact in force when it joined. Enough to tell, durably and across restarts, that a word the
 * campaign decided about an account (a member flag, by the journal event {@code seq}) was decided
 * before that account's erasure: {@link #voids}.
 *
 * @param factSeq the latest erasure fact's sequence number; 0 when the campaign never lost a member
 * @param memberFrom for each member that joined after an erasure: {@code factSeq} at its joining
 *     (so a word older than that is about a history erased before it joined, even when the same
 *     account id joined again with a new history)
 */
public record ErasureMarks(long factSeq, Map<String, Long> memberFrom) implements CborSerializable {

  /** A campaign that never lost a member. */
  public static final ErasureMarks NONE = new ErasureMarks(0, Map.of());

  public ErasureMarks {
    memberFrom = memberFrom == null ? Map.of() : Map.copyOf(memberFrom);
  }

  /**
   * Whether the campaign's word about {@code accountId}, decided by its journal event {@code seq},
   * is about an erased history: decided before the latest erasure fact, and the account is no
   * member now ({@code member} false) or joined (again) only after an erasure that followed the
   * word.
   */
  public boolean voids(String accountId, long seq, boolean member) {
    if (seq >= factSeq) {
      return false;
    }
    return !member || seq < memberFrom.getOrDefault(accountId, 0L);
  }

  /** After the erasure fact {@code seq} that removed {@code accountId}. */
  ErasureMarks erased(String accountId, long seq) {
    Map<String, Long> from = new HashMap<>(memberFrom);
    from.remove(accountId);
    return new ErasureMarks(Math.max(factSeq, seq), from);
  }

  /** After {@code accountId} joined the campaign (unchanged before the first erasure). */
  ErasureMarks joined(String accountId) {
    if (factSeq == 0) {
      return this;
    }
    Map<String, Long> from = new HashMap<>(memberFrom);
    from.put(accountId, factSeq);
    return new ErasureMarks(factSeq, from);
  }
}
