package io.distillguard.ingest.preamble;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.QueryEvent;
import io.distillguard.enrich.PreambleLearner;
import io.distillguard.enrich.PromptSplit;
import io.distillguard.ingest.Descriptors;
import io.distillguard.ingest.IngestFixtures;
import io.distillguard.ingest.profile.ProfiledEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** The scaffold split per account in keyed state: learned per account, bounded, one entry each. */
class SplitPreambleFunctionTest {

  private static final String PREAMBLE =
      "You are the assistant of Stride Shoes. Keep answers short and friendly.\n\n";

  @Test
  void eachAccountLearnsItsOwnScaffoldInOneStateEntry() throws Exception {
    List<String> questions = IngestFixtures.prompts("banking77.jsonl", 5);
    QueryEvent base = IngestFixtures.events(IngestFixtures.accounts(1), 1, 5L).get(0);
    try (KeyedOneInputStreamOperatorTestHarness<String, ProfiledEvent, ProfiledEvent> h =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new SplitPreambleFunction(Duration.ofHours(1)),
            e -> e.event().accountId(),
            Types.STRING)) {
      long t = 0;
      for (String q : questions) {
        h.processElement(event(base, "app", "a-" + t, PREAMBLE + q), t++);
        h.processElement(event(base, "user", "u-" + t, q), t++);
      }
      // An event that carries only its embedding passes through unsplit.
      h.processElement(event(base, "app", "vector-only", null), t);

      List<ProfiledEvent> out = h.extractOutputValues();
      List<PromptSplit> app =
          out.stream()
              .filter(e -> e.event().accountId().equals("app"))
              .map(ProfiledEvent::split)
              .toList();
      List<PromptSplit> user =
          out.stream()
              .filter(e -> e.event().accountId().equals("user"))
              .map(ProfiledEvent::split)
              .toList();
      assertThat(app.subList(0, 2)).noneMatch(PromptSplit::hasPreamble);
      assertThat(app.subList(2, 5)).allMatch(s -> PREAMBLE.equals(s.preamble()));
      assertThat(app.subList(2, 5))
          .extracting(PromptSplit::payload)
          .containsExactlyElementsOf(questions.subList(2, 5));
      assertThat(app.subList(2, 5))
          .extracting(PromptSplit::newVersion)
          .containsExactly(true, false, false);
      assertThat(app.get(5)).isEqualTo(PromptSplit.whole(null));
      assertThat(user).noneMatch(PromptSplit::hasPreamble);
      assertThat(user).extracting(PromptSplit::payload).containsExactlyElementsOf(questions);
      assertThat(h.numKeyedStateEntries()).isEqualTo(2);
    }
  }

  /** Prompts of two apps whose preamble changes halfway, and of a user without one. */
  private static List<ProfiledEvent> traffic() {
    List<String> questions = IngestFixtures.prompts("banking77.jsonl", 40);
    QueryEvent base = IngestFixtures.events(IngestFixtures.accounts(1), 1, 5L).get(0);
    List<ProfiledEvent> out = new ArrayList<>();
    for (int i = 0; i < questions.size(); i++) {
      String q = questions.get(i);
      String preamble = i < 20 ? PREAMBLE : "You are Stride's returns desk.\nBe precise.\n";
      out.add(event(base, "app-" + (i % 2), "a-" + i, preamble + q));
      out.add(event(base, "user", "u-" + i, q));
    }
    return out;
  }

  /** What the function did when it kept the learner as bytes: the reference for every split. */
  private static final class LearnerAsBytes
      extends KeyedProcessFunction<String, ProfiledEvent, ProfiledEvent> {
    private transient ValueState<byte[]> state;

    @Override
    public void open(OpenContext openContext) {
      state = getRuntimeContext().getState(Descriptors.preambleLearnerBytes(Duration.ofHours(1)));
    }

    @Override
    public void processElement(ProfiledEvent in, Context ctx, Collector<ProfiledEvent> out)
        throws Exception {
      PreambleLearner learner = PreambleLearner.fromBytes(state.value());
      PromptSplit s = learner.split(in.event().prompt());
      state.update(learner.toBytes());
      out.collect(in.withSplit(s));
    }
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, ProfiledEvent, ProfiledEvent>
      harness(KeyedProcessFunction<String, ProfiledEvent, ProfiledEvent> f) throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(f), e -> e.event().accountId(), Types.STRING);
  }

  private static List<PromptSplit> run(
      KeyedOneInputStreamOperatorTestHarness<String, ProfiledEvent, ProfiledEvent> h,
      List<ProfiledEvent> events)
      throws Exception {
    int before = h.extractOutputValues().size();
    long t = 0;
    for (ProfiledEvent e : events) {
      h.processElement(e, t++);
    }
    List<ProfiledEvent> out = h.extractOutputValues();
    return out.subList(before, out.size()).stream().map(ProfiledEvent::split).toList();
  }

  @Test
  void theLearnerOnTheHeapSplitsAsTheLearnerAsBytesDid() throws Exception {
    List<ProfiledEvent> traffic = traffic();
    List<PromptSplit> reference;
    try (var h = harness(new LearnerAsBytes())) {
      h.open();
      reference = run(h, traffic);
    }
    List<PromptSplit> now;
    try (var h = harness(new SplitPreambleFunction(Duration.ofHours(1)))) {
      h.open();
      now = run(h, traffic);
      assertThat(h.numKeyedStateEntries()).isEqualTo(3);
    }
    assertThat(now).isEqualTo(reference);
    assertThat(now).filteredOn(PromptSplit::newVersion).hasSize(4);
  }

  @Test
  void aSnapshotOfEitherStateRestoresAndSplitsTheSame() throws Exception {
    List<ProfiledEvent> traffic = traffic();
    List<ProfiledEvent> first = traffic.subList(0, 30);
    List<ProfiledEvent> rest = traffic.subList(30, traffic.size());
    List<PromptSplit> reference;
    OperatorSubtaskState asBytes;
    try (var h = harness(new LearnerAsBytes())) {
      h.open();
      run(h, first);
      asBytes = h.snapshot(1L, 1L);
      reference = run(h, rest);
    }
    // A savepoint of the earlier release (the learner as bytes under the old state name): each
    // account's learner carries on, and its bytes are cleared once converted.
    OperatorSubtaskState asObjects;
    try (var h = harness(new SplitPreambleFunction(Duration.ofHours(1)))) {
      h.initializeState(asBytes);
      h.open();
      assertThat(run(h, rest.subList(0, 10))).isEqualTo(reference.subList(0, 10));
      assertThat(h.numKeyedStateEntries()).isEqualTo(3);
      asObjects = h.snapshot(2L, 2L);
    }
    // A checkpoint of this release (the learner through PreambleLearnerSerializer).
    try (var h = harness(new SplitPreambleFunction(Duration.ofHours(1)))) {
      h.initializeState(asObjects);
      h.open();
      assertThat(run(h, rest.subList(10, rest.size())))
          .isEqualTo(reference.subList(10, reference.size()));
    }
  }

  private static ProfiledEvent event(QueryEvent base, String account, String id, String prompt) {
    QueryEvent e =
        new QueryEvent(
            id,
            account,
            base.timestamp(),
            prompt,
            prompt == null ? base.embedding() : null,
            null,
            null,
            null,
            null,
            null,
            null);
    return new ProfiledEvent(e, null, null);
  }
}
