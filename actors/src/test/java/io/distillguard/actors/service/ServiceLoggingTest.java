package io.distillguard.actors.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The actor service's production logging ({@code src/service/logback.xml}, packaged into the
 * service jar): DistillGuard at INFO, libraries at WARN, Pekko at INFO; text lines by default and
 * one JSON object per line when {@code distillguard.log.format=json}.
 */
class ServiceLoggingTest {

  private static final Path CONFIG = Path.of("src", "service", "logback.xml");

  @Test
  void infoForDistillGuardWarnForLibrariesAsText() throws Exception {
    List<String> lines = logWith(null);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO .*")
        .contains("AccountEntity - account a-1 escalated");
    assertThat(lines.get(1)).contains("WARN").contains("broker unreachable");
    assertThat(lines.get(2)).contains("INFO").contains("Cluster Node");
    assertThat(String.join("\n", lines)).doesNotContain("fetch", "statement", "detail");
  }

  @Test
  void jsonLinesWhenAsked() throws Exception {
    List<String> lines = logWith("json");
    assertThat(lines).hasSize(3);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    assertThat(first.path("level").asText()).isEqualTo("INFO");
    assertThat(first.path("loggerName").asText())
        .isEqualTo("io.distillguard.actors.account.AccountEntity");
    assertThat(first.path("formattedMessage").asText())
        .isEqualTo("account a-1 escalated OK -> REVIEW at 120 queries");
    assertThat(first.has("timestamp")).isTrue();
    for (String line : lines) {
      assertThat(json.readTree(line).isObject()).as(line).isTrue();
    }
  }

  private static List<String> logWith(String format) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    try {
      // The console appender writes to System.out as it was when the appender started.
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      if (format != null) {
        context.putProperty("distillguard.log.format", format);
      }
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(CONFIG.toFile());
      Logger entity = context.getLogger("io.distillguard.actors.account.AccountEntity");
      Logger kafka = context.getLogger("org.apache.kafka.clients.consumer.internals.Fetcher");
      Logger slick = context.getLogger("slick.jdbc.JdbcBackend.statement");
      Logger pekko = context.getLogger("org.apache.pekko.cluster.Cluster");
      entity.debug("detail for a-1");
      entity.info("account {} escalated {} -> {} at {} queries", "a-1", "OK", "REVIEW", 120);
      kafka.debug("fetch from partition 3");
      kafka.info("fetch position reset");
      kafka.warn("broker unreachable");
      slick.debug("statement: insert into event_journal");
      pekko.info("Cluster Node [pekko://distillguard@127.0.0.1:25520] - is Up");
    } finally {
      context.stop();
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
