package io.distillguard.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;

/**
 * The account-profile part of the contract: reads one profile line into an {@link AccountProfile}
 * (throwing {@link Invalid} with the first rule it breaks, fields in contract order) and writes one
 * back.
 */
final class ProfileCodec implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The profile field that carries the stated use's embedding (base64 little-endian float32). */
  static final String STATED_USE_EMBEDDING_B64 = "stated_use_embedding_b64";

  private final ContractLimits limits;

  ProfileCodec(ContractLimits limits) {
    this.limits = limits;
  }

  AccountProfile read(String line) {
    JsonNode root = JsonLines.readObject(line, limits.maxLineChars());
    return new AccountProfile(
        Fields.requiredId(root, "account_id"),
        Fields.requiredText(root, "stated_use"),
        Fields.optionalId(root, "org_id"),
        Fields.optionalName(root, "tier"),
        Fields.optionalTimestamp(root, "created_at"),
        Fields.optionalTimestamp(root, "verified_at"),
        Fields.optionalName(root, "signup_ip"),
        Fields.optionalName(root, "payment_fingerprint"),
        Fields.optionalName(root, "email_domain"),
        statedUseEmbeddingOf(root));
  }

  /** The optional {@code stated_use_embedding_b64}, read like an event's {@code embedding_b64}. */
  private float[] statedUseEmbeddingOf(JsonNode root) {
    JsonNode v = Fields.present(root, STATED_USE_EMBEDDING_B64);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw new Invalid(STATED_USE_EMBEDDING_B64 + " must be a base64 string");
    }
    try {
      return EmbeddingBase64.decode(
          STATED_USE_EMBEDDING_B64, v.asText(), limits.embeddingDimension());
    } catch (IllegalArgumentException e) {
      throw new Invalid(e.getMessage());
    }
  }

  String write(AccountProfile p) {
    ObjectNode o = JsonLines.NODES.objectNode();
    o.put("account_id", p.accountId());
    o.put("stated_use", p.statedUse());
    JsonLines.putIfPresent(o, "org_id", p.orgId());
    JsonLines.putIfPresent(o, "tier", p.tier());
    if (p.createdAt() != null) {
      o.put("created_at", Timestamps.format(p.createdAt()));
    }
    if (p.verifiedAt() != null) {
      o.put("verified_at", Timestamps.format(p.verifiedAt()));
    }
    JsonLines.putIfPresent(o, "signup_ip", p.signupIp());
    JsonLines.putIfPresent(o, "payment_fingerprint", p.paymentFingerprint());
    JsonLines.putIfPresent(o, "email_domain", p.emailDomain());
    if (p.statedUseEmbedding() != null) {
      o.put(STATED_USE_EMBEDDING_B64, EmbeddingBase64.encode(p.statedUseEmbedding()));
    }
    return JsonLines.write(o);
  }
}
