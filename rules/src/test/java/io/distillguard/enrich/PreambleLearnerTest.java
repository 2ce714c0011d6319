package io.distillguard.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreambleLearnerTest {

  private static final String PREAMBLE =
      "You are the assistant of Stride Shoes. Answer politely and only about our products.\n\n";

  private static final List<String> QUESTIONS =
      List.of(
          "Do you ship to Canada?",
          "What sizes does the trail runner come in?",
          "Can I return shoes I have worn once?",
          "How long does delivery take?",
          "Is the sale on until Sunday?",
          "Which model is best for flat feet?");

  @Test
  void learnsTheScaffoldFromTheThirdPromptAndKeepsOneVersion() {
    PreambleLearner learner = new PreambleLearner();
    List<PromptSplit> splits = new ArrayList<>();
    for (String q : QUESTIONS) {
      splits.add(learner.split(PREAMBLE + q));
    }
    assertThat(splits.get(0).hasPreamble()).isFalse();
    assertThat(splits.get(0).payload()).isEqualTo(PREAMBLE + QUESTIONS.get(0));
    assertThat(splits.get(1).hasPreamble()).isFalse();
    for (int i = 2; i < splits.size(); i++) {
      PromptSplit s = splits.get(i);
      assertThat(s.preamble()).isEqualTo(PREAMBLE);
      assertThat(s.payload()).isEqualTo(QUESTIONS.get(i));
      assertThat(s.prompt()).isEqualTo(PREAMBLE + QUESTIONS.get(i));
      assertThat(s.preambleId()).isEqualTo(PreambleLearner.preambleId(PREAMBLE));
      assertThat(s.newVersion()).isEqualTo(i == 2);
    }
  }

  @Test
  void aChangedPreambleIsANewVersion() {
    PreambleLearner learner = new PreambleLearner();
    for (String q : QUESTIONS) {
      learner.split(PREAMBLE + q);
    }
    String v2 = "You are the assistant of Stride Shoes (v2). Keep it short.\n";
    List<PromptSplit> splits = new ArrayList<>();
    for (String q : QUESTIONS) {
      splits.add(learner.split(v2 + q));
    }
    assertThat(splits.get(0).hasPreamble()).isFalse();
    assertThat(splits.get(1).hasPreamble()).isFalse();
    assertThat(splits.get(2).preamble()).isEqualTo(v2);
    assertThat(splits.get(2).newVersion()).isTrue();
    assertThat(splits.subList(3, splits.size())).noneMatch(PromptSplit::newVersion);
    assertThat(splits.get(2).preambleId()).isNotEqualTo(PreambleLearner.preambleId(PREAMBLE));
  }

  @Test
  void oneLineTemplatesAndOrdinaryUsersAreAllPayload() {
    PreambleLearner template = new PreambleLearner();
    PreambleLearner user = new PreambleLearner();
    for (String q : QUESTIONS) {
      assertThat(template.split("Translate to French: " + q).hasPreamble()).isFalse();
      assertThat(user.split(q).payload()).isEqualTo(q);
    }
    assertThat(template.split(null)).isEqualTo(PromptSplit.whole(null));
  }

  @Test
  void aPromptThatIsOnlyTheScaffoldStaysWhole() {
    PreambleLearner learner = new PreambleLearner();
    for (String q : QUESTIONS) {
      learner.split(PREAMBLE + q);
    }
    assertThat(learner.split(PREAMBLE).hasPreamble()).isFalse();
    assertThat(learner.split(PREAMBLE + "  \n").hasPreamble()).isFalse();
  }

  @Test
  void theStateRoundTripsStaysSmallAndTheSplitIsDeterministic() {
    PreambleLearner a = new PreambleLearner();
    PreambleLearner b = new PreambleLearner();
    StringBuilder longPrompt = new StringBuilder(PREAMBLE);
    for (int i = 0; i < 200; i++) {
      longPrompt.append("line ").append(i).append('\n');
    }
    for (int i = 0; i < 50; i++) {
      String prompt = (i % 5 == 0 ? longPrompt.toString() : PREAMBLE) + QUESTIONS.get(i % 6);
      PromptSplit fromA = a.split(prompt);
      // b lives only in its bytes, as in Flink keyed state
      b = PreambleLearner.fromBytes(b.toBytes());
      assertThat(b.split(prompt)).isEqualTo(fromA);
    }
    byte[] state = a.toBytes();
    assertThat(state.length)
        .isLessThan(
            PreambleLearner.WINDOW * (1 + PreambleLearner.MAX_BOUNDARIES * 8)
                + PREAMBLE.length() * 4
                + 16);
    assertThat(PreambleLearner.fromBytes(state).preamble()).isEqualTo(PREAMBLE);
    assertThat(PreambleLearner.fromBytes(null).preamble()).isNull();
    assertThatThrownBy(() -> PreambleLearner.fromBytes(new byte[] {9}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theTemplateFingerprintReadsThePayloadNotThePreamble() {
    PreambleLearner learner = new PreambleLearner();
    java.util.Set<Long> wholePrompt = new java.util.HashSet<>();
    java.util.Set<Long> payload = new java.util.HashSet<>();
    for (String q : QUESTIONS) {
      PromptSplit s = learner.split(PREAMBLE + q);
      wholePrompt.add(TemplateFingerprint.of(s.prompt()));
      payload.add(TemplateFingerprint.of(s.payload()));
    }
    // The preamble alone fills the fingerprint's head: every prompt looks like one template.
    assertThat(wholePrompt).hasSize(1);
    assertThat(payload.size()).isGreaterThan(3);
  }

  @Test
  void aSplitNeverLosesOrChangesText() {
    java.util.Random random = new java.util.Random(11);
    List<String> scaffolds =
        List.of(PREAMBLE, "System: be brief.\nRules:\n1. no PII\n2. cite sources\n\n", "");
    PreambleLearner learner = new PreambleLearner();
    for (int i = 0; i < 2_000; i++) {
      String scaffold = scaffolds.get(random.nextInt(scaffolds.size()));
      String question = QUESTIONS.get(random.nextInt(QUESTIONS.size()));
      String prompt =
          scaffold + (random.nextBoolean() ? question : question + "\n\nContext:\n- " + i);
      PromptSplit s = learner.split(prompt);
      assertThat(s.prompt()).isEqualTo(prompt);
      assertThat(s.payload()).isNotBlank();
      if (s.hasPreamble()) {
        assertThat(prompt).startsWith(s.preamble());
        assertThat(s.preamble()).endsWith("\n").hasSizeGreaterThanOrEqualTo(16);
        assertThat(s.preambleId()).isEqualTo(PreambleLearner.preambleId(s.preamble()));
      }
    }
  }
}
