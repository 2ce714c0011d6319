package io.distillguard.actors.escalation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A reference receiver for DistillGuard's webhooks: an HTTP server on 127.0.0.1 (an ephemeral port)
 * that does what an operator's endpoint must do with every request, and records it.
 *
 * <ul>
 *   <li>verifies the Standard Webhooks signature ({@code webhook-id}, {@code webhook-timestamp},
 *       {@code webhook-signature} over the exact body) with the shared secret, refusing a timestamp
 *       more than {@value #TOLERANCE_SECONDS} s from now; a request that does not verify is
 *       answered 401 and counted as {@link #rejected()};
 *   <li>answers a verified request as its {@linkplain #answers(IntFunction) answer script} says for
 *       that webhook id's attempt number (204 by default; a script can fail the first attempts, ask
 *       for a {@code Retry-After}, and so on);
 *   <li>deduplicates by {@code webhook-id}: the first acknowledged request of an id is a new
 *       {@linkplain #received() delivery} (and goes to the listener); a redelivery is acknowledged
 *       again and only counted.
 * </ul>
 *
 * The demo, the end-to-end tests and the detection benchmark receive their webhooks through it.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** Replay protection: a request signed more than this far from now is refused. */
  public static final long TOLERANCE_SECONDS = 300;

  /** A new acknowledged webhook (its first acknowledged request). */
  public record Received(String webhookId, String type, JsonNode data, String body) {

    /** {@code data.account_id}, or {@code null}. */
    public String accountId() {
      return data.hasNonNull("account_id") ? data.get("account_id").asText() : null;
    }

    /** {@code data.level}, or {@code null}. */
    public String level() {
      return data.hasNonNull("level") ? data.get("level").asText() : null;
    }

    /** {@code data.queries_observed}, or -1. */
    public long queriesObserved() {
      return data.path("queries_observed").asLong(-1);
    }
  }

  /** One request as it arrived, with the status it was answered. */
  public record Attempt(
      String webhookId,
      long timestamp,
      String contentType,
      String body,
      boolean signatureValid,
      int answered,
      long atMillis) {}

  /** What to answer a verified request: a status and an optional {@code Retry-After} value. */
  public record Answer(int status, String retryAfter) {

    public static Answer ok() {
      return new Answer(204, null);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final WebhookSigner signer;
  private final Consumer<Received> listener;
  private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> attemptsById = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> acknowledged = new ConcurrentHashMap<>();
  private final AtomicInteger rejected = new AtomicInteger();
  private volatile IntFunction<Answer> answers = n -> Answer.ok();

  private WebhookReceiver(String secret, int port, Consumer<Received> listener) throws IOException {
    this.signer = WebhookSigner.fromSecret(secret);
    this.listener = Objects.requireNonNull(listener, "listener");
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Starts a receiver that verifies with {@code secret} (a {@code whsec_} secret). */
  public static WebhookReceiver start(String secret) throws IOException {
    return new WebhookReceiver(secret, 0, r -> {});
  }

  /** Like {@link #start(String)}; {@code listener} sees every new delivery as it arrives. */
  public static WebhookReceiver start(String secret, Consumer<Received> listener)
      throws IOException {
    return new WebhookReceiver(secret, 0, listener);
  }

  /**
   * Like {@link #start(String)} on a given port of 127.0.0.1 (e.g. one a sender was pointed at
   * before the receiver came up).
   */
  public static WebhookReceiver start(String secret, int port) throws IOException {
    return new WebhookReceiver(secret, port, r -> {});
  }

  /**
   * Sets the answer to a verified request by its attempt number (1-based) for its webhook id; 2xx
   * answers acknowledge.
   */
  public void answers(IntFunction<Answer> byAttempt) {
    this.answers = Objects.requireNonNull(byAttempt, "byAttempt");
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Where escalations go ({@code /review}). */
  public String reviewUrl() {
    return url("/review").toString();
  }

  /** Where throttle directives go ({@code /throttle}). */
  public String throttleUrl() {
    return url("/throttle").toString();
  }

  /** Every new delivery (first acknowledged request per webhook id), in arrival order. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Every request, verified or not, in arrival order. */
  public List<Attempt> attempts() {
    return new ArrayList<>(attempts);
  }

  /** How many requests carried this webhook id. */
  public int attemptsOf(String webhookId) {
    AtomicInteger n = attemptsById.get(webhookId);
    return n == null ? 0 : n.get();
  }

  /** Webhook id to how many times it was acknowledged (a redelivery after a crash counts). */
  public Map<String, Integer> acknowledged() {
    Map<String, Integer> out = new TreeMap<>();
    acknowledged.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** The bodies of the acknowledged webhooks, by webhook id. */
  public Map<String, String> bodies() {
    Map<String, String> out = new TreeMap<>();
    received.forEach(r -> out.put(r.webhookId(), r.body()));
    return out;
  }

  /** Requests refused because their signature or timestamp did not verify. */
  public int rejected() {
    return rejected.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String id = exchange.getRequestHeaders().getFirst("webhook-id");
      long timestamp = parseOrMinusOne(exchange.getRequestHeaders().getFirst("webhook-timestamp"));
      String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
      boolean valid =
          id != null
              && signature != null
              && timestamp >= 0
              && signer.verify(
                  id,
                  timestamp,
                  body,
                  signature,
                  Instant.now().getEpochSecond(),
                  TOLERANCE_SECONDS);
      Answer answer;
      if (!valid) {
        rejected.incrementAndGet();
        answer = new Answer(401, null);
      } else {
        int n = attemptsById.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        answer = answers.apply(n);
      }
      attempts.add(
          new Attempt(
              id,
              timestamp,
              exchange.getRequestHeaders().getFirst("content-type"),
              body,
              valid,
              answer.status(),
              System.currentTimeMillis()));
      if (valid && answer.status() / 100 == 2) {
        acknowledge(id, body);
      }
      if (answer.retryAfter() != null) {
        exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
      }
      exchange.sendResponseHeaders(answer.status(), -1);
    } catch (RuntimeException e) {
      exchange.sendResponseHeaders(400, -1);
    }
  }

  private void acknowledge(String id, String body) {
    if (acknowledged.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() == 1) {
      JsonNode json;
      try {
        json = JSON.readTree(body);
      } catch (JsonProcessingException e) {
        json = JSON.missingNode(); // acknowledged all the same: the signature verified
      }
      Received r = new Received(id, json.path("type").asText(), json.path("data"), body);
      received.add(r);
      listener.accept(r);
    }
  }

  private static long parseOrMinusOne(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
