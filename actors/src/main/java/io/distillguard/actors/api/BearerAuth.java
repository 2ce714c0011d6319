package io.distillguard.actors.api;

import io.distillguard.actors.api.access.ApiAccess;
import io.distillguard.actors.api.access.ApiAccessSettings;
import io.distillguard.actors.api.access.Principal;
import io.distillguard.actors.api.access.Role;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The access check of routes served beside the JSON API (the console's pages and data, {@code
 * /metrics}): the same tokens, roles and refusals as every {@link ApiEndpoint} ({@link
 * ApiAccess#guard}), for one role.
 */
public final class BearerAuth {

  private final ApiAccess access;
  private final Role role;

  /** Requests need a token of {@code role} (or admin), checked by {@code access}. */
  public BearerAuth(ApiAccess access, Role role) {
    this.access = access;
    this.role = role;
  }

  /**
   * The single admin token of earlier versions on loopback ({@code token} null: every request
   * passes, as the API does without tokens on loopback).
   */
  public BearerAuth(String token) {
    this(ApiAccess.create("127.0.0.1", ApiAccessSettings.DEFAULT, token), Role.ADMIN);
  }

  /** Runs {@code inner} for a request that passes the checks for this role. */
  public Route require(Supplier<Route> inner) {
    return access.guard(role, "this page", who -> inner.get());
  }

  /** Runs {@code inner} with the caller, for a request that passes the checks for this role. */
  public Route require(Function<Principal, Route> inner) {
    return access.guard(role, "this page", inner);
  }
}
