package io.distillguard.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Arrays;
import java.util.List;

/**
 * How this node takes part in the Pekko cluster, read from {@code distillguard.cluster} (see {@code
 * reference.conf}; every key has an environment override).
 *
 * <p>The local mode is a one-node cluster on 127.0.0.1 with an ephemeral port that joins itself
 * ({@link #local()}). In a cluster every node lists the same seed nodes (e.g. the first pods of a
 * StatefulSet behind a headless Service); a node that finds none of the others up and is itself the
 * first seed forms the cluster.
 *
 * @param host the address other nodes reach this node at (artery canonical hostname)
 * @param port the artery port; 0 = ephemeral (only useful for a node that is no seed)
 * @param bindHost the local interface to bind; blank = {@code host}
 * @param seedNodes {@code pekko://distillguard@host:port} addresses; empty = join itself
 */
public record ClusterSettings(String host, int port, String bindHost, List<String> seedNodes) {

  /** The actor system's name; seed node addresses must use it. */
  public static final String SYSTEM_NAME = "distillguard";

  public ClusterSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("cluster host must be set");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("cluster port out of range: " + port);
    }
    seedNodes = List.copyOf(seedNodes);
    for (String s : seedNodes) {
      if (!s.startsWith("pekko://" + SYSTEM_NAME + "@")) {
        throw new IllegalArgumentException(
            "a seed node is pekko://" + SYSTEM_NAME + "@host:port, not " + s);
      }
    }
  }

  /** A one-node cluster on 127.0.0.1 with an ephemeral port that joins itself. */
  public static ClusterSettings local() {
    return new ClusterSettings("127.0.0.1", 0, "", List.of());
  }

  /** Reads {@code distillguard.cluster} from the application's configuration. */
  public static ClusterSettings load() {
    return fromConfig(ConfigFactory.load().getConfig("distillguard.cluster"));
  }

  /** Reads a {@code distillguard.cluster} block; seed nodes are one comma-separated string. */
  public static ClusterSettings fromConfig(Config c) {
    List<String> seeds =
        Arrays.stream(c.getString("seed-nodes").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    return new ClusterSettings(
        c.getString("host"), c.getInt("port"), c.getString("bind-host"), seeds);
  }

  /** The same node joining {@code seeds} instead. */
  public ClusterSettings withSeedNodes(List<String> seeds) {
    return new ClusterSettings(host, port, bindHost, seeds);
  }

  /** True when this node forms a cluster of its own (no seed nodes configured). */
  public boolean joinsItself() {
    return seedNodes.isEmpty();
  }
}
