package io.distillguard.actors.escalation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: claims due PENDING messages (see {@link Outbox#claim}; any node of a cluster
 * may run a dispatcher over the shared outbox, and a message is attempted by one node at a time),
 * POSTs each as signed JSON (Standard Webhooks headers) to its destination's URL, records the
 * outcome, and schedules retries per the {@link RetryPolicy}. 2xx = delivered; any other status, a
 * network error or a timeout is a failed attempt. Runs on one daemon loop thread and at most {@code
 * maxInFlight} attempt threads, one per outstanding request (each sends and records its outcome, so
 * no blocking write runs on a shared pool), plus the HTTP client's own threads. The {@code
 * webhook-id} and body never change between attempts; the timestamp and signature are made fresh
 * per attempt (receivers check the timestamp's age).
 */
public final class WebhookDispatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

  /** How long a claimed delivery stays with this node beyond its request timeout. */
  static final long CLAIM_MARGIN_MILLIS = 5_000;

  private final Outbox outbox;
  private final Map<Delivery.Destination, URI> urls;
  private final WebhookSigner signer;
  private final RetryPolicy retry;
  private final Duration requestTimeout;
  private final int maxInFlight;
  private final Clock clock;
  private final HttpClient http;
  // Each attempt blocks one of these threads: at most maxInFlight, gone when idle.
  private final ThreadPoolExecutor attempts;
  private final RandomGenerator random = RandomGenerator.getDefault();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final Object signal = new Object();
  private final AtomicBoolean running = new AtomicBoolean();
  private boolean woken;
  private Thread loop;
  private volatile Listener listener = new Listener() {};

  /** Told of settled deliveries (the metrics); called on the attempt threads. */
  public interface Listener {
    /** {@code d} was answered 2xx at {@code nowMillis}. */
    default void delivered(Delivery d, long nowMillis) {}

    /** {@code d} exhausted its retries and is kept as EXHAUSTED. */
    default void exhausted(Delivery d) {}
  }

  /** Sets the one listener told of settled deliveries. */
  public void listen(Listener listener) {
    this.listener = listener;
  }

  /**
   * @param urls destination to URL; a destination without a URL is never enqueued (see {@link
   *     Escalations})
   */
  public WebhookDispatcher(
      Outbox outbox,
      Map<Delivery.Destination, URI> urls,
      WebhookSigner signer,
      RetryPolicy retry,
      Duration requestTimeout,
      int maxInFlight,
      Clock clock) {
    this.outbox = outbox;
    this.urls = new EnumMap<>(urls);
    this.signer = signer;
    this.retry = retry;
    this.requestTimeout = requestTimeout;
    this.maxInFlight = maxInFlight;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(requestTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    AtomicInteger threads = new AtomicInteger();
    this.attempts =
        new ThreadPoolExecutor(
            maxInFlight,
            maxInFlight,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "webhook-attempt-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    attempts.allowCoreThreadTimeOut(true);
  }

  /** Starts the delivery loop (resuming whatever was pending before a restart). */
  public synchronized void start() {
    if (running.compareAndSet(false, true)) {
      loop = new Thread(this::run, "webhook-dispatcher");
      loop.setDaemon(true);
      loop.start();
    }
  }

  /** Tells the loop that something may have become due (a new message, a finished attempt). */
  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  /** Requests outstanding right now. */
  public int inFlight() {
    return inFlight.size();
  }

  private void run() {
    while (running.get()) {
      try {
        int free = maxInFlight - inFlight.size();
        if (free > 0) {
          long now = clock.millis();
          // The claim's lease outlives one attempt; the attempt's outcome replaces it.
          long leaseUntil = now + requestTimeout.toMillis() + CLAIM_MARGIN_MILLIS;
          List<Delivery> due = outbox.claim(now, free, leaseUntil);
          for (Delivery d : due) {
            if (inFlight.add(d.webhookId())) {
              send(d);
            }
          }
        }
        long wait = Math.max(1, Math.min(1000, outbox.nextDueMillis() - clock.millis()));
        synchronized (signal) {
          if (!woken && running.get()) {
            signal.wait(wait);
          }
          woken = false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (!running.get()) {
          return;
        }
        LOG.warn("webhook dispatcher loop failed; retrying in 1 s", e);
        sleepQuietly();
      }
    }
  }

  private void send(Delivery d) {
    URI url = urls.get(d.destination());
    int attempt = d.attempts() + 1;
    if (url == null) {
      // Configuration changed since the message was enqueued: keep it, visibly.
      try {
        finish(d, attempt, null, "no URL configured for destination " + d.destination(), null);
      } finally {
        inFlight.remove(d.webhookId());
      }
      return;
    }
    long ts = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(requestTimeout)
            .header("content-type", "application/json")
            .header("webhook-id", d.webhookId())
            .header("webhook-timestamp", Long.toString(ts))
            .header("webhook-signature", signer.sign(d.webhookId(), ts, d.body()))
            .POST(HttpRequest.BodyPublishers.ofString(d.body()))
            .build();
    try {
      attempts.execute(() -> attempt(d, attempt, request));
    } catch (RejectedExecutionException e) {
      // Closing: the claim lapses and the delivery is attempted again later.
      inFlight.remove(d.webhookId());
    }
  }

  /** Sends one attempt and records its outcome (on an attempt thread, blocking). */
  private void attempt(Delivery d, int attempt, HttpRequest request) {
    HttpResponse<Void> response = null;
    Exception error = null;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException | RuntimeException e) {
      error = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = e;
    }
    record(d, attempt, response, error);
  }

  private void record(Delivery d, int attempt, HttpResponse<Void> response, Exception error) {
    try {
      if (error != null) {
        finish(d, attempt, null, describe(error), null);
      } else if (response.statusCode() / 100 == 2) {
        long now = clock.millis();
        outbox.markDelivered(d.webhookId(), attempt, response.statusCode(), now);
        listener.delivered(d, now);
        LOG.debug(
            "delivered {} ({}) for account {} on attempt {}",
            d.webhookId(),
            d.eventType(),
            d.accountId(),
            attempt);
      } else {
        Optional<Duration> retryAfter =
            RetryPolicy.parseRetryAfter(
                response.headers().firstValue("retry-after").orElse(null), clock.instant());
        finish(
            d,
            attempt,
            response.statusCode(),
            "HTTP " + response.statusCode(),
            retryAfter.orElse(null));
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot record the outcome of delivery {}", d.webhookId(), e);
    } finally {
      inFlight.remove(d.webhookId());
      wake();
    }
  }

  private void finish(Delivery d, int attempt, Integer status, String error, Duration retryAfter) {
    long now = clock.millis();
    Optional<Duration> next =
        url(d) == null
            ? Optional.empty()
            : retry.nextDelay(
                attempt, d.createdAtMillis(), now, Optional.ofNullable(retryAfter), random);
    if (next.isPresent()) {
      outbox.markRetry(d.webhookId(), attempt, status, error, now, now + next.get().toMillis());
      LOG.warn(
          "delivery {} for account {} failed on attempt {} ({}); next in {} ms",
          d.webhookId(),
          d.accountId(),
          attempt,
          error,
          next.get().toMillis());
    } else {
      outbox.markExhausted(d.webhookId(), attempt, status, error, now);
      listener.exhausted(d);
      LOG.warn(
          "delivery {} ({}) for account {} EXHAUSTED after {} attempts ({}); kept in the outbox",
          d.webhookId(),
          d.eventType(),
          d.accountId(),
          attempt,
          error);
    }
  }

  /** The failure's type and message, or its cause where it has no message of its own. */
  private static String describe(Exception error) {
    String message = error.getMessage();
    if (message == null && error.getCause() != null) {
      message = error.getCause().toString();
    }
    return error.getClass().getSimpleName() + ": " + message;
  }

  private URI url(Delivery d) {
    return urls.get(d.destination());
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the loop; outstanding attempts finish in the background or are retried after restart. */
  @Override
  public void close() {
    running.set(false);
    wake();
    Thread t;
    synchronized (this) {
      t = loop;
    }
    try {
      if (t != null) {
        t.join(5000);
      }
      // Let attempts already on the wire record their outcome, so a restart does not resend a
      // message the receiver has already acknowledged.
      long deadline = System.nanoTime() + requestTimeout.toNanos() + 1_000_000_000L;
      while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      attempts.shutdown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
