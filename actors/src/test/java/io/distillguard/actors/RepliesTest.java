package io.distillguard.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class RepliesTest {

  private static final ActorTestKit TEST_KIT = ActorTestKit.create();

  record Ping(ActorRef<String> replyTo) {}

  /** Answers each ping only when told to, so that stages are chained before the reply exists. */
  sealed interface HeldCommand {}

  record Hold(ActorRef<String> replyTo) implements HeldCommand {}

  record Release() implements HeldCommand {}

  @AfterAll
  static void stop() {
    TEST_KIT.shutdownTestKit();
  }

  @Test
  void stagesChainedToAReplyRunOnTheGivenExecutor() throws Exception {
    ActorRef<HeldCommand> held =
        TEST_KIT.spawn(
            Behaviors.setup(
                context -> {
                  List<ActorRef<String>> waiting = new ArrayList<>();
                  return Behaviors.receive(HeldCommand.class)
                      .onMessage(
                          Hold.class,
                          h -> {
                            waiting.add(h.replyTo());
                            return Behaviors.same();
                          })
                      .onMessage(
                          Release.class,
                          r -> {
                            waiting.forEach(w -> w.tell("pong"));
                            waiting.clear();
                            return Behaviors.same();
                          })
                      .build();
                }));
    ExecutorService pool =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "replies-test-executor"));
    Set<String> threads = ConcurrentHashMap.newKeySet();
    Executor recording =
        command ->
            pool.execute(
                () -> {
                  threads.add(Thread.currentThread().getName());
                  command.run();
                });
    try {
      for (int i = 0; i < 20; i++) {
        CompletableFuture<String> stage =
            Replies.on(
                    recording,
                    AskPattern.<HeldCommand, String>ask(
                        held, Hold::new, Duration.ofSeconds(3), TEST_KIT.scheduler()))
                .thenApply(reply -> reply + " on " + Thread.currentThread().getName());
        held.tell(new Release());

        assertThat(stage.get(3, TimeUnit.SECONDS)).isEqualTo("pong on replies-test-executor");
      }
      // Pekko's own future would have run the stage on the JVM's default async pool.
      assertThat(threads).containsExactly("replies-test-executor");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedReplyFailsTheStageWithItsError() {
    ActorRef<Ping> silent = TEST_KIT.spawn(Behaviors.receiveMessage(p -> Behaviors.same()));
    Executor direct = Runnable::run;

    CompletableFuture<String> stage =
        Replies.on(
            direct,
            AskPattern.<Ping, String>ask(
                silent, Ping::new, Duration.ofMillis(100), TEST_KIT.scheduler()));

    assertThatThrownBy(() -> stage.get(3, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class);
  }
}
