package io.distillguard.actors.escalation;

import io.distillguard.actors.PostgresServer;
import io.distillguard.actors.StateDatabase;
import org.junit.jupiter.api.Test;

/**
 * The campaign rows' reasons and waiting follow-ups on the shared database a cluster runs on (a
 * throwaway PostgreSQL server): the same scenarios as on the local database, through the same SQL
 * (the kept reasons, the row lock while deciding what waits).
 */
class CampaignRowsPostgresIT {

  @Test
  void reasonsAndFollowUpsBehaveOnPostgresAsLocally() throws Exception {
    try (PostgresServer pg = PostgresServer.start();
        StateDatabase db = StateDatabase.open(pg.jdbcUrl(), PostgresServer.USER, "")) {
      CampaignRowReasonsTest.keepsReasons(db);
    }
    try (PostgresServer pg = PostgresServer.start();
        StateDatabase db = StateDatabase.open(pg.jdbcUrl(), PostgresServer.USER, "")) {
      new CampaignFollowUpsTest().growingCampaign(db);
    }
  }
}
