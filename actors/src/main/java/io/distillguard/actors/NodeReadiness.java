package io.distillguard.actors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node may take traffic (readiness) and whether it can ever again (liveness), check by
 * check. Built-in checks: {@code cluster-member-up}, {@code sharding-started}, {@code database};
 * others are added by the parts that need them (e.g. {@code kafka-consumer}, {@code
 * taxonomy-consistent}).
 */
public final class NodeReadiness {

  private static final Logger LOG = LoggerFactory.getLogger(NodeReadiness.class);

  private final ActorSystem<Void> system;
  private final StateDatabase db;
  private final Map<String, BooleanSupplier> checks = new ConcurrentSkipListMap<>();
  private volatile boolean shardingStarted;

  NodeReadiness(ActorSystem<Void> system, StateDatabase db) {
    this.system = system;
    this.db = db;
  }

  void shardingStarted() {
    shardingStarted = true;
  }

  /**
   * Adds a condition that must hold before this node takes traffic, reported under {@code name}.
   */
  public void add(String name, BooleanSupplier check) {
    checks.put(name, check);
  }

  /** Every check's current value; the node is ready when all are true. */
  public Map<String, Boolean> readiness() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    out.put(
        "cluster-member-up",
        Cluster.get(system).selfMember().status() == MemberStatus.up() && live());
    out.put("sharding-started", shardingStarted && live());
    out.put("database", db.reachable());
    checks.forEach((name, check) -> out.put(name, safely(check)));
    return out;
  }

  /** The actor system runs (a terminated system never recovers; restart the process). */
  public boolean live() {
    return !system.getWhenTerminated().toCompletableFuture().isDone();
  }

  private static boolean safely(BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.warn("readiness check failed", e);
      return false;
    }
  }
}
