package io.distillguard.bench.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookReceiverTest {

  private static final String SECRET =
      "whsec_" + Base64.getEncoder().encodeToString("benchmark-secret-key-123".getBytes());

  private static int post(WebhookReceiver r, String id, String body, String signature)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(r.reviewUrl()))
            .header("content-type", "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", "1790000000")
            .header("webhook-signature", signature)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void keepsVerifiedDeliveriesOnceAndRefusesForgedOnes() throws Exception {
    String body =
        "{\"type\":\"account.review_requested\",\"data\":{\"account_id\":\"acct-1\","
            + "\"level\":\"REVIEW\",\"queries_observed\":412}}";
    try (WebhookReceiver r = WebhookReceiver.start(SECRET)) {
      String good = "v1," + Base64.getEncoder().encodeToString(r.sign("msg_1.1790000000." + body));
      assertThat(post(r, "msg_1", body, "v1,AAAA " + good)).isEqualTo(204);
      assertThat(post(r, "msg_1", body, good)).isEqualTo(204);
      assertThat(post(r, "msg_2", body, good)).isEqualTo(401);
      assertThat(r.deliveries())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.accountId()).isEqualTo("acct-1");
                assertThat(d.level()).isEqualTo("REVIEW");
                assertThat(d.queriesObserved()).isEqualTo(412);
              });
      assertThat(r.rejected()).isEqualTo(1);
    }
  }
}
