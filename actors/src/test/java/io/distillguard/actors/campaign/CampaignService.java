package io.distillguard.actors.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.ClusterSettings;
import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.actors.escalation.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The actor service as the campaign integration tests run it: one local node on {@code data}, its
 * webhooks to {@code receiver}, its HTTP API on a free loopback port, no evidence store; and the
 * webhooks that node delivered, by type.
 */
final class CampaignService {

  /** The signing secret of {@link #start} and its receiver. */
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  private static final ObjectMapper JSON = new ObjectMapper();

  private CampaignService() {}

  /** A receiver that verifies {@link #SECRET}'s signatures. */
  static WebhookReceiver receiver() throws IOException {
    return WebhookReceiver.start(SECRET);
  }

  static ActorService start(Path data, WebhookReceiver receiver) {
    return ActorService.startWith(
        ActorSettings.defaults(data)
            .withWebhook(receiver.url("/review"), SECRET)
            .withHttp("127.0.0.1", 0, null),
        ClusterSettings.local(),
        new EvidenceSource.Unavailable("not needed here"));
  }

  /** The {@code data} of every webhook of {@code type} {@code receiver} got. */
  static List<JsonNode> messages(WebhookReceiver receiver, String type) {
    List<JsonNode> out = new ArrayList<>();
    for (String body : receiver.bodies().values()) {
      try {
        JsonNode n = JSON.readTree(body);
        if (n.path("type").asText().equals(type)) {
          out.add(n.path("data"));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }
}
