package io.distillguard.launcher;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a command serving until Ctrl-C (SIGINT/SIGTERM), then lets it stop its parts in order: the
 * shutdown hook releases {@link #await()} and waits (at most {@link #GRACE_SECONDS}) until the
 * command says it has closed everything ({@link #closed()}), so the journal and the outbox are shut
 * down cleanly rather than cut off.
 */
final class ConsoleServing {

  static final long GRACE_SECONDS = 30;

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private Thread hook;

  /** Blocks until the process is asked to stop. */
  void await() {
    hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                closed.await(GRACE_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "console-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Everything is closed: the shutdown may go on. */
  void closed() {
    closed.countDown();
  }
}
