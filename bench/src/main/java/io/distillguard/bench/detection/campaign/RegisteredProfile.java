package io.distillguard.bench.detection.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.ContractCodec;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A v1 account profile with the optional registration fields a provider keeps at sign-up ({@code
 * signup_ip}, {@code payment_fingerprint}, {@code email_domain}); each is {@code null} where the
 * provider would not have it (no card on a free tier). Readers that do not know the fields ignore
 * them, so the line stays v1.
 *
 * @param profile the v1 fields
 * @param signupIp the address the account signed up from
 * @param paymentFingerprint the provider's fingerprint of the payment method
 * @param emailDomain the domain of the sign-up email address
 */
public record RegisteredProfile(
    AccountProfile profile, String signupIp, String paymentFingerprint, String emailDomain) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The account. */
  public String accountId() {
    return profile.accountId();
  }

  /** One v1 JSON line with the optional fields added. */
  public String toJson(ContractCodec codec) {
    try {
      ObjectNode o = (ObjectNode) MAPPER.readTree(codec.writeProfile(profile));
      if (signupIp != null) {
        o.put("signup_ip", signupIp);
      }
      if (paymentFingerprint != null) {
        o.put("payment_fingerprint", paymentFingerprint);
      }
      if (emailDomain != null) {
        o.put("email_domain", emailDomain);
      }
      return MAPPER.writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
