package io.distillguard.actors.service;

import static io.distillguard.actors.service.DeployFiles.ROOT;
import static io.distillguard.actors.service.DeployFiles.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the code declares that the deployment files must agree with, read from the sources in the
 * repository: the build's versions, {@code reference.conf} and the environment variables it reads,
 * those {@code StoreSettings} reads, the ingest job's keys and default topic names ({@code
 * IngestConfig}).
 */
final class DeclaredSettings {

  private DeclaredSettings() {}

  static String pomProperty(String name) throws IOException {
    Matcher m =
        Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)<")
            .matcher(text(ROOT.resolve("pom.xml")));
    assertThat(m.find()).as("root pom property %s", name).isTrue();
    return m.group(1).trim();
  }

  static String projectVersion() throws IOException {
    Matcher m =
        Pattern.compile("<artifactId>distillguard-parent</artifactId>\\s*<version>([^<]+)<")
            .matcher(text(ROOT.resolve("actors/pom.xml")));
    assertThat(m.find()).isTrue();
    return m.group(1).trim();
  }

  static Config reference() throws IOException {
    return ConfigFactory.parseString(text(ROOT.resolve("actors/src/main/resources/reference.conf")))
        .resolve();
  }

  /** The environment variables reference.conf reads ({@code ${?NAME}}). */
  static Set<String> referenceEnv() throws IOException {
    return matches(
        text(ROOT.resolve("actors/src/main/resources/reference.conf")), "\\$\\{\\?([A-Z0-9_]+)}");
  }

  /** The environment variables StoreSettings reads. */
  static Set<String> storeEnv() throws IOException {
    return matches(
        text(ROOT.resolve("vector-store/src/main/java/io/distillguard/store/StoreSettings.java")),
        "env\\.get\\(\"([A-Z0-9_]+)\"\\)");
  }

  static String ingestConfigSource() throws IOException {
    return text(ROOT.resolve("flink-jobs/src/main/java/io/distillguard/ingest/IngestConfig.java"));
  }

  static Set<String> ingestKeys() throws IOException {
    return matches(ingestConfigSource(), "ConfigOptions\\.key\\(\"([^\"]+)\"\\)");
  }

  /** kafka.topic.* key to its default topic name. */
  static Map<String, String> ingestTopicDefaults() throws IOException {
    Matcher m =
        Pattern.compile(
                "key\\(\"(kafka\\.topic\\.[a-z-]+)\"\\)\\s*\\.stringType\\(\\)\\s*"
                    + "\\.defaultValue\\(\"([^\"]+)\"\\)")
            .matcher(ingestConfigSource());
    Map<String, String> out = new HashMap<>();
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  /** Every first group of {@code regex} in {@code text}. */
  static Set<String> matches(String text, String regex) {
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
