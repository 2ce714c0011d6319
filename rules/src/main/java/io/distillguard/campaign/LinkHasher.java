package io.distillguard.campaign;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed hashing of raw link values: HMAC-SHA256 with a deployment secret, truncated to 64 bits (16
 * hex digits). Without the secret a stored key cannot be reversed by hashing every IPv4 address;
 * with the same secret the ingest job and every service derive the same keys. The type is part of
 * the hashed input, so an IP and a user agent with the same text never share a key. Thread-safe.
 */
public final class LinkHasher {

  /** The secret used when none is configured (local mode and tests only). */
  public static final String DEFAULT_SECRET = "distillguard-local-link-secret";

  private final ThreadLocal<Mac> mac;

  public LinkHasher(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("the link secret must not be empty");
    }
    SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    // A Mac is not thread-safe and costly to look up: one initialised instance per thread.
    this.mac =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(key);
                return m;
              } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
              }
            });
  }

  /** The environment variable holding the deployment's link secret. */
  public static final String SECRET_ENV = "DISTILLGUARD_LINK_SECRET";

  /**
   * A hasher with the secret in {@value #SECRET_ENV}, else {@link #DEFAULT_SECRET} (local mode; a
   * deployment sets its own, the same for the ingest job and every service).
   */
  public static LinkHasher fromEnvironment() {
    String secret = System.getenv(SECRET_ENV);
    return secret == null || secret.isBlank() ? localDefault() : new LinkHasher(secret);
  }

  /** Whether {@value #SECRET_ENV} is set. */
  public static boolean secretConfigured() {
    String secret = System.getenv(SECRET_ENV);
    return secret != null && !secret.isBlank();
  }

  /** A hasher with {@link #DEFAULT_SECRET}. */
  public static LinkHasher localDefault() {
    return new LinkHasher(DEFAULT_SECRET);
  }

  /** The key of {@code raw} as a value of {@code type}. */
  public LinkKey key(LinkType type, String raw) {
    return new LinkKey(type, hash(type.wireName() + "\u0000" + raw));
  }

  private String hash(String input) {
    byte[] digest = mac.get().doFinal(input.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 8);
  }
}
