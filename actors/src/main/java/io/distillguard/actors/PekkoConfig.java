package io.distillguard.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

/**
 * The Pekko configuration of one node: the {@code distillguard.pekko} block of {@code
 * application.conf} with what the settings decide on top (remoting address, seed nodes, the
 * journal's database, passivation). The journal URL alone selects PostgreSQL, so a deployment needs
 * only environment variables.
 */
final class PekkoConfig {

  private PekkoConfig() {}

  static Config of(ActorSettings settings, ClusterSettings cluster, String journalUrl) {
    Config base = ConfigFactory.load();
    Config ours = base.getConfig("distillguard.pekko");
    String slick = "pekko-persistence-jdbc.shared-databases.slick.";
    String db = slick + "db.";
    Config journal = ConfigFactory.empty();
    if (journalUrl.startsWith("jdbc:postgresql:")) {
      journal =
          journal
              .withValue(
                  slick + "profile", ConfigValueFactory.fromAnyRef("slick.jdbc.PostgresProfile$"))
              .withValue(db + "driver", ConfigValueFactory.fromAnyRef("org.postgresql.Driver"));
    }
    String artery = "pekko.remote.artery.";
    return journal
        .withValue(artery + "canonical.hostname", ConfigValueFactory.fromAnyRef(cluster.host()))
        .withValue(artery + "canonical.port", ConfigValueFactory.fromAnyRef(cluster.port()))
        .withValue(
            artery + "bind.hostname",
            ConfigValueFactory.fromAnyRef(
                cluster.bindHost().isBlank() ? cluster.host() : cluster.bindHost()))
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(cluster.seedNodes()))
        .withValue(db + "url", ConfigValueFactory.fromAnyRef(journalUrl))
        .withValue(db + "user", ConfigValueFactory.fromAnyRef(settings.journal().user()))
        .withValue(db + "password", ConfigValueFactory.fromAnyRef(settings.journal().password()))
        .withValue(
            "pekko.cluster.sharding.passivation.default-idle-strategy.idle-entity.timeout",
            ConfigValueFactory.fromAnyRef(settings.entity().passivateAfter().toMillis() + "ms"))
        .withFallback(ours)
        .withFallback(base)
        .resolve();
  }
}
