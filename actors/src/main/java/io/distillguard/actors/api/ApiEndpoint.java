package io.distillguard.actors.api;

import io.distillguard.actors.api.access.Role;
import java.util.List;

/**
 * One endpoint of the HTTP API, the query parameters it accepts and the role it requires. {@link
 * #ALL} is the list the routes enforce (a request with any other query parameter is refused with
 * 400 and the accepted ones), and the list that the API description ({@code openapi.yaml}) and
 * README's endpoint table are checked against, so none of the three can drift from the others. The
 * role is declared here and nowhere else: the routes enforce it through {@code ApiAccess#guard}, so
 * an endpoint added later only names its role.
 *
 * @param method HTTP method
 * @param path path template, {@code {id}} for the account or campaign id
 * @param queryParameters the accepted query parameters, in documentation order
 * @param role the role a caller's token needs ({@link Role#PUBLIC}: none)
 */
public record ApiEndpoint(String method, String path, List<String> queryParameters, Role role) {

  public ApiEndpoint {
    queryParameters = List.copyOf(queryParameters);
    java.util.Objects.requireNonNull(role, "role");
  }

  public static final ApiEndpoint HEALTH = get(Role.ADMIN, "/v1/health");
  public static final ApiEndpoint HEALTH_LIVE = get(Role.PUBLIC, "/v1/health/live");
  public static final ApiEndpoint HEALTH_READY = get(Role.PUBLIC, "/v1/health/ready");
  public static final ApiEndpoint ACCOUNTS = get(Role.REVIEWER, "/v1/accounts", "level", "limit");
  public static final ApiEndpoint ACCOUNT = get(Role.REVIEWER, "/v1/accounts/{id}");
  public static final ApiEndpoint REVIEW =
      new ApiEndpoint("POST", "/v1/accounts/{id}/review", List.of(), Role.REVIEWER);
  public static final ApiEndpoint EVIDENCE =
      get(Role.REVIEWER, "/v1/accounts/{id}/evidence", "near", "from", "to", "limit", "offset");
  public static final ApiEndpoint ERASE =
      new ApiEndpoint("DELETE", "/v1/accounts/{id}/data", List.of(), Role.ADMIN);
  public static final ApiEndpoint CASES = get(Role.REVIEWER, "/v1/cases", "members");
  public static final ApiEndpoint THROTTLES = get(Role.GATEWAY, "/v1/throttles");
  public static final ApiEndpoint DELIVERIES = get(Role.ADMIN, "/v1/deliveries", "status", "limit");
  public static final ApiEndpoint REDELIVER =
      new ApiEndpoint("POST", "/v1/deliveries/redeliver", List.of(), Role.ADMIN);
  public static final ApiEndpoint AUDIT = get(Role.ADMIN, "/v1/audit", "after", "limit");
  public static final ApiEndpoint QUARANTINE = get(Role.ADMIN, "/v1/quarantine", "after", "limit");
  public static final ApiEndpoint QUARANTINE_RETRY =
      new ApiEndpoint("POST", "/v1/quarantine/retry", List.of(), Role.ADMIN);
  public static final ApiEndpoint CAMPAIGNS = get(Role.REVIEWER, "/v1/campaigns", "level", "limit");
  public static final ApiEndpoint CAMPAIGN = get(Role.REVIEWER, "/v1/campaigns/{id}");
  public static final ApiEndpoint CAMPAIGN_REVIEW =
      new ApiEndpoint("POST", "/v1/campaigns/{id}/review", List.of(), Role.REVIEWER);

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
          ERASE,
          CASES,
          THROTTLES,
          DELIVERIES,
          REDELIVER,
          AUDIT,
          QUARANTINE,
          QUARANTINE_RETRY,
          CAMPAIGNS,
          CAMPAIGN,
          CAMPAIGN_REVIEW);

  private static ApiEndpoint get(Role role, String path, String... queryParameters) {
    return new ApiEndpoint("GET", path, List.of(queryParameters), role);
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
