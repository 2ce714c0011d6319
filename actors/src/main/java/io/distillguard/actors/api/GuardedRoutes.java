package io.distillguard.actors.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.api.access.ApiAccess;
import io.distillguard.actors.api.access.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way an {@link ApiEndpoint} is served, shared by every route class of the API: the access
 * checks of {@link ApiAccess#guard} for the endpoint's role, then its query parameters (an unknown
 * one is refused with 400 naming the accepted ones), then the route with the caller; and the JSON
 * answer of a route's asynchronous work (a failure answers 500 without details, logged here).
 */
public final class GuardedRoutes extends AllDirectives {

  private static final Logger LOG = LoggerFactory.getLogger(GuardedRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApiAccess access;

  public GuardedRoutes(ApiAccess access) {
    this.access = access;
  }

  /**
   * Serves {@code inner} with the caller once the request passed the access checks for {@code e}
   * (host, origin, token and role, content type, body size) and names only query parameters that
   * {@code e} accepts.
   */
  public Route endpoint(ApiEndpoint e, Function<Principal, Route> inner) {
    return access.guard(e, who -> accepts(e, () -> inner.apply(who)));
  }

  /**
   * Runs {@code inner} when every query parameter of the request is one {@code endpoint} accepts;
   * otherwise answers 400 naming the unknown parameters and the accepted ones (a misspelt filter
   * must not silently return everything).
   */
  private Route accepts(ApiEndpoint endpoint, Supplier<Route> inner) {
    return parameterMap(
        params -> {
          List<String> unknown = endpoint.unknown(params.keySet());
          if (unknown.isEmpty()) {
            return inner.get();
          }
          Map<String, Object> body = new LinkedHashMap<>();
          body.put(
              "error",
              "unknown query parameter"
                  + (unknown.size() == 1 ? " " : "s ")
                  + String.join(", ", unknown)
                  + " for "
                  + endpoint
                  + "; accepted: "
                  + (endpoint.queryParameters().isEmpty()
                      ? "none"
                      : String.join(", ", endpoint.queryParameters())));
          body.put("accepted", endpoint.queryParameters());
          return complete(json(StatusCodes.BAD_REQUEST, body));
        });
  }

  /** Completes with what {@code work} answers; a failure (thrown or async) answers 500. */
  public Route respond(Supplier<CompletionStage<HttpResponse>> work) {
    CompletionStage<HttpResponse> stage;
    try {
      stage = work.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return onComplete(
        stage,
        t -> {
          if (t.isSuccess()) {
            return complete(t.get());
          }
          LOG.warn("API request failed", t.failed().get());
          return complete(
              json(StatusCodes.INTERNAL_SERVER_ERROR, Map.of("error", "internal error")));
        });
  }

  /** A JSON answer. */
  public static HttpResponse json(StatusCode status, Object body) {
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** 400 with {@code {"error": message}}. */
  public static HttpResponse badRequest(String message) {
    return json(StatusCodes.BAD_REQUEST, Map.of("error", message));
  }
}
