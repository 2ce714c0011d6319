package io.distillguard.actors.escalation;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Base64;
import java.util.Locale;

/**
 * What a webhook destination and signing secret must be before anything is sent: a URL over {@code
 * https}, or plain {@code http} to a loopback address only (a local receiver, the demo), so
 * escalations with account details never cross a network in clear text; and a {@code
 * whsec_<base64>} secret of at least {@value #MIN_SECRET_BYTES} bytes (Standard Webhooks generates
 * 24 to 64), so signatures cannot be forged by guessing the key.
 */
public final class WebhookPolicy {

  /** The shortest signing key accepted, in bytes after base64 decoding. */
  public static final int MIN_SECRET_BYTES = 24;

  private WebhookPolicy() {}

  /**
   * @throws IllegalArgumentException for a URL that is neither https nor http to loopback
   */
  public static void checkUrl(String what, URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return;
    }
    if (scheme.equals("http") && loopback(url.getHost())) {
      return;
    }
    throw new IllegalArgumentException(
        what
            + " must use https (plain http only to 127.0.0.1, ::1 or localhost): "
            + url.getScheme()
            + "://"
            + url.getHost());
  }

  /**
   * @throws IllegalArgumentException for a secret that is not whsec_base64 of enough bytes (the
   *     message never holds the secret)
   */
  public static void checkSecret(String secret) {
    if (secret == null || !secret.startsWith("whsec_")) {
      throw new IllegalArgumentException("the webhook secret must be whsec_<base64>");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.substring("whsec_".length()).trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the webhook secret is not whsec_<base64>");
    }
    if (key.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "the webhook secret's key is "
              + key.length
              + " bytes, at least "
              + MIN_SECRET_BYTES
              + " are needed (e.g. whsec_ + base64 of 32 random bytes)");
    }
  }

  private static boolean loopback(String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    // Only literal addresses: a name is not resolved (its answer could change after the check).
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
