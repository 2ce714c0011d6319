package io.distillguard.actors.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The API's one access check: when a bearer token is configured, a request must carry {@code
 * Authorization: Bearer <token>} (compared in constant time), else it is answered 401. Shared by
 * the JSON API, the console's data and {@code /metrics}, so every route that shows data is guarded
 * the same way.
 */
public final class BearerAuth extends AllDirectives {

  private final byte[] expected;

  /** {@code token} null: every request passes (the API is unauthenticated). */
  public BearerAuth(String token) {
    this.expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  /** Runs {@code inner} for a request with the right token (or for any when none is set). */
  public Route require(Supplier<Route> inner) {
    if (expected == null) {
      return inner.get();
    }
    return optionalHeaderValueByName(
        "Authorization",
        header -> {
          if (header.isPresent()
              && MessageDigest.isEqual(expected, header.get().getBytes(StandardCharsets.UTF_8))) {
            return inner.get();
          }
          return complete(
              HttpResponse.create()
                  .withStatus(StatusCodes.UNAUTHORIZED)
                  .withEntity(
                      ContentTypes.APPLICATION_JSON,
                      ApiJson.bytes(Map.of("error", "missing or wrong bearer token")))
                  .addHeader(RawHeader.create("WWW-Authenticate", "Bearer")));
        });
  }
}
