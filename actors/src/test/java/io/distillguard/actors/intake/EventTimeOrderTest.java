package io.distillguard.actors.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.TestFixtures;
import io.distillguard.observe.AccountObservation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTimeOrderTest {

  private static AccountObservation at(String account, long millis) {
    return TestFixtures.observation(account + "@" + millis, account, millis, "cat");
  }

  private static List<String> ids(List<AccountObservation> observations) {
    return observations.stream().map(AccountObservation::eventId).toList();
  }

  @Test
  void releasesInEventTimeOnceTheLatenessHasPassed() {
    EventTimeOrder<String> order = new EventTimeOrder<>(Duration.ofSeconds(10), 1_000);
    // Account a runs ahead: its 0, 5 and 12 s arrive before b's 1 s.
    EventTimeOrder.Released<String> first =
        order.add(List.of(at("a", 0), at("a", 5_000), at("a", 12_000)), 3, List.of("c1"));
    assertThat(ids(first.observations())).containsExactly("a@0");
    assertThat(first.settles()).isEmpty();
    assertThat(first.handled()).isZero();

    EventTimeOrder.Released<String> second =
        order.add(List.of(at("b", 1_000), at("b", 20_000)), 2, List.of("c2"));
    assertThat(ids(second.observations())).containsExactly("b@1000", "a@5000");
    assertThat(order.held()).isEqualTo(2);

    EventTimeOrder.Released<String> rest = order.flush();
    assertThat(ids(rest.observations())).containsExactly("a@12000", "b@20000");
    // Chunks complete in arrival order once all their observations are released.
    assertThat(rest.settles()).containsExactly("c1", "c2");
    assertThat(rest.handled()).isEqualTo(5);
    assertThat(order.late()).isZero();
  }

  @Test
  void theSameObservationsInAnyChunkingAndArrivalOrderAreReleasedInOneOrder() {
    List<AccountObservation> inOrder = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      inOrder.add(at("acct-" + (i % 5), 50L * i));
    }
    // Two accounts 60 observations ahead of the rest (well within the lateness).
    List<AccountObservation> skewed = new ArrayList<>();
    inOrder.stream().filter(o -> o.accountId().equals("acct-3")).limit(30).forEach(skewed::add);
    inOrder.stream().filter(o -> o.accountId().equals("acct-4")).limit(30).forEach(skewed::add);
    inOrder.stream().filter(o -> !skewed.contains(o)).forEach(skewed::add);

    List<String> reference = released(inOrder, 1);
    assertThat(reference).isEqualTo(ids(inOrder));
    for (int chunk : new int[] {1, 7, 100, 300}) {
      assertThat(released(skewed, chunk)).as("chunks of %d", chunk).isEqualTo(reference);
    }
  }

  @Test
  void anObservationLaterThanTheLatenessIsReleasedAtOnceAndCounted() {
    EventTimeOrder<String> order = new EventTimeOrder<>(Duration.ofSeconds(1), 1_000);
    order.add(List.of(at("a", 0), at("a", 5_000), at("a", 9_000)), 3, List.of("c1"));
    EventTimeOrder.Released<String> late = order.add(List.of(at("b", 100)), 1, List.of("c2"));
    assertThat(ids(late.observations())).containsExactly("b@100");
    assertThat(late.settles()).isEmpty(); // c1 still holds a@9000
    assertThat(order.late()).isEqualTo(1);
    assertThat(order.flush().settles()).containsExactly("c1", "c2");
  }

  @Test
  void aChunkWithNothingToRouteCompletesInItsTurn() {
    EventTimeOrder<String> order = new EventTimeOrder<>(Duration.ofSeconds(10), 1_000);
    order.add(List.of(at("a", 0)), 1, List.of("c1"));
    // Everything of c2 was quarantined: nothing to route, but it settles after c1.
    EventTimeOrder.Released<String> empty = order.add(List.of(), 1, List.of("c2"));
    assertThat(empty.settles()).isEmpty();
    EventTimeOrder.Released<String> all = order.flush();
    assertThat(all.settles()).containsExactly("c1", "c2");
    assertThat(all.handled()).isEqualTo(2);
  }

  private static List<String> released(List<AccountObservation> arrival, int chunk) {
    EventTimeOrder<Integer> order = new EventTimeOrder<>(Duration.ofMinutes(10), 1_000);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < arrival.size(); i += chunk) {
      List<AccountObservation> c = arrival.subList(i, Math.min(arrival.size(), i + chunk));
      out.addAll(ids(order.add(c, c.size(), List.of(i)).observations()));
    }
    out.addAll(ids(order.flush().observations()));
    return out;
  }

  @Test
  void anIdleStreamReleasesWhatItHolds() {
    EventTimeOrder<String> order = new EventTimeOrder<>(Duration.ofMinutes(10), 1_000);
    order.add(List.of(at("a", 0), at("b", 50)), 2, List.of("c1"));
    // A chunk came since the last tick: the stream is not idle.
    assertThat(order.tick().isEmpty()).isTrue();
    assertThat(order.held()).isEqualTo(2);
    EventTimeOrder.Released<String> idle = order.tick();
    assertThat(ids(idle.observations())).containsExactly("a@0", "b@50");
    assertThat(idle.settles()).containsExactly("c1");
  }

  @Test
  void beyondTheMostHeldTheEarliestGoAtOnce() {
    EventTimeOrder<String> order = new EventTimeOrder<>(Duration.ofMinutes(10), 2);
    EventTimeOrder.Released<String> r =
        order.add(List.of(at("b", 30), at("a", 10), at("c", 20)), 3, List.of("c1"));
    assertThat(ids(r.observations())).containsExactly("a@10");
    assertThat(order.held()).isEqualTo(2);
  }
}
