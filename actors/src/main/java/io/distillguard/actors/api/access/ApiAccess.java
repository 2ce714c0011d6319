package io.distillguard.actors.api.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.api.ApiEndpoint;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks every request of the HTTP API passes before its endpoint runs, in this order:
 *
 * <ol>
 *   <li>{@code Host} names this API (a loopback name, the bind address or one of the allowed
 *       hosts), else 403: a page on another site that rebinds its DNS name to this address is
 *       refused;
 *   <li>no {@code Origin} of another host and no {@code Sec-Fetch-Site} other than {@code
 *       same-origin} / {@code none}, else 403: browsers never act for another site (no CORS headers
 *       are ever sent either);
 *   <li>a bearer token of a role the endpoint's {@link ApiEndpoint#role()} permits: none or an
 *       unknown one 401, a known one of another role 403 (public endpoints skip this);
 *   <li>a request with a body method ({@code POST}, {@code PUT}, {@code PATCH}) carries {@code
 *       application/json}, else 415;
 *   <li>the body is at most {@link ApiAccessSettings#maxRequestBytes()}, else 413.
 * </ol>
 *
 * <p>It fails closed: {@link #create} refuses a non-loopback bind address without tokens. Without
 * tokens (loopback only) every caller is {@link Principal#ANONYMOUS}.
 */
public final class ApiAccess extends AllDirectives {

  private static final Logger LOG = LoggerFactory.getLogger(ApiAccess.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "[::1]");

  private final ApiTokens tokens;
  private final Set<String> allowedHosts;
  private final long maxRequestBytes;

  private ApiAccess(ApiTokens tokens, Set<String> allowedHosts, long maxRequestBytes) {
    this.tokens = tokens;
    this.allowedHosts = allowedHosts;
    this.maxRequestBytes = maxRequestBytes;
  }

  /**
   * The checks for an API bound to {@code bindHost}.
   *
   * @param fallbackToken the single {@code DISTILLGUARD_API_TOKEN} of earlier versions (an admin
   *     token), or null
   * @throws IllegalStateException when {@code bindHost} is not a loopback address and no token is
   *     configured, or it is a wildcard address and no allowed host is named
   * @throws IllegalArgumentException for a malformed token list
   */
  public static ApiAccess create(
      String bindHost, ApiAccessSettings settings, String fallbackToken) {
    ApiTokens tokens = ApiTokens.of(settings.tokens(), settings.tokensFile(), fallbackToken);
    InetAddress bind;
    try {
      bind = InetAddress.getByName(bindHost);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("cannot resolve the HTTP bind address " + bindHost, e);
    }
    if (!bind.isLoopbackAddress() && !tokens.configured()) {
      throw new IllegalStateException(
          "refusing to serve the HTTP API on "
              + bindHost
              + " without credentials: set DISTILLGUARD_API_TOKENS or DISTILLGUARD_API_TOKENS_FILE"
              + " (see README, Access), or bind to 127.0.0.1");
    }
    Set<String> hosts = new LinkedHashSet<>(LOOPBACK_NAMES);
    if (!bind.isAnyLocalAddress()) {
      hosts.add(hostName(bindHost));
    } else if (settings.allowedHosts().isEmpty()) {
      throw new IllegalStateException(
          "the HTTP API binds to every interface ("
              + bindHost
              + "): set DISTILLGUARD_HTTP_ALLOWED_HOSTS to the host names clients use (e.g. the"
              + " Kubernetes Service's name), so that requests naming another host are refused");
    }
    hosts.addAll(settings.allowedHosts());
    LOG.info(
        "HTTP API access: {} tokens, hosts {}, request bodies up to {} bytes",
        tokens.configured() ? tokens.size() : "no",
        hosts,
        settings.maxRequestBytes());
    return new ApiAccess(tokens, Set.copyOf(hosts), settings.maxRequestBytes());
  }

  /** True when the API needs tokens. */
  public boolean authenticated() {
    return tokens.configured();
  }

  /**
   * Runs {@code inner} with the caller once the request passed every check for {@code endpoint};
   * otherwise answers with the refusal.
   */
  public Route guard(ApiEndpoint endpoint, Function<Principal, Route> inner) {
    return guard(endpoint.role(), endpoint.toString(), inner);
  }

  /**
   * As {@link #guard(ApiEndpoint, Function)} for a route that is not an {@link ApiEndpoint} (the
   * console, {@code /metrics}): {@code what} names it in refusals.
   */
  public Route guard(Role required, String what, Function<Principal, Route> inner) {
    return respondWithHeaders(
        List.of(
            RawHeader.create("Cache-Control", "no-store"),
            RawHeader.create("X-Content-Type-Options", "nosniff")),
        () ->
            extractRequest(
                request -> {
                  Optional<HttpResponse> refused = refuseForeign(request, required);
                  if (refused.isPresent()) {
                    return complete(refused.get());
                  }
                  Principal who;
                  if (required == Role.PUBLIC || !tokens.configured()) {
                    who = Principal.ANONYMOUS;
                  } else {
                    Optional<Principal> found = bearer(request).flatMap(tokens::authenticate);
                    if (found.isEmpty()) {
                      return complete(
                          error(StatusCodes.UNAUTHORIZED, "missing or unknown bearer token")
                              .addHeader(RawHeader.create("WWW-Authenticate", "Bearer")));
                    }
                    who = found.get();
                    if (!who.role().permits(required)) {
                      LOG.warn(
                          "token {} ({}) refused for {}", who.name(), who.role().label(), what);
                      return complete(
                          error(
                              StatusCodes.FORBIDDEN,
                              what + " needs the " + required.label() + " role"));
                    }
                  }
                  Optional<HttpResponse> bad = refuseBody(request);
                  if (bad.isPresent()) {
                    return complete(bad.get());
                  }
                  return withSizeLimit(maxRequestBytes, () -> inner.apply(who));
                }));
  }

  private Optional<HttpResponse> refuseForeign(HttpRequest request, Role required) {
    String host =
        request.getHeader("Host").map(HttpHeader::value).map(ApiAccess::hostName).orElse("");
    // Probes of an orchestrator address the pod by its IP: public endpoints reveal nothing.
    if (required != Role.PUBLIC && !allowedHosts.contains(host)) {
      return Optional.of(error(StatusCodes.FORBIDDEN, "requests must name this API's host"));
    }
    Optional<String> origin = request.getHeader("Origin").map(HttpHeader::value);
    if (origin.isPresent() && !allowedHosts.contains(originHost(origin.get()))) {
      return Optional.of(error(StatusCodes.FORBIDDEN, "cross-origin requests are refused"));
    }
    Optional<String> site =
        request.getHeader("Sec-Fetch-Site").map(h -> h.value().toLowerCase(Locale.ROOT));
    if (site.isPresent() && !site.get().equals("same-origin") && !site.get().equals("none")) {
      return Optional.of(error(StatusCodes.FORBIDDEN, "cross-site requests are refused"));
    }
    return Optional.empty();
  }

  private Optional<HttpResponse> refuseBody(HttpRequest request) {
    String method = request.method().value();
    if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      if (!request.entity().getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
        return Optional.of(
            error(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json"));
      }
    }
    if (request.entity().getContentLengthOption().isPresent()
        && request.entity().getContentLengthOption().getAsLong() > maxRequestBytes) {
      return Optional.of(
          error(
              StatusCodes.PAYLOAD_TOO_LARGE,
              "the body is larger than " + maxRequestBytes + " bytes"));
    }
    return Optional.empty();
  }

  private static Optional<String> bearer(HttpRequest request) {
    return request
        .getHeader("Authorization")
        .map(HttpHeader::value)
        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(v -> v.substring(7).strip());
  }

  /** The host part of a {@code Host} header value or bind address, lower case, without port. */
  static String hostName(String hostAndPort) {
    String h = hostAndPort.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    if (h.indexOf(':') != h.lastIndexOf(':')) {
      return "[" + h + "]"; // a bare IPv6 address
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private static String originHost(String origin) {
    try {
      URI uri = URI.create(origin.strip());
      return uri.getHost() == null ? "" : hostName(uri.getHost());
    } catch (IllegalArgumentException e) {
      return ""; // "null" and garbage name no allowed host
    }
  }

  private static HttpResponse error(StatusCode status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
