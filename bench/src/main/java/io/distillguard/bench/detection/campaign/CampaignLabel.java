package io.distillguard.bench.detection.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillguard.bench.detection.AccountKind;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The ground truth for one account of the campaign benchmark, kept apart from the traffic.
 *
 * @param accountId the account
 * @param kind its shape
 * @param groupId the campaign it belongs to, or the hard-negative group (organisation, campus,
 *     reseller, SDK, template); {@code null} for the ordinary legitimate population
 * @param accountKind the detection benchmark's kind for a {@link CampaignKind#LEGIT} account or one
 *     of its swarms, else {@code null}
 * @param queries how many events it sent
 * @param statedUse what its profile declares
 */
public record CampaignLabel(
    String accountId,
    CampaignKind kind,
    String groupId,
    AccountKind accountKind,
    int queries,
    String statedUse) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** True for campaign members. */
  public boolean campaign() {
    return kind.campaign();
  }

  /** One JSON line. */
  public String toJson() {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("account_id", accountId);
    o.put("kind", kind.name());
    o.put("role", kind.role().name());
    if (groupId != null) {
      o.put("group_id", groupId);
    }
    if (accountKind != null) {
      o.put("account_kind", accountKind.name());
    }
    o.put("queries", queries);
    o.put("stated_use", statedUse);
    return o.toString();
  }

  /** Parses one line written by {@link #toJson()}. */
  public static CampaignLabel fromJson(String line) {
    try {
      JsonNode n = MAPPER.readTree(line);
      return new CampaignLabel(
          n.path("account_id").asText(),
          CampaignKind.valueOf(n.path("kind").asText()),
          n.hasNonNull("group_id") ? n.get("group_id").asText() : null,
          n.hasNonNull("account_kind") ? AccountKind.valueOf(n.get("account_kind").asText()) : null,
          n.path("queries").asInt(),
          n.path("stated_use").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
