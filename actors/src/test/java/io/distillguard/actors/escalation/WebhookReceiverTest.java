package io.distillguard.actors.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.escalation.WebhookReceiver.Answer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookReceiverTest {

  private static final String SECRET =
      "whsec_" + Base64.getEncoder().encodeToString("receiver-test-secret-key".getBytes());
  private static final WebhookSigner SIGNER = WebhookSigner.fromSecret(SECRET);
  private static final String BODY =
      "{\"type\":\"account.review_requested\",\"data\":{\"account_id\":\"acct-1\","
          + "\"level\":\"REVIEW\",\"queries_observed\":412}}";

  private static HttpResponse<Void> post(
      WebhookReceiver r, String id, long timestamp, String body, String signature)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(r.url("/review"))
            .header("content-type", "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", Long.toString(timestamp))
            .header("webhook-signature", signature)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
  }

  @Test
  void keepsVerifiedDeliveriesOnceAndRefusesForgedStaleAndUnsignedOnes() throws Exception {
    long now = Instant.now().getEpochSecond();
    List<WebhookReceiver.Received> heard = new ArrayList<>();
    try (WebhookReceiver r = WebhookReceiver.start(SECRET, heard::add)) {
      String good = SIGNER.sign("msg_1", now, BODY);
      // one of several space-separated signatures is enough (secret rotation)
      assertThat(post(r, "msg_1", now, BODY, "v1,AAAA " + good).statusCode()).isEqualTo(204);
      assertThat(post(r, "msg_1", now, BODY, good).statusCode()).isEqualTo(204);
      // another id, the body changed, an old timestamp, a bad signature: all refused
      assertThat(post(r, "msg_2", now, BODY, good).statusCode()).isEqualTo(401);
      assertThat(post(r, "msg_1", now, BODY + " ", good).statusCode()).isEqualTo(401);
      long stale = now - WebhookReceiver.TOLERANCE_SECONDS - 60;
      assertThat(post(r, "msg_3", stale, BODY, SIGNER.sign("msg_3", stale, BODY)).statusCode())
          .isEqualTo(401);
      assertThat(post(r, "msg_4", now, BODY, "v1,AAAA").statusCode()).isEqualTo(401);

      assertThat(r.received())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.webhookId()).isEqualTo("msg_1");
                assertThat(d.type()).isEqualTo("account.review_requested");
                assertThat(d.accountId()).isEqualTo("acct-1");
                assertThat(d.level()).isEqualTo("REVIEW");
                assertThat(d.queriesObserved()).isEqualTo(412);
              });
      assertThat(heard).isEqualTo(r.received());
      assertThat(r.acknowledged()).isEqualTo(Map.of("msg_1", 2));
      assertThat(r.rejected()).isEqualTo(4);
      assertThat(r.attempts()).hasSize(6);
    }
  }

  @Test
  void answersVerifiedRequestsByAttemptNumber() throws Exception {
    long now = Instant.now().getEpochSecond();
    try (WebhookReceiver r = WebhookReceiver.start(SECRET)) {
      r.answers(n -> n == 1 ? new Answer(429, "7") : Answer.ok());
      String signature = SIGNER.sign("msg_9", now, BODY);

      HttpResponse<Void> first = post(r, "msg_9", now, BODY, signature);
      assertThat(first.statusCode()).isEqualTo(429);
      assertThat(first.headers().firstValue("Retry-After")).hasValue("7");
      assertThat(r.received()).isEmpty();

      assertThat(post(r, "msg_9", now, BODY, signature).statusCode()).isEqualTo(204);
      assertThat(r.attemptsOf("msg_9")).isEqualTo(2);
      assertThat(r.received())
          .extracting(WebhookReceiver.Received::webhookId)
          .containsExactly("msg_9");
      assertThat(r.bodies()).containsEntry("msg_9", BODY);
    }
  }
}
