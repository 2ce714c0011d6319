package io.distillguard.bench.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The benchmark's stand-in for the operator's review system: an HTTP endpoint on 127.0.0.1 that
 * verifies each Standard Webhooks signature (HMAC-SHA256 over {@code id.timestamp.body} with the
 * base64 key of a {@code whsec_} secret), answers 401 to what does not verify and 204 otherwise,
 * and keeps the first delivery of every webhook id.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One verified webhook. */
  public record Delivery(String webhookId, String type, JsonNode data) {

    /** The account it is about ({@code data.account_id}), or {@code null}. */
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

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final byte[] key;
  private final Map<String, Delivery> byId = new ConcurrentHashMap<>();
  private final List<Delivery> arrivals = new ArrayList<>();
  private final AtomicInteger rejected = new AtomicInteger();

  private WebhookReceiver(String secret) throws IOException {
    if (secret == null || !secret.startsWith("whsec_")) {
      throw new IllegalArgumentException("secret must start with whsec_");
    }
    this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Starts a receiver on an ephemeral port of 127.0.0.1. */
  public static WebhookReceiver start(String secret) throws IOException {
    return new WebhookReceiver(secret);
  }

  /** Where escalations go. */
  public String reviewUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/review";
  }

  /** Where throttle directives go. */
  public String throttleUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/throttle";
  }

  /** Every verified delivery (first arrival per webhook id), in arrival order. */
  public List<Delivery> deliveries() {
    synchronized (arrivals) {
      return List.copyOf(arrivals);
    }
  }

  /** Deliveries refused because their signature did not verify. */
  public int rejected() {
    return rejected.get();
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
          || !verifies(id, timestamp, body, signature)) {
        rejected.incrementAndGet();
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      JsonNode json = MAPPER.readTree(body);
      Delivery d = new Delivery(id, json.path("type").asText(), json.path("data"));
      if (byId.putIfAbsent(id, d) == null) {
        synchronized (arrivals) {
          arrivals.add(d);
        }
      }
      exchange.sendResponseHeaders(204, -1);
    } catch (RuntimeException e) {
      exchange.sendResponseHeaders(400, -1);
    }
  }

  /** True when one of the space-separated {@code v1,} signatures matches. */
  boolean verifies(String id, String timestamp, String body, String header) {
    byte[] expected = sign(id + "." + timestamp + "." + body);
    for (String part : header.trim().split(" ")) {
      if (part.startsWith("v1,")) {
        try {
          byte[] given = Base64.getDecoder().decode(part.substring(3));
          if (MessageDigest.isEqual(expected, given)) {
            return true;
          }
        } catch (IllegalArgumentException e) {
          // not base64: not a match
        }
      }
    }
    return false;
  }

  byte[] sign(String content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
