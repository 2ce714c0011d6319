package io.distillguard.actors.api.access;

import java.util.Locale;

/**
 * What a caller of the HTTP API may do. Every endpoint declares the role it requires ({@code
 * ApiEndpoint#role()}); a token carries one role.
 *
 * <ul>
 *   <li>{@link #PUBLIC}: no token (liveness and readiness probes only).
 *   <li>{@link #GATEWAY}: reads throttle directives, nothing else.
 *   <li>{@link #REVIEWER}: accounts, cases, evidence and reviews.
 *   <li>{@link #ADMIN}: everything, including deliveries, erasure, the audit log and policy status.
 * </ul>
 */
public enum Role {
  PUBLIC,
  GATEWAY,
  REVIEWER,
  ADMIN;

  /** True when a caller holding this role may call an endpoint that requires {@code required}. */
  public boolean permits(Role required) {
    return required == PUBLIC || this == ADMIN || this == required;
  }

  /**
   * The role named {@code name} in a token list ({@code gateway}, {@code reviewer}, {@code admin}).
   */
  public static Role parse(String name) {
    Role role;
    try {
      role = Role.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      role = PUBLIC;
    }
    if (role == PUBLIC) {
      throw new IllegalArgumentException(
          "unknown role '" + name + "': expected gateway, reviewer or admin");
    }
    return role;
  }

  /** The lower-case name used in token lists and documentation. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
