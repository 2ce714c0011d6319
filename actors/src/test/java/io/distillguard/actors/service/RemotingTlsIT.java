package io.distillguard.actors.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/actors/remoting-tls.conf} with stores made by the commands of {@code
 * deploy/README.md} ("Remoting over TLS"): two nodes with certificates of the cluster's CA form a
 * cluster over TLS; a node with a certificate of another CA cannot join.
 */
class RemotingTlsIT {

  private static final Path CONF = Path.of("..", "deploy", "actors", "remoting-tls.conf");
  private static final String PASSWORD = "test-store-password";

  @TempDir Path dir;
  private final List<ActorSystem<Void>> systems = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    // All at once, then wait: each node's coordinated shutdown leaves the cluster and waits, phase
    // by phase, for the others to see it go (up to its phases' timeouts, more than 30 s in all),
    // so one node stopped after another could take longer than the wait on a loaded machine.
    systems.forEach(ActorSystem::terminate);
    for (ActorSystem<Void> s : systems) {
      s.getWhenTerminated().toCompletableFuture().get(90, TimeUnit.SECONDS);
    }
  }

  @Test
  void nodesOfTheClustersCaJoinOverTlsAndOthersCannot() throws Exception {
    Path cluster = dir.resolve("cluster");
    Path stranger = dir.resolve("stranger");
    makeStores(cluster);
    makeStores(stranger);

    ActorSystem<Void> a = node(cluster);
    Cluster.get(a).manager().tell(Join.create(Cluster.get(a).selfMember().address()));
    ActorSystem<Void> b = node(cluster);
    Cluster.get(b).manager().tell(Join.create(Cluster.get(a).selfMember().address()));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Cluster.get(b).selfMember().status() == MemberStatus.up()
                    && Cluster.get(a).state().getMembers().spliterator().estimateSize() == 2);

    ActorSystem<Void> c = node(stranger);
    Cluster.get(c).manager().tell(Join.create(Cluster.get(a).selfMember().address()));
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(8))
        .until(() -> Cluster.get(c).selfMember().status() != MemberStatus.up());
    List<String> members = new ArrayList<>();
    Cluster.get(a).state().getMembers().forEach(m -> members.add(m.address().toString()));
    assertThat(members).hasSize(2).doesNotContain(Cluster.get(c).selfMember().address().toString());
  }

  private ActorSystem<Void> node(Path stores) {
    Config tls =
        ConfigFactory.parseFile(CONF.toFile())
            .withFallback(
                ConfigFactory.parseMap(
                    Map.of(
                        "DISTILLGUARD_REMOTING_TLS_PASSWORD",
                        PASSWORD,
                        "DISTILLGUARD_REMOTING_TLS_DIR",
                        stores.toString())));
    Config config =
        tls.withFallback(
                ConfigFactory.parseString(
                    "pekko.actor.provider = cluster\n"
                        + "pekko.remote.artery.canonical.hostname = 127.0.0.1\n"
                        + "pekko.remote.artery.canonical.port = 0\n"
                        + "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on\n"
                        + "pekko.coordinated-shutdown.exit-jvm = off\n"
                        + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off"))
            .withFallback(ConfigFactory.load())
            .resolve();
    assertThat(config.getString("pekko.remote.artery.transport")).isEqualTo("tls-tcp");
    assertThat(
            config.getBoolean(
                "pekko.remote.artery.ssl.config-ssl-engine.require-mutual-authentication"))
        .isTrue();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "distillguard", config);
    systems.add(system);
    return system;
  }

  /** The commands of deploy/README.md, "Remoting over TLS", in {@code out}. */
  private static void makeStores(Path out) throws IOException, InterruptedException {
    java.nio.file.Files.createDirectories(out);
    String p = PASSWORD;
    keytool(
        out,
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=distillguard-remoting-ca",
        "-ext",
        "bc:c",
        "-validity",
        "3650",
        "-keystore",
        "ca.p12",
        "-storetype",
        "PKCS12",
        "-storepass",
        p);
    keytool(
        out,
        "-genkeypair",
        "-alias",
        "node",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=distillguard-node",
        "-validity",
        "825",
        "-keystore",
        "keystore.p12",
        "-storetype",
        "PKCS12",
        "-storepass",
        p);
    keytool(
        out,
        "-certreq",
        "-alias",
        "node",
        "-keystore",
        "keystore.p12",
        "-storepass",
        p,
        "-file",
        "node.csr");
    keytool(
        out,
        "-gencert",
        "-alias",
        "ca",
        "-keystore",
        "ca.p12",
        "-storepass",
        p,
        "-infile",
        "node.csr",
        "-outfile",
        "node.crt",
        "-validity",
        "825",
        "-ext",
        "EKU=serverAuth,clientAuth");
    keytool(
        out,
        "-exportcert",
        "-alias",
        "ca",
        "-keystore",
        "ca.p12",
        "-storepass",
        p,
        "-file",
        "ca.crt");
    keytool(
        out,
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        "ca.crt",
        "-keystore",
        "truststore.p12",
        "-storetype",
        "PKCS12",
        "-storepass",
        p);
    keytool(
        out,
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        "ca.crt",
        "-keystore",
        "keystore.p12",
        "-storepass",
        p);
    keytool(
        out,
        "-importcert",
        "-noprompt",
        "-alias",
        "node",
        "-file",
        "node.crt",
        "-keystore",
        "keystore.p12",
        "-storepass",
        p);
  }

  private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process process =
        new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as("keytool %s: %s", args[0], output).isZero();
  }
}
