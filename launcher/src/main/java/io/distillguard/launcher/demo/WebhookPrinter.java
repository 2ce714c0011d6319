package io.distillguard.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillguard.actors.escalation.WebhookReceiver;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Prints each verified webhook the demo's receiver gets, one line each: an escalation with its
 * level, the query count and the reasons (rule, signal, value, threshold); a throttle directive
 * with its per-category shares.
 */
public final class WebhookPrinter implements Consumer<WebhookReceiver.Received> {

  private final PrintWriter out;

  public WebhookPrinter(PrintWriter out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  @Override
  public void accept(WebhookReceiver.Received r) {
    JsonNode d = r.data();
    StringBuilder reasons = new StringBuilder();
    for (JsonNode reason : d.path("reasons")) {
      if (reasons.length() > 0) {
        reasons.append("; ");
      }
      reasons.append(
          String.format(
              "%s: %s=%.2f (threshold %.2f)",
              reason.path("rule").asText(),
              reason.path("signal").asText(),
              reason.path("value").asDouble(),
              reason.path("threshold").asDouble()));
    }
    synchronized (out) {
      if ("account.throttled".equals(r.type())) {
        out.printf(
            "  <- %-26s %-20s throttle %s%n",
            r.type(), d.path("account_id").asText(), d.path("throttle").path("categories"));
      } else {
        out.printf(
            "  <- %-26s %-20s %-8s after %4d queries  %s%n",
            r.type(),
            d.path("account_id").asText(),
            d.path("level").asText(),
            d.path("queries_observed").asLong(),
            reasons);
      }
      out.flush();
    }
  }
}
