package io.distillguard.actors.api.access;

import java.util.Objects;

/**
 * Who made a request: the name of the token presented (what the audit log records as "who") and its
 * role. The token itself is never kept here.
 *
 * @param name the token's name, e.g. {@code reviewer-ana}; {@code anonymous} when the API runs
 *     without credentials on loopback
 * @param role what the token may do
 */
public record Principal(String name, Role role) {

  /** The caller of an API that runs without credentials (loopback only). */
  public static final Principal ANONYMOUS = new Principal("anonymous", Role.ADMIN);

  public Principal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
  }
}
