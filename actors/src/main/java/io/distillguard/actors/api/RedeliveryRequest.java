package io.distillguard.actors.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /v1/deliveries/redeliver}: {@code {"webhook_ids": ["...", ...]}} (the
 * deliveries to send again), or {@code {"status": "EXHAUSTED"}} (the newest {@value #MAX_IDS}
 * exhausted ones).
 *
 * @param webhookIds the ids asked for; empty with {@code allExhausted}
 * @param allExhausted whether every exhausted delivery (up to {@value #MAX_IDS}) is asked for
 */
public record RedeliveryRequest(List<String> webhookIds, boolean allExhausted) {

  /** The most deliveries one request puts back. */
  public static final int MAX_IDS = 1_000;

  /** What a malformed body is answered with. */
  public static final String USAGE =
      "body must be {\"webhook_ids\":[\"...\"]} (1 to "
          + MAX_IDS
          + " ids) or {\"status\":\"EXHAUSTED\"}";

  /**
   * The request in {@code body}.
   *
   * @throws IllegalArgumentException when the body is neither form
   */
  public static RedeliveryRequest parse(String body) {
    JsonNode n = RequestBodies.oneFieldObject(body, USAGE);
    if (n.has("status")) {
      if (!"EXHAUSTED".equals(n.path("status").asText())) {
        throw new IllegalArgumentException(USAGE);
      }
      return new RedeliveryRequest(List.of(), true);
    }
    JsonNode ids = RequestBodies.items(n.path("webhook_ids"), MAX_IDS, USAGE);
    List<String> out = new ArrayList<>(ids.size());
    for (JsonNode id : ids) {
      if (!id.isTextual() || id.asText().isBlank()) {
        throw new IllegalArgumentException(USAGE);
      }
      out.add(id.asText());
    }
    return new RedeliveryRequest(List.copyOf(out), false);
  }
}
