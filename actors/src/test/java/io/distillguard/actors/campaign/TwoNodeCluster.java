package io.distillguard.actors.campaign;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.ClusterSettings;
import io.distillguard.actors.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.awaitility.Awaitility;

/**
 * Two actor-service nodes of one Pekko cluster on 127.0.0.1 sharing one throwaway PostgreSQL: node
 * A starts first (the oldest, so it holds the cluster singletons), node B joins it. Closes both
 * nodes and the database.
 */
final class TwoNodeCluster implements AutoCloseable {

  private final PostgresServer database;
  private ActorService a;
  private ActorService b;

  private TwoNodeCluster(PostgresServer database) {
    this.database = database;
  }

  /** Starts the database and both nodes (data dirs under {@code dir}); returns once both are up. */
  static TwoNodeCluster start(Path dir) throws Exception {
    TwoNodeCluster cluster = new TwoNodeCluster(PostgresServer.start());
    try {
      cluster.a =
          ActorService.start(
              settings(dir, "node-a", cluster.database), ClusterSettings.local(), null, null);
      ActorService nodeA = cluster.a;
      await(() -> Cluster.get(nodeA.system()).selfMember().status() == MemberStatus.up());
      String seed = Cluster.get(nodeA.system()).selfMember().address().toString();
      cluster.b =
          ActorService.start(
              settings(dir, "node-b", cluster.database),
              ClusterSettings.local().withSeedNodes(List.of(seed)),
              null,
              null);
      ActorService nodeB = cluster.b;
      await(() -> upMembers(nodeA) == 2 && upMembers(nodeB) == 2);
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** The first node (the oldest, holding the singletons until it leaves). */
  ActorService a() {
    return a;
  }

  /** The node that joined. */
  ActorService b() {
    return b;
  }

  PostgresServer database() {
    return database;
  }

  /** Node A leaves (its singletons move to B); returns once B sees itself alone. */
  void stopA() {
    a.close();
    a = null;
    ActorService nodeB = b;
    await(() -> upMembers(nodeB) == 1);
  }

  private static ActorSettings settings(Path dir, String node, PostgresServer database) {
    return ActorSettings.defaults(dir.resolve(node))
        .withWebhook(null, null)
        .withThrottleUrl(null)
        .withHttp("127.0.0.1", -1, null)
        .withJournal(database.jdbcUrl(), PostgresServer.USER, "");
  }

  private static long upMembers(ActorService node) {
    int n = 0;
    for (org.apache.pekko.cluster.Member m : Cluster.get(node.system()).state().getMembers()) {
      if (m.status() == MemberStatus.up()) {
        n++;
      }
    }
    return n;
  }

  private static void await(BooleanSupplier condition) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }

  @Override
  public void close() {
    try {
      if (b != null) {
        b.close();
      }
      if (a != null) {
        a.close();
      }
    } finally {
      database.close();
    }
  }
}
