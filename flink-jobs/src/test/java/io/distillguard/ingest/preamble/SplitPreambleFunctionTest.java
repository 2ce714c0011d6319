package io.distillguard.ingest.preamble;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.QueryEvent;
import io.distillguard.enrich.PromptSplit;
import io.distillguard.ingest.IngestFixtures;
import io.distillguard.ingest.profile.ProfiledEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
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
