package io.distillguard.actors;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.awaitility.Awaitility;

/**
 * Two actor-service nodes of one Pekko cluster on 127.0.0.1 sharing one throwaway PostgreSQL: node
 * A starts first (the oldest, so it holds the cluster singletons), node B joins it. Closes both
 * nodes and the database.
 */
public final class TwoNodeCluster implements AutoCloseable {

  private final PostgresServer database;
  private ActorService a;
  private ActorService b;

  private TwoNodeCluster(PostgresServer database) {
    this.database = database;
  }

  /** Starts the database and both nodes (data dirs under {@code dir}); returns once both are up. */
  public static TwoNodeCluster start(Path dir) throws Exception {
    return start(dir, UnaryOperator.identity());
  }

  /** As {@link #start(Path)}, each node's settings changed by {@code settings}. */
  public static TwoNodeCluster start(Path dir, UnaryOperator<ActorSettings> settings)
      throws Exception {
    TwoNodeCluster cluster = new TwoNodeCluster(PostgresServer.start());
    try {
      cluster.a =
          ActorService.start(
              settings.apply(settings(dir, "node-a", cluster.database)),
              ClusterSettings.local(),
              null,
              null);
      ActorService nodeA = cluster.a;
      await(() -> Cluster.get(nodeA.system()).selfMember().status() == MemberStatus.up());
      String seed = Cluster.get(nodeA.system()).selfMember().address().toString();
      cluster.b =
          ActorService.start(
              settings.apply(settings(dir, "node-b", cluster.database)),
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
  public ActorService a() {
    return a;
  }

  /** The node that joined. */
  public ActorService b() {
    return b;
  }

  public PostgresServer database() {
    return database;
  }

  /** Node A leaves (its singletons move to B); returns once B sees itself alone. */
  public void stopA() {
    a.close();
    a = null;
    ActorService nodeB = b;
    await(() -> upMembers(nodeB) == 1);
  }

  /**
   * Node B leaves (coordinated shutdown: hand-off, leave, exit) and stops; returns once A sees
   * itself alone.
   */
  public void stopB() {
    b.close();
    b = null;
    ActorService nodeA = a;
    await(() -> upMembers(nodeA) == 1);
  }

  private static ActorSettings settings(Path dir, String node, PostgresServer database) {
    return ActorSettings.defaults(dir.resolve(node))
        .withWebhook(null, null)
        .withThrottleUrl(null)
        .withHttp("127.0.0.1", -1, null)
        .withJournal(database.jdbcUrl(), PostgresServer.USER, "");
  }

  /** The members {@code node} sees up. */
  public static long upMembers(ActorService node) {
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
