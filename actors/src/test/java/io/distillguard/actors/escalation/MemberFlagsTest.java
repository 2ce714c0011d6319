package io.distillguard.actors.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.StateDatabase;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The member flags a campaign's erasure fact withdraws (on H2): those the campaign enqueued before
 * the fact for an account it no longer holds, and no other.
 */
class MemberFlagsTest {

  private static final List<Reason> REASONS = List.of(new Reason("split-sweep", "members", 3, 3));

  @TempDir Path dir;

  @Test
  void anErasureFactWithdrawsTheFlagsOnTheirWayToTheErasedMemberOnly() {
    try (StateDatabase db =
        StateDatabase.open("jdbc:h2:file:" + dir.resolve("state") + ";WRITE_DELAY=0", "sa", "")) {
      db.transact(
          c -> {
            // Enqueued by a batch in flight during the erasure of "gone" (fact at seq 20).
            MemberFlags.enqueue(c, "gone", "cmp-x", Level.REVIEW, 12, REASONS, 1L);
            MemberFlags.enqueue(c, "kept", "cmp-x", Level.REVIEW, 12, REASONS, 1L);
            // Another campaign's flag for the same account, and one after the fact.
            MemberFlags.enqueue(c, "gone", "cmp-y", Level.REVIEW, 5, REASONS, 1L);
            MemberFlags.enqueue(c, "gone", "cmp-x", Level.REVIEW, 21, REASONS, 1L);
            return null;
          });

      int withdrawn =
          db.transact(c -> MemberFlags.withdraw(c, "cmp-x", 20, Set.of("kept")::contains));

      assertThat(withdrawn).isEqualTo(1);
      assertThat(rows(db)).containsExactly("kept cmp-x 12", "gone cmp-y 5", "gone cmp-x 21");
    }
  }

  private static List<String> rows(StateDatabase db) {
    return db.transact(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT account_id, campaign_id, campaign_seq FROM dg_member_flag ORDER BY id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3));
            }
          }
          return out;
        });
  }
}
