package io.distillguard.actors.metrics;

import io.distillguard.actors.api.BearerAuth;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /metrics}: the {@link ServiceMetrics} in the Prometheus text format, behind the API's
 * bearer token when one is set (give Prometheus the token: {@code authorization.credentials_file}
 * in its scrape config). The scrape reads the database, so it runs on the blocking executor.
 */
public final class MetricsRoute extends AllDirectives {

  private final BearerAuth auth;
  private final ServiceMetrics metrics;
  private final Executor blocking;

  public MetricsRoute(BearerAuth auth, ServiceMetrics metrics, Executor blocking) {
    this.auth = auth;
    this.metrics = metrics;
    this.blocking = blocking;
  }

  public Route route() {
    return path("metrics", () -> get(() -> auth.require(this::scrape)));
  }

  private Route scrape() {
    return completeWithFuture(
        CompletableFuture.supplyAsync(
            () ->
                HttpResponse.create()
                    .withStatus(StatusCodes.OK)
                    .withEntity(
                        ContentTypes.create(MediaTypes.TEXT_PLAIN, HttpCharsets.UTF_8),
                        metrics.scrape().getBytes(StandardCharsets.UTF_8)),
            blocking));
  }
}
