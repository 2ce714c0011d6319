package io.distillguard.actors.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.escalation.Delivery.Destination;
import io.distillguard.actors.escalation.Delivery.Status;
import io.distillguard.actors.escalation.WebhookReceiver.Answer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outbox + dispatcher against a real HTTP receiver that verifies signatures and fails at first. */
class WebhookDeliveryIT {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @TempDir Path dir;
  private StateDatabase db;
  private Outbox outbox;
  private WebhookReceiver receiver;

  @BeforeEach
  void setUp() throws Exception {
    db = StateDatabase.open("jdbc:h2:file:" + dir.resolve("state").toAbsolutePath(), "sa", "");
    outbox = new Outbox(db);
    receiver = WebhookReceiver.start(SECRET);
  }

  @AfterEach
  void tearDown() {
    receiver.close();
    db.close();
  }

  private WebhookDispatcher dispatcher(RetryPolicy retry) {
    return new WebhookDispatcher(
        outbox,
        Map.of(
            Destination.REVIEW,
            receiver.url("/review"),
            Destination.THROTTLE,
            receiver.url("/throttle")),
        WebhookSigner.fromSecret(SECRET),
        retry,
        Duration.ofSeconds(5),
        4,
        Clock.systemUTC());
  }

  private void enqueue(String id, String body) {
    db.transact(
        c ->
            outbox.enqueue(
                c,
                id,
                Destination.REVIEW,
                "account.review_requested",
                "acct-1",
                "REVIEW",
                body,
                System.currentTimeMillis()));
  }

  private static void await(BooleanSupplier condition, Duration timeout) {
    Awaitility.await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(20))
        .until(condition::getAsBoolean);
  }

  @Test
  void retriesThrough500And429WithRetryAfterAndDeliversEachMessageOnce() throws Exception {
    receiver.answers(
        n ->
            switch (n) {
              case 1 -> new Answer(500, null);
              case 2 -> new Answer(429, "1");
              default -> Answer.ok();
            });
    RetryPolicy retry =
        new RetryPolicy(
            6, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMinutes(1), 0.5);
    for (int i = 0; i < 3; i++) {
      enqueue("msg_" + i, "{\"type\":\"account.review_requested\",\"n\":" + i + "}");
    }
    // Enqueueing the same id again is a no-op.
    enqueue("msg_0", "{\"changed\":true}");
    try (WebhookDispatcher d = dispatcher(retry)) {
      d.start();
      await(() -> outbox.pendingCount() == 0 && d.inFlight() == 0, Duration.ofSeconds(20));
    }
    assertThat(receiver.acknowledged()).isEqualTo(Map.of("msg_0", 1, "msg_1", 1, "msg_2", 1));
    assertThat(receiver.attempts()).hasSize(9).allMatch(WebhookReceiver.Attempt::signatureValid);
    assertThat(receiver.attempts())
        .extracting(WebhookReceiver.Attempt::contentType)
        .containsOnly("application/json");
    assertThat(receiver.bodies().get("msg_0")).contains("\"n\":0");
    for (Delivery d : outbox.list(null, 10)) {
      assertThat(d.status()).isEqualTo(Status.DELIVERED);
      assertThat(d.attempts()).isEqualTo(3);
      assertThat(d.lastStatus()).isEqualTo(204);
    }
    // Retry-After: 1 was honoured although the computed backoff is at most 200 ms.
    List<WebhookReceiver.Attempt> msg0 =
        receiver.attempts().stream().filter(a -> a.webhookId().equals("msg_0")).toList();
    assertThat(msg0.get(2).atMillis() - msg0.get(1).atMillis()).isGreaterThanOrEqualTo(950);
    // The same body on every attempt; a fresh timestamp is allowed.
    assertThat(msg0).extracting(WebhookReceiver.Attempt::body).containsOnly(msg0.get(0).body());
  }

  @Test
  void attemptsRunOnTheDispatchersOwnThreadsAtMostMaxInFlightOfThem() throws Exception {
    receiver.answers(n -> Answer.ok());
    RetryPolicy retry =
        new RetryPolicy(
            3, Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMinutes(1), 0.0);
    for (int i = 0; i < 40; i++) {
      enqueue("msg_t" + i, "{}");
    }
    Set<String> threads = ConcurrentHashMap.newKeySet();
    try (WebhookDispatcher d = dispatcher(retry)) {
      d.listen(
          new WebhookDispatcher.Listener() {
            @Override
            public void delivered(Delivery delivery, long nowMillis) {
              threads.add(Thread.currentThread().getName());
            }
          });
      d.start();
      await(() -> outbox.pendingCount() == 0 && d.inFlight() == 0, Duration.ofSeconds(20));
    }
    assertThat(receiver.acknowledged()).hasSize(40);
    // The outcome (a database write) is recorded on the dispatcher's threads, never on a shared
    // pool or a thread made for one attempt.
    assertThat(threads).isNotEmpty().hasSizeLessThanOrEqualTo(4);
    assertThat(threads).allMatch(t -> t.startsWith("webhook-attempt-"));
  }

  @Test
  void keepsExhaustedDeliveriesVisible() throws Exception {
    receiver.answers(n -> new Answer(503, null));
    RetryPolicy retry =
        new RetryPolicy(
            3, Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMinutes(1), 0.0);
    enqueue("msg_x", "{}");
    try (WebhookDispatcher d = dispatcher(retry)) {
      d.start();
      await(() -> outbox.pendingCount() == 0 && d.inFlight() == 0, Duration.ofSeconds(20));
    }
    assertThat(receiver.acknowledged()).isEmpty();
    assertThat(receiver.attempts()).hasSize(3);
    assertThat(outbox.list(Status.EXHAUSTED, 10))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.webhookId()).isEqualTo("msg_x");
              assertThat(d.attempts()).isEqualTo(3);
              assertThat(d.lastStatus()).isEqualTo(503);
              assertThat(d.lastError()).contains("503");
              assertThat(d.settledAtMillis()).isNotNull();
            });
    assertThat(outbox.counts())
        .containsEntry(Status.EXHAUSTED, 1L)
        .containsEntry(Status.DELIVERED, 0L);
  }

  @Test
  void anUnreachableReceiverCountsAsAFailedAttempt() throws Exception {
    RetryPolicy retry =
        new RetryPolicy(
            2, Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMinutes(1), 0.0);
    receiver.close();
    enqueue("msg_y", "{}");
    try (WebhookDispatcher d = dispatcher(retry)) {
      d.start();
      await(() -> outbox.pendingCount() == 0 && d.inFlight() == 0, Duration.ofSeconds(20));
    }
    Delivery y = outbox.list(Status.EXHAUSTED, 10).get(0);
    assertThat(y.lastStatus()).isNull();
    assertThat(y.lastError()).startsWith("ConnectException: ");
    receiver = WebhookReceiver.start(SECRET);
  }
}
