package io.distillguard.actors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.distillguard.actors.escalation.WebhookSigner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP webhook receiver on 127.0.0.1 (JDK HttpServer) for tests: verifies every request's
 * Standard Webhooks signature (401 when it does not verify), answers per a script, and records
 * every attempt and every acknowledged (2xx) message.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One request as received. */
  public record Attempt(
      String webhookId,
      long timestamp,
      String body,
      boolean signatureValid,
      int answered,
      long atMillis) {}

  /** What to answer: status and an optional Retry-After header value. */
  public record Answer(int status, String retryAfter) {
    public static Answer ok() {
      return new Answer(200, null);
    }
  }

  private final HttpServer server;
  private final WebhookSigner signer;
  private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> acknowledged = new ConcurrentHashMap<>();
  private final Map<String, String> acknowledgedBodies = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> attemptsById = new ConcurrentHashMap<>();
  private volatile Function<Integer, Answer> script = n -> Answer.ok();

  public WebhookReceiver(String secret) throws IOException {
    this.signer = WebhookSigner.fromSecret(secret);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Sets the answer by attempt number (1-based) of each webhook-id. */
  public void script(Function<Integer, Answer> byAttempt) {
    this.script = byAttempt;
  }

  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String id = ex.getRequestHeaders().getFirst("webhook-id");
      String tsHeader = ex.getRequestHeaders().getFirst("webhook-timestamp");
      long ts = tsHeader == null ? -1 : Long.parseLong(tsHeader);
      boolean valid =
          id != null
              && "application/json".equals(ex.getRequestHeaders().getFirst("content-type"))
              && signer.verify(
                  id,
                  ts,
                  body,
                  ex.getRequestHeaders().getFirst("webhook-signature"),
                  Instant.now().getEpochSecond(),
                  300);
      int n =
          attemptsById
              .computeIfAbsent(String.valueOf(id), k -> new AtomicInteger())
              .incrementAndGet();
      Answer answer = valid ? script.apply(n) : new Answer(401, null);
      attempts.add(new Attempt(id, ts, body, valid, answer.status(), System.currentTimeMillis()));
      if (answer.status() / 100 == 2) {
        acknowledged.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        acknowledgedBodies.put(id, body);
      }
      if (answer.retryAfter() != null) {
        ex.getResponseHeaders().add("Retry-After", answer.retryAfter());
      }
      ex.sendResponseHeaders(answer.status(), -1);
    }
  }

  public List<Attempt> attempts() {
    return new ArrayList<>(attempts);
  }

  /** webhook-id to how many times it was acknowledged with a 2xx. */
  public Map<String, Integer> acknowledged() {
    Map<String, Integer> out = new java.util.TreeMap<>();
    acknowledged.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** The bodies of acknowledged messages by webhook-id. */
  public Map<String, String> bodies() {
    return Map.copyOf(acknowledgedBodies);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
