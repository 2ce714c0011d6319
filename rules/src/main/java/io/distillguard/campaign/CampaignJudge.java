package io.distillguard.campaign;

import io.distillguard.policy.Level;
import io.distillguard.signals.SignalSnapshot;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The decision state of every judged group (linked campaigns and organisation principals): when
 * each is due for evaluation, its {@link CampaignCase}, its latest signals, a reviewer's verdict
 * and who was a member at a confirmation; and from these a member's level through the group. The
 * signals themselves are computed by the caller ({@link CampaignState}); the rules applied by
 * {@link CampaignDecider}. Not thread-safe.
 */
final class CampaignJudge {

  /** One group's decision state. */
  static final class Judged {
    final CampaignCase decision = new CampaignCase();
    SignalSnapshot signals;
    long observationsSinceEvaluation;
    final Set<String> confirmedMembers = new HashSet<>();
  }

  private final Map<String, Judged> judged = new HashMap<>();
  private final Map<String, String> strongAfterConfirm = new HashMap<>();

  /** The state of {@code id}, or null when it was never judged. */
  Judged get(String id) {
    return judged.get(id);
  }

  Judged state(String id) {
    return judged.computeIfAbsent(id, k -> new Judged());
  }

  /**
   * Counts a member's query towards its group's next evaluation ({@link EvaluationCadence}). Adds
   * {@code id} to {@code due} when it is.
   */
  void count(String id, int members, Set<String> due) {
    if (due.contains(id)) {
      return;
    }
    Judged j = state(id);
    j.observationsSinceEvaluation++;
    if (EvaluationCadence.due(members, j.observationsSinceEvaluation)) {
      due.add(id);
    }
  }

  /** Applies a reviewer's verdict; a confirmation remembers who was a member then. */
  void review(String id, Level verdict, List<String> members, long atMillis) {
    Judged j = state(id);
    CampaignDecider.review(j.decision, verdict, members.size(), atMillis);
    j.confirmedMembers.clear();
    if (verdict == Level.CONFIRMED) {
      j.confirmedMembers.addAll(members);
    }
  }

  /** Groups merged into {@code survivor}: it keeps the further-advanced decision. */
  void merged(String survivor, Collection<String> absorbed) {
    Judged j = judged.get(survivor);
    for (String gone : absorbed) {
      // A reviewer's verdict first, then the higher level.
      Judged g = judged.remove(gone);
      if (g != null && (j == null || rank(g.decision.level()) > rank(j.decision.level()))) {
        judged.put(survivor, g);
        j = g;
      }
    }
  }

  /**
   * An account's level through the group {@code id}: the group's WATCH or REVIEW; for a CONFIRMED
   * group REVIEW, or THROTTLE for members at the confirmation and accounts that joined it later
   * through a strong link ({@code strongTo} tells whether the account links strongly to a member of
   * the group now; once true it is remembered).
   */
  Level memberLevel(String id, String accountId, BiPredicate<String, String> strongTo) {
    Judged j = judged.get(id);
    if (j == null) {
      return Level.OK;
    }
    return switch (j.decision.level()) {
      case WATCH -> Level.WATCH;
      case REVIEW -> Level.REVIEW;
      case CONFIRMED -> {
        boolean throttle = j.confirmedMembers.contains(accountId);
        if (!throttle && id.equals(strongAfterConfirm.get(accountId))) {
          throttle = true;
        } else if (!throttle && strongTo.test(id, accountId)) {
          strongAfterConfirm.put(accountId, id);
          throttle = true;
        }
        yield throttle ? Level.THROTTLE : Level.REVIEW;
      }
      default -> Level.OK;
    };
  }

  /** Drops a group's state (its last member is gone). */
  void drop(String id) {
    judged.remove(id);
  }

  /** Forgets what was remembered about an account. */
  void forget(String accountId) {
    strongAfterConfirm.remove(accountId);
  }

  static int rank(Level level) {
    return switch (level) {
      case OK -> 0;
      case WATCH -> 1;
      case REVIEW, THROTTLE -> 2;
      case CLEARED -> 3;
      case CONFIRMED -> 4;
    };
  }
}
