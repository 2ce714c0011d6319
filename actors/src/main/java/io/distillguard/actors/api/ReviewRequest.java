package io.distillguard.actors.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.policy.Level;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.pattern.StatusReply;

/**
 * The body of a review, of an account or of a campaign: {@code {"verdict": "CLEARED" | "CONFIRMED",
 * "reviewer": "...", "note": "..."}}.
 *
 * @param note the reviewer's reason; null when the body has none
 */
public record ReviewRequest(Level verdict, String reviewer, String note) {

  /** What a malformed body is answered with. */
  public static final String USAGE =
      "body must be {\"verdict\":\"CLEARED\"|\"CONFIRMED\",\"reviewer\":\"...\",\"note\":\"...\"}";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The review in {@code body}.
   *
   * @throws IllegalArgumentException when the body is not JSON, the verdict is neither CLEARED nor
   *     CONFIRMED, or the reviewer is blank
   */
  public static ReviewRequest parse(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n == null) {
        throw new IllegalArgumentException(USAGE);
      }
      Level verdict = Level.valueOf(n.path("verdict").asText(""));
      String reviewer = n.path("reviewer").asText("");
      String note =
          n.path("note").isMissingNode() || n.path("note").isNull()
              ? null
              : n.path("note").asText();
      if (verdict != Level.CLEARED && verdict != Level.CONFIRMED) {
        throw new IllegalArgumentException("verdict must be CLEARED or CONFIRMED");
      }
      if (reviewer.isBlank()) {
        throw new IllegalArgumentException("reviewer is required");
      }
      return new ReviewRequest(verdict, reviewer, note);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException(USAGE, e);
    }
  }

  /** The audit log's detail of this review. */
  public String auditDetail() {
    return "verdict=" + verdict + " reviewer=" + reviewer;
  }

  /**
   * The answer to a review once the entity replied: {@code ok} when it took the verdict, {@code
   * notFound} when it refused with a message starting {@code unknownPrefix} (no such account or
   * campaign), 400 with the message for any other refusal; any other failure fails the request.
   */
  static HttpResponse answer(
      Throwable error,
      String unknownPrefix,
      Supplier<HttpResponse> ok,
      Supplier<HttpResponse> notFound) {
    if (error == null) {
      return ok.get();
    }
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    if (cause instanceof StatusReply.ErrorMessage m && m.getMessage().startsWith(unknownPrefix)) {
      return notFound.get();
    }
    if (cause instanceof StatusReply.ErrorMessage m) {
      return GuardedRoutes.badRequest(m.getMessage());
    }
    throw new IllegalStateException(cause);
  }
}
