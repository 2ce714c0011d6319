package io.distillguard.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.distillguard.actors.escalation.WebhookSigner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A webhook receiver on 127.0.0.1 that stands in for the operator's review system and gateway in
 * the demo: it verifies every Standard Webhooks signature, rejects what does not verify with 401,
 * and prints what arrives.
 */
public final class DemoReceiver implements AutoCloseable {

  /** One verified delivery. */
  public record Received(String webhookId, String type, JsonNode data) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Replay protection: a delivery signed more than this far from now is refused. */
  private static final long TOLERANCE_SECONDS = 300;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final WebhookSigner signer;
  private final PrintWriter out;
  private final Map<String, Received> byId = new ConcurrentHashMap<>();
  private final List<Received> arrivals = Collections.synchronizedList(new ArrayList<>());

  private DemoReceiver(String secret, PrintWriter out) throws IOException {
    this.signer = WebhookSigner.fromSecret(secret);
    this.out = out;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Starts a receiver on an ephemeral port of 127.0.0.1. */
  public static DemoReceiver start(String secret, PrintWriter out) throws IOException {
    return new DemoReceiver(secret, out);
  }

  /** Where escalations should be sent. */
  public String reviewUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/review";
  }

  /** Where throttle directives should be sent. */
  public String throttleUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/throttle";
  }

  /** Every verified delivery, first arrival per webhook id, in arrival order. */
  public List<Received> arrivals() {
    synchronized (arrivals) {
      return List.copyOf(arrivals);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String id = exchange.getRequestHeaders().getFirst("webhook-id");
      String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
      String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
      if (id == null
          || timestamp == null
          || signature == null
          || !signer.verify(
              id,
              Long.parseLong(timestamp),
              body,
              signature,
              System.currentTimeMillis() / 1000,
              TOLERANCE_SECONDS)) {
        out.println("  ! rejected a delivery whose signature does not verify");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      JsonNode json = MAPPER.readTree(body);
      Received received = new Received(id, json.path("type").asText(), json.path("data"));
      if (byId.putIfAbsent(id, received) == null) {
        arrivals.add(received);
        print(received);
      }
      exchange.sendResponseHeaders(204, -1);
    } catch (RuntimeException e) {
      exchange.sendResponseHeaders(400, -1);
    }
  }

  private void print(Received r) {
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

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
