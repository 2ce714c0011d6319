package io.distillguard.actors.service;

import static io.distillguard.actors.service.DeclaredSettings.ingestKeys;
import static io.distillguard.actors.service.DeclaredSettings.ingestTopicDefaults;
import static io.distillguard.actors.service.DeclaredSettings.matches;
import static io.distillguard.actors.service.DeclaredSettings.pomProperty;
import static io.distillguard.actors.service.DeclaredSettings.projectVersion;
import static io.distillguard.actors.service.DeclaredSettings.reference;
import static io.distillguard.actors.service.DeclaredSettings.referenceEnv;
import static io.distillguard.actors.service.DeclaredSettings.storeEnv;
import static io.distillguard.actors.service.DeployFiles.ACTORS_K8S;
import static io.distillguard.actors.service.DeployFiles.COMPOSE;
import static io.distillguard.actors.service.DeployFiles.DEPLOY;
import static io.distillguard.actors.service.DeployFiles.FLINK_K8S;
import static io.distillguard.actors.service.DeployFiles.MILVUS_COMPOSE;
import static io.distillguard.actors.service.DeployFiles.MILVUS_VALUES;
import static io.distillguard.actors.service.DeployFiles.NETWORK_POLICY;
import static io.distillguard.actors.service.DeployFiles.REMOTING_TLS;
import static io.distillguard.actors.service.DeployFiles.ROOT;
import static io.distillguard.actors.service.DeployFiles.TOPICS_K8S;
import static io.distillguard.actors.service.DeployFiles.actorContainer;
import static io.distillguard.actors.service.DeployFiles.all;
import static io.distillguard.actors.service.DeployFiles.composeService;
import static io.distillguard.actors.service.DeployFiles.doc;
import static io.distillguard.actors.service.DeployFiles.docs;
import static io.distillguard.actors.service.DeployFiles.flinkArgs;
import static io.distillguard.actors.service.DeployFiles.ingestProperties;
import static io.distillguard.actors.service.DeployFiles.manifests;
import static io.distillguard.actors.service.DeployFiles.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.distillguard.policy.Policy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every YAML manifest under {@code deploy/} parses (all documents), and the manifests agree with
 * the code: image tags with the build's versions, ports with the defaults, environment variable
 * names with {@code reference.conf} and {@code StoreSettings}, ingest job keys and topic names with
 * {@code IngestConfig}; the policy in the ConfigMap is a valid policy. Read as text from the
 * repository (this module's working directory is {@code actors/}).
 */
class DeployManifestsTest {

  // ---- tests ----------------------------------------------------------------------------------

  @Test
  void everyManifestParses() throws IOException {
    List<Path> files = manifests();
    assertThat(files)
        .contains(COMPOSE, MILVUS_COMPOSE, ACTORS_K8S, FLINK_K8S, TOPICS_K8S, MILVUS_VALUES);
    for (Path f : files) {
      List<JsonNode> docs = docs(f);
      assertThat(docs).as("documents in %s", f).isNotEmpty().allMatch(JsonNode::isObject);
    }
    for (Path k8s : List.of(ACTORS_K8S, FLINK_K8S, TOPICS_K8S)) {
      for (JsonNode d : docs(k8s)) {
        assertThat(d.path("apiVersion").asText()).as("apiVersion in %s", k8s).isNotBlank();
        assertThat(d.path("metadata").path("name").asText()).as("name in %s", k8s).isNotBlank();
      }
    }
    assertThat(doc(FLINK_K8S, "FlinkDeployment", "distillguard-ingest").path("apiVersion").asText())
        .isEqualTo("flink.apache.org/v1beta1");
  }

  @Test
  void imagesMatchTheBuildsVersions() throws IOException {
    List<String> images = all("image");
    for (String dockerfile :
        List.of("compose/flink/Dockerfile", "k8s/flink-image/Dockerfile", "actors/Dockerfile")) {
      images.addAll(matches(text(DEPLOY.resolve(dockerfile)), "(?m)^FROM\\s+(\\S+)"));
    }
    String flink = "flink:" + pomProperty("flink.version") + "-java17";
    assertThat(images.stream().filter(i -> i.startsWith("flink:")))
        .isNotEmpty()
        .allMatch(flink::equals);
    String kafka = "apache/kafka:" + pomProperty("kafka.version");
    assertThat(images.stream().filter(i -> i.startsWith("apache/kafka")))
        .isNotEmpty()
        .allMatch(kafka::equals);
    assertThat(images).contains("eclipse-temurin:17-jre");

    // Milvus: the same v2.6.x in Compose and in the Helm values.
    Set<String> milvusTags = new HashSet<>();
    images.stream()
        .filter(i -> i.startsWith("milvusdb/milvus:"))
        .forEach(i -> milvusTags.add(i.substring(i.indexOf(':') + 1)));
    JsonNode values = docs(MILVUS_VALUES).get(0);
    assertThat(values.path("image").path("all").path("repository").asText())
        .isEqualTo("milvusdb/milvus");
    milvusTags.add(values.path("image").path("all").path("tag").asText());
    assertThat(milvusTags).hasSize(1);
    assertThat(milvusTags.iterator().next()).startsWith("v2.6.");

    // The actor service: one tag everywhere, the project's version; the jar the shade plugin makes.
    String version = projectVersion();
    String actorImage = "distillguard/actor-service:" + version.replace("-SNAPSHOT", "");
    assertThat(images.stream().filter(i -> i.startsWith("distillguard/actor-service")))
        .hasSize(2)
        .allMatch(actorImage::equals);
    assertThat(text(ROOT.resolve("actors/pom.xml")))
        .contains(
            "<shadedClassifierName>service</shadedClassifierName>",
            "io.distillguard.actors.service.ActorServiceMain");
    assertThat(text(DEPLOY.resolve("actors/Dockerfile")))
        .contains("actors/target/distillguard-actors-" + version + "-service.jar");
    String jobJar = "flink-jobs/target/distillguard-flink-jobs-" + version + "-job.jar";
    assertThat(text(DEPLOY.resolve("k8s/flink-image/Dockerfile"))).contains(jobJar);
    assertThat(text(COMPOSE)).contains("../../" + jobJar);
    assertThat(text(ROOT.resolve("flink-jobs/pom.xml")))
        .contains("<shadedClassifierName>job</shadedClassifierName>");
    String entry =
        doc(FLINK_K8S, "FlinkDeployment", "distillguard-ingest")
            .path("spec")
            .path("job")
            .path("entryClass")
            .asText();
    assertThat(ROOT.resolve("flink-jobs/src/main/java/" + entry.replace('.', '/') + ".java"))
        .exists();
  }

  @Test
  void portsMatchTheDefaults() throws IOException {
    Config ref = reference();
    int http = ref.getInt("distillguard.actors.http.port");
    int remoting = ref.getInt("distillguard.cluster.port");
    assertThat(http).isEqualTo(8080);

    JsonNode actors = composeService("actors");
    assertThat(actors.path("ports").get(0).asText()).isEqualTo("127.0.0.1:" + http + ":" + http);
    assertThat(actors.path("environment").path("DISTILLGUARD_HTTP_PORT").asInt()).isEqualTo(http);
    assertThat(actors.path("environment").path("DISTILLGUARD_CLUSTER_PORT").asInt())
        .isEqualTo(remoting);
    assertThat(actors.path("healthcheck").toString())
        .contains("/dev/tcp/127.0.0.1/" + http, "/v1/health/ready");

    JsonNode c = actorContainer();
    Map<String, Integer> containerPorts = new HashMap<>();
    c.path("ports")
        .forEach(p -> containerPorts.put(p.path("name").asText(), p.path("containerPort").asInt()));
    assertThat(containerPorts).containsEntry("http", http).containsEntry("remoting", remoting);
    assertThat(c.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/v1/health/ready");
    assertThat(c.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/v1/health/live");
    assertThat(c.path("readinessProbe").path("httpGet").path("port").asText()).isEqualTo("http");
    JsonNode config = doc(ACTORS_K8S, "ConfigMap", "distillguard-actors").path("data");
    assertThat(config.path("DISTILLGUARD_HTTP_PORT").asInt()).isEqualTo(http);
    assertThat(config.path("DISTILLGUARD_CLUSTER_PORT").asInt()).isEqualTo(remoting);
    for (String seed : config.path("DISTILLGUARD_SEED_NODES").asText().split(",")) {
      assertThat(seed)
          .startsWith("pekko://distillguard@distillguard-actors-")
          .endsWith(":" + remoting);
    }
    assertThat(
            doc(ACTORS_K8S, "Service", "distillguard-actors-cluster")
                .path("spec")
                .path("ports")
                .get(0)
                .path("port")
                .asInt())
        .isEqualTo(remoting);

    // Kafka clients inside the networks use 9092; Milvus gRPC is 19530.
    List<String> bootstraps = new ArrayList<>();
    bootstraps.add(actors.path("environment").path("DISTILLGUARD_KAFKA_BOOTSTRAP").asText());
    bootstraps.add(config.path("DISTILLGUARD_KAFKA_BOOTSTRAP").asText());
    bootstraps.add(flinkArgs().get("kafka.bootstrap-servers"));
    bootstraps.add(ingestProperties().get("kafka.bootstrap-servers"));
    assertThat(bootstraps).allMatch(b -> b.endsWith(":9092"));
    assertThat(composeService("kafka").path("environment").path("KAFKA_LISTENERS").asText())
        .contains("PLAINTEXT://:9092");
    List<String> milvusUris = all("MILVUS_URI");
    for (Path p : manifests()) {
      for (JsonNode d : docs(p)) {
        d.findParents("name").stream()
            .filter(n -> n.path("name").asText().equals("MILVUS_URI"))
            .forEach(n -> milvusUris.add(n.path("value").asText()));
      }
    }
    assertThat(milvusUris).hasSizeGreaterThanOrEqualTo(4).allMatch(u -> u.endsWith(":19530"));
    assertThat(docs(MILVUS_VALUES).get(0).path("service").path("port").asInt()).isEqualTo(19530);
  }

  @Test
  void composePortsAreBoundToLoopback() throws IOException {
    for (Path compose : List.of(COMPOSE, MILVUS_COMPOSE)) {
      JsonNode services = docs(compose).get(0).path("services");
      services
          .fields()
          .forEachRemaining(
              s ->
                  s.getValue()
                      .path("ports")
                      .forEach(
                          p ->
                              assertThat(p.asText())
                                  .as("%s in %s", s.getKey(), compose)
                                  .startsWith("127.0.0.1:")));
    }
    assertThat(text(COMPOSE)).contains("../milvus/docker-compose.yml");
  }

  @Test
  void environmentVariablesAreOnesTheCodeReads() throws IOException {
    Set<String> known = new HashSet<>(referenceEnv());
    known.addAll(storeEnv());
    // Read by the remoting TLS configuration the manifest mounts (-Dconfig.file).
    known.addAll(matches(text(REMOTING_TLS), "\\$\\{\\??([A-Z0-9_]+)}"));
    assertThat(known)
        .contains("DISTILLGUARD_KAFKA_BOOTSTRAP", "DISTILLGUARD_SEED_NODES", "MILVUS_URI");

    Set<String> used = new TreeSet<>();
    composeService("actors").path("environment").fieldNames().forEachRemaining(used::add);
    composeService("taskmanager").path("environment").fieldNames().forEachRemaining(used::add);
    doc(ACTORS_K8S, "ConfigMap", "distillguard-actors")
        .path("data")
        .fieldNames()
        .forEachRemaining(used::add);
    actorContainer().path("env").forEach(e -> used.add(e.path("name").asText()));
    doc(FLINK_K8S, "FlinkDeployment", "distillguard-ingest")
        .findValues("env")
        .forEach(env -> env.forEach(e -> used.add(e.path("name").asText())));
    used.addAll(
        matches(text(DEPLOY.resolve("actors/Dockerfile")), "\\b(DISTILLGUARD_[A-Z0-9_]+)="));
    used.remove("POD_NAME"); // the downward API, only to build DISTILLGUARD_CLUSTER_HOST
    used.remove("FLINK_PROPERTIES"); // read by the Flink image's entrypoint
    used.remove("JAVA_TOOL_OPTIONS"); // read by the JVM
    assertThat(used)
        .contains(
            "DISTILLGUARD_WEBHOOK_SECRET", "DISTILLGUARD_API_TOKEN", "DISTILLGUARD_JOURNAL_URL");
    assertThat(known).containsAll(used);

    // Secrets come from a Secret in Kubernetes, never from the ConfigMap.
    JsonNode config = doc(ACTORS_K8S, "ConfigMap", "distillguard-actors").path("data");
    for (String secret :
        List.of(
            "DISTILLGUARD_WEBHOOK_SECRET",
            "DISTILLGUARD_API_TOKEN",
            "DISTILLGUARD_JOURNAL_PASSWORD",
            "MILVUS_TOKEN")) {
      assertThat(config.has(secret)).as(secret).isFalse();
      assertThat(
              actorContainer().path("env").findParents("name").stream()
                  .filter(n -> n.path("name").asText().equals(secret))
                  .findFirst()
                  .orElseThrow()
                  .path("valueFrom")
                  .path("secretKeyRef")
                  .path("name")
                  .asText())
          .isEqualTo("distillguard-actors");
    }
  }

  @Test
  void onlyTheOtherNodesReachRemotingAndOnlyLabelledClientsTheApi() throws IOException {
    JsonNode policy = doc(NETWORK_POLICY, "NetworkPolicy", "distillguard-actors").path("spec");
    assertThat(policy.path("podSelector").path("matchLabels").path("app").asText())
        .isEqualTo(actorContainerLabels());
    Map<Integer, List<String>> fromByPort = new HashMap<>();
    for (JsonNode rule : policy.path("ingress")) {
      for (JsonNode port : rule.path("ports")) {
        List<String> from = new java.util.ArrayList<>();
        rule.path("from").forEach(f -> from.add(f.toString()));
        fromByPort.put(port.path("port").asInt(), from);
      }
    }
    assertThat(fromByPort).containsOnlyKeys(25520, 8080);
    assertThat(fromByPort.get(25520))
        .containsExactly("{\"podSelector\":{\"matchLabels\":{\"app\":\"distillguard-actors\"}}}");
    assertThat(fromByPort.get(8080)).allMatch(f -> f.contains("distillguard.io/api-client"));
    // The StatefulSet mounts the token file and the remoting TLS configuration it names.
    String manifest = text(ACTORS_K8S);
    assertThat(manifest)
        .contains("DISTILLGUARD_API_TOKENS_FILE: /etc/distillguard/api-tokens/tokens")
        .contains("-Dconfig.file=/etc/distillguard/remoting-tls/remoting-tls.conf")
        .contains("DISTILLGUARD_HTTP_ALLOWED_HOSTS");
  }

  private static String actorContainerLabels() throws IOException {
    return doc(ACTORS_K8S, "StatefulSet", "distillguard-actors")
        .path("spec")
        .path("template")
        .path("metadata")
        .path("labels")
        .path("app")
        .asText();
  }

  @Test
  void ingestKeysAndTopicsMatchTheCode() throws IOException {
    Set<String> keys = ingestKeys();
    assertThat(keys).contains("source", "sink", "kafka.bootstrap-servers");
    Map<String, String> defaults = ingestTopicDefaults();
    assertThat(defaults)
        .containsKeys(
            "kafka.topic.events",
            "kafka.topic.profiles",
            "kafka.topic.observations",
            "kafka.topic.dead-letters");

    for (Map<String, String> config : List.of(flinkArgs(), ingestProperties())) {
      assertThat(keys).containsAll(config.keySet());
      assertThat(config).containsEntry("source", "kafka").containsEntry("sink", "kafka");
      defaults.forEach((key, topic) -> assertThat(config).containsEntry(key, topic));
    }

    Set<String> topics = new TreeSet<>(defaults.values());
    String observations = reference().getString("distillguard.kafka.observations-topic");
    assertThat(observations).isEqualTo(defaults.get("kafka.topic.observations"));
    assertThat(
            composeService("actors")
                .path("environment")
                .path("DISTILLGUARD_OBSERVATIONS_TOPIC")
                .asText())
        .isEqualTo(observations);
    assertThat(
            doc(ACTORS_K8S, "ConfigMap", "distillguard-actors")
                .path("data")
                .path("DISTILLGUARD_OBSERVATIONS_TOPIC")
                .asText())
        .isEqualTo(observations);

    Set<String> strimzi = new TreeSet<>();
    for (JsonNode d : docs(TOPICS_K8S)) {
      assertThat(d.path("kind").asText()).isEqualTo("KafkaTopic");
      strimzi.add(d.path("metadata").path("name").asText());
    }
    assertThat(strimzi).isEqualTo(topics);
    String create = composeService("kafka-topics").path("command").toString();
    topics.forEach(t -> assertThat(create).contains(t + ":"));
  }

  @Test
  void thePolicyConfigMapIsAValidPolicyMountedWhereTheServiceReadsIt() throws IOException {
    String inConfigMap =
        doc(ACTORS_K8S, "ConfigMap", "distillguard-policy")
            .path("data")
            .path("policy.yaml")
            .asText();
    Policy policy = Policy.parse(inConfigMap, "configmap");
    assertThat(policy.version()).isNotBlank();
    assertThat(policy.rules()).isNotEmpty();
    // The manifest ships the default policy itself, never a copy that falls behind it.
    String shipped =
        Files.readString(
            DEPLOY.resolve("../rules/src/main/resources/policy/default-policy.yaml").normalize());
    assertThat(inConfigMap.strip()).isEqualTo(shipped.strip());
    JsonNode c = actorContainer();
    String mount =
        c.path("volumeMounts").findParents("name").stream()
            .filter(n -> n.path("name").asText().equals("policy"))
            .findFirst()
            .orElseThrow()
            .path("mountPath")
            .asText();
    assertThat(
            doc(ACTORS_K8S, "ConfigMap", "distillguard-actors")
                .path("data")
                .path("DISTILLGUARD_POLICY_FILE")
                .asText())
        .isEqualTo(mount + "/policy.yaml");
    assertThat(
            composeService("actors").path("environment").path("DISTILLGUARD_POLICY_FILE").asText())
        .isEqualTo("/etc/distillguard/policy/default-policy.yaml");
  }

  // ---- one schema ---------------------------------------------------------------------------

  /**
   * The deployment carries no schema of its own: the database starts empty and the service creates
   * its tables from the one schema it ships, so no copy can drift from it.
   */
  @Test
  void theDeploymentLeavesTheSchemaToTheService() throws IOException {
    List<Path> withDdl = new ArrayList<>();
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String t = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        if (Pattern.compile("create\\s+(table|index|trigger)", Pattern.CASE_INSENSITIVE)
            .matcher(t)
            .find()) {
          withDdl.add(DEPLOY.relativize(p));
        }
      }
    }
    assertThat(withDdl).isEmpty();
    assertThat(composeService("postgres").path("volumes").toString())
        .doesNotContain("docker-entrypoint-initdb.d");
    assertThat(DeployManifestsTest.class.getResource("/schema/postgres-journal-schema.sql"))
        .isNotNull();
  }
}
