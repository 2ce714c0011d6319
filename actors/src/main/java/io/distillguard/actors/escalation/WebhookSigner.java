package io.distillguard.actors.escalation;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies webhook messages per the Standard Webhooks specification: the signed content
 * is {@code {webhook-id}.{webhook-timestamp}.{body}}, the MAC is HMAC-SHA256 keyed with the
 * base64-decoded part of a {@code whsec_...} secret, and the header value is {@code v1,<base64>}.
 * Several space-separated signatures may be sent (key rotation); one valid {@code v1} signature is
 * enough. Thread-safe; the secret is never exposed by {@link #toString()}.
 */
public final class WebhookSigner {

  /** The prefix of a Standard Webhooks secret. */
  public static final String SECRET_PREFIX = "whsec_";

  private static final String ALGORITHM = "HmacSHA256";
  private final byte[] key;

  private WebhookSigner(byte[] key) {
    if (key.length == 0) {
      throw new IllegalArgumentException("webhook secret must not be empty");
    }
    this.key = key.clone();
  }

  /**
   * A signer for a secret of the form {@code whsec_<base64>} (a bare base64 string is accepted
   * too).
   *
   * @throws IllegalArgumentException if the secret is not valid base64
   */
  public static WebhookSigner fromSecret(String secret) {
    String encoded =
        secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
    try {
      return new WebhookSigner(Base64.getDecoder().decode(encoded.trim()));
    } catch (IllegalArgumentException e) {
      // Do not echo the secret into the exception message.
      throw new IllegalArgumentException(
          "webhook secret is not valid base64 (expected whsec_<base64>)");
    }
  }

  /** The {@code webhook-signature} header value for one message: {@code v1,<base64 HMAC>}. */
  public String sign(String webhookId, long timestampSeconds, String body) {
    return "v1," + Base64.getEncoder().encodeToString(mac(webhookId, timestampSeconds, body));
  }

  /**
   * True when at least one of the space-separated {@code v1,...} signatures in {@code
   * signatureHeader} matches. Comparison is constant-time. Timestamp tolerance is the receiver's
   * policy and is checked by {@link #verify(String, long, String, String, long, long)}.
   */
  public boolean verify(
      String webhookId, long timestampSeconds, String body, String signatureHeader) {
    if (signatureHeader == null) {
      return false;
    }
    byte[] expected = mac(webhookId, timestampSeconds, body);
    for (String candidate : signatureHeader.trim().split(" +")) {
      int comma = candidate.indexOf(',');
      if (comma < 0 || !candidate.substring(0, comma).equals("v1")) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(candidate.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (MessageDigest.isEqual(expected, given)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Like {@link #verify(String, long, String, String)} and additionally rejects a timestamp more
   * than {@code toleranceSeconds} away from {@code nowSeconds} (replay protection).
   */
  public boolean verify(
      String webhookId,
      long timestampSeconds,
      String body,
      String signatureHeader,
      long nowSeconds,
      long toleranceSeconds) {
    return Math.abs(nowSeconds - timestampSeconds) <= toleranceSeconds
        && verify(webhookId, timestampSeconds, body, signatureHeader);
  }

  private byte[] mac(String webhookId, long timestampSeconds, String body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac.doFinal(
          (webhookId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "WebhookSigner[secret=<redacted>]";
  }
}
