package io.distillguard.actors.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.ClusterSettings;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.store.StoreSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The actor service without Milvus has no store the ingest job writes to: it warns at start-up and
 * its evidence endpoint answers 503 saying why, never an empty list of records.
 */
class EvidenceUnavailableIT {

  @TempDir Path dir;

  @Test
  void withoutMilvusTheServiceWarnsAndEvidenceAnswers503WithTheReason() throws Exception {
    StoreSettings embedded = StoreSettings.fromEnvironment(dir.resolve("store"), Map.of());
    Logger logger = (Logger) LoggerFactory.getLogger(ServiceEvidence.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    ServiceEvidence evidence;
    try {
      evidence = ServiceEvidence.open(embedded);
    } finally {
      logger.detachAppender(logged);
    }
    assertThat(evidence.source()).isInstanceOf(EvidenceSource.Unavailable.class);
    assertThat(logged.list)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.WARN);
              assertThat(e.getFormattedMessage())
                  .contains("/v1/accounts/{id}/evidence will answer 503")
                  .contains("MILVUS_URI");
            });

    ActorSettings settings =
        ActorSettings.defaults(dir.resolve("data")).withHttp("127.0.0.1", 0, null);
    try (ActorService service =
        ActorService.startWith(settings, ClusterSettings.local(), evidence.source())) {
      TestFixtures.record(service, TestFixtures.ordinary("acct-o", 3));
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + service.httpPort()
                                  + "/v1/accounts/acct-o/evidence?limit=5"))
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(503);
      JsonNode body = new ObjectMapper().readTree(r.body());
      assertThat(body.path("error").asText())
          .startsWith("evidence is not available: the actor service has no vector store shared")
          .contains("MILVUS_URI");
      assertThat(body.has("records")).isFalse();
    } finally {
      evidence.close();
    }
  }

  @Test
  void withMilvusEvidenceIsServed() {
    StoreSettings milvus =
        StoreSettings.fromEnvironment(
            dir.resolve("store"), Map.of("MILVUS_URI", "http://127.0.0.1:19530"));
    assertThat(ServiceEvidence.whyUnavailable(milvus)).isEmpty();
  }
}
