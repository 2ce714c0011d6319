package io.distillguard.actors.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.StateDatabase;
import io.distillguard.policy.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case queue's account side on the service's own database (H2 as in the local mode): an account
 * only its campaign's flag made a case is left out unless campaign members are asked for; an
 * account with a case of its own stays, campaign or not.
 */
class AccountIndexCasesTest {

  @TempDir Path dir;

  @Test
  void membersOnlyTheirCampaignFlaggedAreListedUnderTheCampaign() {
    try (StateDatabase db = open()) {
      AccountIndex index = new AccountIndex(db);
      db.transact(
          c -> {
            // Raised to REVIEW by its campaign only (its own rules say OK).
            index.upsert(c, "member", Level.REVIEW, Level.OK, 30, 1L);
            flag(c, "member");
            // REVIEW on its own evidence, and a campaign member too.
            index.upsert(c, "own-and-member", Level.REVIEW, Level.REVIEW, 30, 1L);
            flag(c, "own-and-member");
            // REVIEW on its own, in no campaign.
            index.upsert(c, "own", Level.REVIEW, Level.REVIEW, 30, 1L);
            // Watched by its rules, throttled by its confirmed campaign.
            index.upsert(c, "throttled-member", Level.THROTTLE, Level.WATCH, 30, 1L);
            flag(c, "throttled-member");
            // A later event without an own level keeps the one recorded.
            index.upsert(c, "member", Level.REVIEW, null, 31, 2L);
            return null;
          });
      assertThat(index.cases(Level.REVIEW, false, 100))
          .extracting(AccountIndex.Entry::accountId)
          .containsExactly("own", "own-and-member");
      assertThat(index.cases(Level.REVIEW, true, 100))
          .extracting(AccountIndex.Entry::accountId)
          .containsExactly("member", "own", "own-and-member");
      assertThat(index.cases(Level.THROTTLE, false, 100)).isEmpty();
      assertThat(index.cases(Level.THROTTLE, true, 100))
          .extracting(AccountIndex.Entry::accountId)
          .containsExactly("throttled-member");
      assertThat(index.campaignOnlyCases(Level.REVIEW)).isEqualTo(1);
    }
  }

  @Test
  void escalatedOwnLevelsAreWhatAStartingCampaignGroupingRecovers() {
    try (StateDatabase db = open()) {
      AccountIndex index = new AccountIndex(db);
      db.transact(
          c -> {
            index.upsert(c, "own-review", Level.REVIEW, Level.REVIEW, 30, 1L);
            index.upsert(c, "own-throttle", Level.THROTTLE, Level.THROTTLE, 30, 2L);
            index.upsert(c, "confirmed", Level.CONFIRMED, Level.CONFIRMED, 30, 3L);
            // Raised by its campaign only, watched, cleared, or never stated: not escalated.
            index.upsert(c, "member", Level.REVIEW, Level.OK, 30, 4L);
            index.upsert(c, "watched", Level.WATCH, Level.WATCH, 30, 5L);
            index.upsert(c, "cleared", Level.CLEARED, Level.CLEARED, 30, 6L);
            index.upsert(c, "unknown", Level.REVIEW, null, 30, 7L);
            return null;
          });
      assertThat(index.escalatedOwnLevels(100))
          .containsExactly(
              Map.entry("confirmed", Level.CONFIRMED),
              Map.entry("own-throttle", Level.THROTTLE),
              Map.entry("own-review", Level.REVIEW));
      // The most recently updated first when there are more than the limit.
      assertThat(index.escalatedOwnLevels(1)).containsOnlyKeys("confirmed");
    }
  }

  /** The service's own database as the local mode opens it, in this test's directory. */
  private StateDatabase open() {
    return StateDatabase.open("jdbc:h2:file:" + dir.resolve("state") + ";WRITE_DELAY=0", "sa", "");
  }

  private static void flag(Connection c, String account) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dg_campaign_flag (account_id, campaign_id, level, updated_at)"
                + " VALUES (?, 'cmp-0123456789abcdef', 'REVIEW', 1)")) {
      ps.setString(1, account);
      ps.executeUpdate();
    }
  }
}
