package io.distillguard.actors.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /v1/quarantine/retry}: {@code {"seqs": [12, 13]}} (the entries to record
 * again), or {@code {"all": true}} (the oldest {@value #MAX_SEQS} entries).
 *
 * @param seqs the entries asked for; empty with {@code all}
 * @param all whether the oldest entries (up to {@value #MAX_SEQS}) are asked for
 */
public record QuarantineRetryRequest(List<Long> seqs, boolean all) {

  /** The most entries one request takes back. */
  public static final int MAX_SEQS = 1_000;

  /** What a malformed body is answered with. */
  public static final String USAGE =
      "body must be {\"seqs\":[...]} (1 to " + MAX_SEQS + " sequence numbers) or {\"all\":true}";

  /**
   * The request in {@code body}.
   *
   * @throws IllegalArgumentException when the body is neither form
   */
  public static QuarantineRetryRequest parse(String body) {
    JsonNode n = RequestBodies.oneFieldObject(body, USAGE);
    if (n.has("all")) {
      if (!n.path("all").isBoolean() || !n.path("all").asBoolean()) {
        throw new IllegalArgumentException(USAGE);
      }
      return new QuarantineRetryRequest(List.of(), true);
    }
    JsonNode seqs = RequestBodies.items(n.path("seqs"), MAX_SEQS, USAGE);
    List<Long> out = new ArrayList<>(seqs.size());
    for (JsonNode seq : seqs) {
      if (!seq.isIntegralNumber() || seq.asLong() <= 0) {
        throw new IllegalArgumentException(USAGE);
      }
      out.add(seq.asLong());
    }
    return new QuarantineRetryRequest(List.copyOf(out), false);
  }
}
