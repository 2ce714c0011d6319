package io.distillguard.actors;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Replies to Pekko's asks as plain futures completed on one of the actor system's threads. Pekko's
 * Java asks return futures that run every dependent stage asynchronously on the JVM's default pool
 * (so that no callback runs on the thread that completed the reply); on a machine or container of
 * one or two cores that pool is a new thread per stage, and on a larger one it is the common
 * fork-join pool, shared with the rest of the process. Chained to a reply through {@link #on}, the
 * stages run on {@code executor} instead: the actor system's dispatcher for light continuations
 * (building the next message, logging), never for blocking work, which keeps its own executor.
 */
public final class Replies {

  private Replies() {}

  /** {@code reply}'s outcome, handed over on {@code executor}. */
  public static <T> CompletableFuture<T> on(Executor executor, CompletionStage<T> reply) {
    CompletableFuture<T> plain = new CompletableFuture<>();
    reply.whenCompleteAsync(
        (value, error) -> {
          if (error != null) {
            plain.completeExceptionally(error);
          } else {
            plain.complete(value);
          }
        },
        executor);
    return plain;
  }
}
