package io.distillguard.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateFingerprintTest {

  @Test
  void promptsFromOneTemplateShareAFingerprint() {
    assertSame("Translate to French: the cat", "Translate to French: a dog ran to the park");
    assertSame(
        "Question: What is the boiling point of water?\nAnswer:",
        "Question: Who wrote Hamlet and when?\nAnswer:");
    assertSame(
        "Solve step by step: 12 apples cost $3.50, what do 40 cost?",
        "Solve step by step: a train leaves at 9:30 and arrives at 11:45");
    assertSame(
        "Classify the sentiment of \"I loved every minute\" as positive or negative.",
        "Classify the sentiment of \"Terrible service, never again\" as positive or negative.");
    assertSame("What is 17 * 23?", "What is 4.5 * 1,200?");
  }

  @Test
  void unrelatedPromptsDoNot() {
    List<String> prompts =
        List.of(
            "Translate to French: the cat",
            "What is the capital of Australia?",
            "What is a good recipe for pasta?",
            "Write a poem about the sea",
            "My card payment was declined, why?",
            "Hi! How are you today?",
            "Summarize the following article in three sentences:\nThe council voted ...",
            "def add(a, b):\n    return a + b",
            "Explain how photosynthesis works.",
            "Book a table for four at an Italian restaurant tonight",
            "Can you help me with my python code? It crashes when I open the file.",
            "Set an alarm for 6:30 tomorrow morning.");
    Set<Long> seen = new HashSet<>();
    for (String p : prompts) {
      assertThat(seen.add(TemplateFingerprint.of(p)))
          .as("%s collides: %s", p, TemplateFingerprint.shape(p))
          .isTrue();
    }
  }

  @Test
  void shapeMasksContentNumbersAndQuotes() {
    assertThat(TemplateFingerprint.shape("Translate to French: the cat"))
        .containsExactly("translate", "to", "french", ":", "…");
    assertThat(TemplateFingerprint.shape("Rate \"Dune\" from 1 to 10 please"))
        .containsExactly("rate", "\"", "from", "#", "to", "#", "please");
    assertThat(TemplateFingerprint.shape("Quantum chromodynamics explained simply"))
        .containsExactly("w");
  }

  @Test
  void nullIsZeroAndEverythingElseIsNot() {
    assertThat(TemplateFingerprint.of(null)).isZero();
    assertThat(TemplateFingerprint.of("")).isNotZero();
    assertThat(TemplateFingerprint.of("x")).isNotZero();
    assertThat(QueryEnricher.templateFingerprint("Translate to French: the cat"))
        .isEqualTo(TemplateFingerprint.of("TRANSLATE to french:   a bird"));
    // very long prompts cost only their head
    String huge = "Translate to French: " + "word ".repeat(100_000);
    assertThat(TemplateFingerprint.of(huge))
        .isEqualTo(TemplateFingerprint.of("Translate to French: x"));
  }

  private static void assertSame(String a, String b) {
    assertThat(TemplateFingerprint.of(a))
        .as("%s vs %s", TemplateFingerprint.shape(a), TemplateFingerprint.shape(b))
        .isEqualTo(TemplateFingerprint.of(b));
  }
}
