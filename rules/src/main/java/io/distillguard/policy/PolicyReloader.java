package io.distillguard.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out the current policy of a file and reloads it when the file changes (polling its content
 * hash, which works on every file system, including mounted config maps where WatchService events
 * are unreliable, and catches edits within one modification-time tick). An invalid edit is logged
 * and ignored: the last good policy stays in force. Thread-safe; {@link #get()} is a volatile read.
 */
public final class PolicyReloader implements Supplier<Policy>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyReloader.class);

  private final Path file;
  private final ScheduledExecutorService poller;
  private volatile Policy current;
  private int lastHash;
  private String lastError;

  private PolicyReloader(Path file, Policy initial, int hash, Duration poll) {
    this.file = file;
    this.current = initial;
    this.lastHash = hash;
    if (poll == null) {
      this.poller = null;
    } else {
      this.poller =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "policy-reloader");
                t.setDaemon(true);
                return t;
              });
      long ms = Math.max(1, poll.toMillis());
      poller.scheduleWithFixedDelay(this::pollSafely, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Loads {@code file} (it must be valid now) and polls it every {@code pollInterval}.
   *
   * @throws PolicyException if the file cannot be read or is invalid
   */
  public static PolicyReloader watch(Path file, Duration pollInterval) {
    Objects.requireNonNull(pollInterval, "pollInterval");
    return open(file, pollInterval);
  }

  /** Loads {@code file} without a background poller; call {@link #reloadIfChanged()} yourself. */
  public static PolicyReloader manual(Path file) {
    return open(file, null);
  }

  private static PolicyReloader open(Path file, Duration poll) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PolicyException("cannot read policy file " + file + ": " + e.getMessage(), e);
    }
    Policy initial = Policy.parse(new String(content, StandardCharsets.UTF_8), file.toString());
    LOG.info(
        "policy {} loaded from {} ({} rules)", initial.version(), file, initial.rules().size());
    return new PolicyReloader(file, initial, Arrays.hashCode(content), poll);
  }

  @Override
  public Policy get() {
    return current;
  }

  /** The watched file. */
  public Path file() {
    return file;
  }

  /** Why the last reload attempt failed, or null when the file on disk is the policy in force. */
  public synchronized String lastError() {
    return lastError;
  }

  /**
   * Reloads the file if its content changed since the last attempt.
   *
   * @return true when a new policy was put in force
   */
  public synchronized boolean reloadIfChanged() {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      String why = "cannot stat " + file + ": " + e.getMessage();
      if (!why.equals(lastError)) {
        LOG.warn("policy file unavailable, keeping policy {}: {}", current.version(), why);
      }
      lastError = why;
      return false;
    }
    int hash = Arrays.hashCode(content);
    if (hash == lastHash) {
      return false;
    }
    lastHash = hash;
    try {
      Policy next = Policy.parse(new String(content, StandardCharsets.UTF_8), file.toString());
      Policy previous = current;
      current = next;
      lastError = null;
      LOG.info(
          "policy reloaded from {}: {} -> {} ({} rules)",
          file,
          previous.version(),
          next.version(),
          next.rules().size());
      return true;
    } catch (PolicyException e) {
      lastError = e.getMessage();
      LOG.warn("policy file rejected, keeping policy {}: {}", current.version(), e.getMessage());
      return false;
    }
  }

  private void pollSafely() {
    try {
      reloadIfChanged();
    } catch (RuntimeException e) {
      LOG.warn("policy reload failed, keeping policy {}", current.version(), e);
    }
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }
}
