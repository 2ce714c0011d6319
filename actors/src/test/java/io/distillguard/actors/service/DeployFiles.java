package io.distillguard.actors.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The deployment files under {@code deploy/} as the deploy tests read them, from the repository
 * (this module's working directory is {@code actors/}): every YAML manifest with all its documents,
 * one resource by kind and name, the compose services, the actor service's container, the ingest
 * job's arguments and properties.
 */
final class DeployFiles {

  private DeployFiles() {}

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path DEPLOY = ROOT.resolve("deploy");
  private static final YAMLMapper YAML = new YAMLMapper();

  static final Path COMPOSE = DEPLOY.resolve("compose/docker-compose.yml");
  static final Path MILVUS_COMPOSE = DEPLOY.resolve("milvus/docker-compose.yml");
  static final Path ACTORS_K8S = DEPLOY.resolve("k8s/actor-service.yaml");
  static final Path FLINK_K8S = DEPLOY.resolve("k8s/flink-ingest.yaml");
  static final Path NETWORK_POLICY = DEPLOY.resolve("k8s/network-policy.yaml");
  static final Path REMOTING_TLS = DEPLOY.resolve("actors/remoting-tls.conf");
  static final Path TOPICS_K8S = DEPLOY.resolve("k8s/kafka-topics.yaml");
  static final Path MILVUS_VALUES = DEPLOY.resolve("k8s/milvus-values.yaml");
  static final Path INGEST_PROPERTIES = DEPLOY.resolve("compose/ingest.properties");

  static List<Path> manifests() throws IOException {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
          .filter(p -> !DEPLOY.relativize(p).toString().contains("volumes"))
          .sorted()
          .toList();
    }
  }

  static List<JsonNode> docs(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && !n.isNull() && !n.isMissingNode()) {
          out.add(n);
        }
      }
    }
    return out;
  }

  static JsonNode doc(Path file, String kind, String name) throws IOException {
    for (JsonNode d : docs(file)) {
      if (d.path("kind").asText().equals(kind)
          && d.path("metadata").path("name").asText().equals(name)) {
        return d;
      }
    }
    throw new AssertionError(kind + "/" + name + " not in " + file);
  }

  static String text(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static void collect(JsonNode node, String field, List<String> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals(field) && e.getValue().isTextual()) {
          out.add(e.getValue().asText());
        }
        collect(e.getValue(), field, out);
      }
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, field, out));
    }
  }

  static List<String> all(String field) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path p : manifests()) {
      for (JsonNode d : docs(p)) {
        collect(d, field, out);
      }
    }
    return out;
  }

  static JsonNode composeService(String name) throws IOException {
    JsonNode s = docs(COMPOSE).get(0).path("services").path(name);
    assertThat(s.isObject()).as("compose service %s", name).isTrue();
    return s;
  }

  static JsonNode actorContainer() throws IOException {
    return doc(ACTORS_K8S, "StatefulSet", "distillguard-actors")
        .path("spec")
        .path("template")
        .path("spec")
        .path("containers")
        .get(0);
  }

  static Map<String, String> flinkArgs() throws IOException {
    Map<String, String> out = new HashMap<>();
    for (JsonNode a :
        doc(FLINK_K8S, "FlinkDeployment", "distillguard-ingest")
            .path("spec")
            .path("job")
            .path("args")) {
      String[] kv = a.asText().split("=", 2);
      out.put(kv[0].trim(), kv[1].trim());
    }
    return out;
  }

  static Map<String, String> ingestProperties() throws IOException {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(INGEST_PROPERTIES)) {
      p.load(in);
    }
    Map<String, String> out = new HashMap<>();
    p.forEach((k, v) -> out.put(k.toString().trim(), v.toString().trim()));
    return out;
  }
}
