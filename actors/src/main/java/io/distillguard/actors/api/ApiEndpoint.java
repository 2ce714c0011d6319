package io.distillguard.actors.api;

import java.util.List;

/**
 * One endpoint of the HTTP API and the query parameters it accepts. {@link #ALL} is the list the
 * routes enforce (a request with any other query parameter is refused with 400 and the accepted
 * ones), and the list that the API description ({@code openapi.yaml}) and README's endpoint table
 * are checked against, so none of the three can drift from the others.
 *
 * @param method HTTP method
 * @param path path template, {@code {id}} for the account id
 * @param queryParameters the accepted query parameters, in documentation order
 */
public record ApiEndpoint(String method, String path, List<String> queryParameters) {

  public ApiEndpoint {
    queryParameters = List.copyOf(queryParameters);
  }

  public static final ApiEndpoint HEALTH = get("/v1/health");
  public static final ApiEndpoint HEALTH_LIVE = get("/v1/health/live");
  public static final ApiEndpoint HEALTH_READY = get("/v1/health/ready");
  public static final ApiEndpoint ACCOUNTS = get("/v1/accounts", "level", "limit");
  public static final ApiEndpoint ACCOUNT = get("/v1/accounts/{id}");
  public static final ApiEndpoint REVIEW =
      new ApiEndpoint("POST", "/v1/accounts/{id}/review", List.of());
  public static final ApiEndpoint EVIDENCE =
      get("/v1/accounts/{id}/evidence", "near", "from", "to", "limit");
  public static final ApiEndpoint CASES = get("/v1/cases");
  public static final ApiEndpoint THROTTLES = get("/v1/throttles");
  public static final ApiEndpoint DELIVERIES = get("/v1/deliveries", "status", "limit");

  /** Every endpoint the API serves. */
  public static final List<ApiEndpoint> ALL =
      List.of(
          HEALTH,
          HEALTH_LIVE,
          HEALTH_READY,
          ACCOUNTS,
          ACCOUNT,
          REVIEW,
          EVIDENCE,
          CASES,
          THROTTLES,
          DELIVERIES);

  private static ApiEndpoint get(String path, String... queryParameters) {
    return new ApiEndpoint("GET", path, List.of(queryParameters));
  }

  /** The query parameters of {@code given} this endpoint does not accept, sorted. */
  public List<String> unknown(Iterable<String> given) {
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    for (String name : given) {
      if (!queryParameters.contains(name)) {
        out.add(name);
      }
    }
    return List.copyOf(out);
  }

  /** {@code GET /v1/accounts} */
  @Override
  public String toString() {
    return method + " " + path;
  }
}
