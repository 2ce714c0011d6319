package io.distillguard.launcher.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.distillguard.actors.escalation.WebhookSigner;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real webhook receiver on 127.0.0.1 for the end-to-end tests: verifies every signature (401 when
 * it does not verify), fails the first attempts of every webhook id (500, then 429 with {@code
 * Retry-After: 1}) and accepts the next, and records what it accepted.
 */
final class FlakyReceiver implements AutoCloseable {

  record Accepted(String webhookId, String type, String accountId, String level, JsonNode data) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final WebhookSigner signer;
  private final int failuresPerId;
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> acceptedCount = new ConcurrentHashMap<>();
  private final List<Accepted> accepted = new CopyOnWriteArrayList<>();
  private final AtomicInteger badSignatures = new AtomicInteger();

  FlakyReceiver(String secret, int failuresPerId) throws IOException {
    this.signer = WebhookSigner.fromSecret(secret);
    this.failuresPerId = failuresPerId;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String id = exchange.getRequestHeaders().getFirst("webhook-id");
      String ts = exchange.getRequestHeaders().getFirst("webhook-timestamp");
      String sig = exchange.getRequestHeaders().getFirst("webhook-signature");
      if (id == null || ts == null || !signer.verify(id, Long.parseLong(ts), body, sig)) {
        badSignatures.incrementAndGet();
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      if (attempt <= failuresPerId) {
        if (attempt % 2 == 1) {
          exchange.sendResponseHeaders(500, -1);
        } else {
          exchange.getResponseHeaders().add("Retry-After", "1");
          exchange.sendResponseHeaders(429, -1);
        }
        return;
      }
      JsonNode json = JSON.readTree(body);
      JsonNode data = json.path("data");
      if (acceptedCount.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() == 1) {
        accepted.add(
            new Accepted(
                id,
                json.path("type").asText(),
                data.path("account_id").asText(),
                data.path("level").asText(),
                data));
      }
      exchange.sendResponseHeaders(204, -1);
    }
  }

  List<Accepted> accepted() {
    return List.copyOf(accepted);
  }

  /** How many times each webhook id was accepted (2xx); a redelivery after a crash counts. */
  Map<String, Integer> acceptedCounts() {
    Map<String, Integer> out = new ConcurrentHashMap<>();
    acceptedCount.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  int attemptsOf(String webhookId) {
    AtomicInteger n = attempts.get(webhookId);
    return n == null ? 0 : n.get();
  }

  int badSignatures() {
    return badSignatures.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
