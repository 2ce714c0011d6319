package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.fixtures.PromptSamples;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LinkExtractorTest {

  private final LinkExtractor extractor = new LinkExtractor(LinkHasher.localDefault());

  private static QueryEvent event(String prompt, String ip, String ua, String key) {
    return new QueryEvent(
        "e1",
        "a1",
        Instant.parse("2026-10-05T00:00:00Z"),
        prompt,
        null,
        key,
        null,
        null,
        null,
        null,
        new QueryEvent.ClientInfo(ip, ua));
  }

  private static Set<LinkKey> ofType(List<LinkKey> keys, LinkType type) {
    return keys.stream().filter(k -> k.type() == type).collect(Collectors.toSet());
  }

  @Test
  void infrastructureKeysAreHashedAndShareTheirPrefix() {
    List<LinkKey> a =
        extractor.fromQuery(event("hi", "203.0.113.10", "curl/8.5", "key-4f2a9c1b-live"));
    List<LinkKey> b =
        extractor.fromQuery(event("hi", "203.0.113.77", "CURL/8.5 ", "key-99ab00cd-live"));
    assertThat(ofType(a, LinkType.IP)).doesNotContainAnyElementsOf(ofType(b, LinkType.IP));
    assertThat(ofType(a, LinkType.IP_PREFIX)).isEqualTo(ofType(b, LinkType.IP_PREFIX)).hasSize(1);
    assertThat(ofType(a, LinkType.USER_AGENT)).isEqualTo(ofType(b, LinkType.USER_AGENT));
    assertThat(ofType(a, LinkType.API_KEY_PATTERN)).isEqualTo(ofType(b, LinkType.API_KEY_PATTERN));
    for (LinkKey k : a) {
      assertThat(k.value()).matches("[0-9a-f]{16}").doesNotContain("203");
      assertThat(LinkKey.parse(k.wire())).isEqualTo(k);
    }
  }

  @Test
  void ipv6SharesItsSlash64AndAPreHashedIpGivesNoPrefix() {
    assertThat(LinkExtractor.prefix("2001:db8:1:2::7"))
        .isEqualTo(LinkExtractor.prefix("2001:db8:1:2:ffff::1"));
    assertThat(LinkExtractor.prefix("2001:db8:1:3::7"))
        .isNotEqualTo(LinkExtractor.prefix("2001:db8:1:2::7"));
    assertThat(LinkExtractor.prefix("sha256:9f86d081884c7d65")).isNull();
    assertThat(LinkExtractor.prefix("example.com")).isNull();
  }

  @Test
  void aSecretChangesEveryKey() {
    LinkExtractor other = new LinkExtractor(new LinkHasher("another secret"));
    assertThat(other.infrastructure("203.0.113.10", null, null))
        .doesNotContainAnyElementsOf(extractor.infrastructure("203.0.113.10", null, null));
  }

  @Test
  void realPromptsInOneWrapperShareAScaffoldAndUnrelatedOnesDoNot() {
    List<String> questions = PromptSamples.texts("mmlu", 40);
    String wrapper = "Practice item for the study bank, answer and explain briefly: %s";
    Set<LinkKey> wrapped =
        questions.stream()
            .map(q -> extractor.scaffold(String.format(wrapper, q)))
            .collect(Collectors.toSet());
    assertThat(wrapped).hasSize(1);
    Set<LinkKey> plain =
        PromptSamples.texts("self_instruct_seed", 40).stream()
            .map(extractor::scaffold)
            .collect(Collectors.toSet());
    assertThat(plain.size()).isGreaterThan(20);
  }

  @Test
  void aWrapperThatPutsItsInstructionsAfterThePayloadIsAScaffoldToo() {
    String wrapper =
        "%s\n\nThink carefully and show all intermediate steps. Then write 'Final answer:'"
            + " followed by the answer.";
    Set<LinkKey> wrapped =
        PromptSamples.texts("gsm8k", 40).stream()
            .flatMap(q -> extractor.scaffolds(String.format(wrapper, q)).stream())
            .collect(Collectors.toSet());
    // The head is each question's own first words; the tail is the wrapper's, in every prompt.
    Map<LinkKey, Long> uses =
        PromptSamples.texts("gsm8k", 40).stream()
            .flatMap(q -> extractor.scaffolds(String.format(wrapper, q)).stream())
            .collect(Collectors.groupingBy(k -> k, Collectors.counting()));
    assertThat(uses.values()).contains(40L);
    assertThat(wrapped.size()).isGreaterThan(20);
  }

  @Test
  void aRoleLabelOrAChatTranscriptIsNoScaffold() {
    // "System:" or "Conversation so far:" before free-form questions: alike in shape for many
    // unrelated apps, but no wrapper text shared prompt after prompt.
    List<String> questions = PromptSamples.texts("self_instruct_seed", 40);
    Map<LinkKey, Long> uses = new java.util.HashMap<>();
    for (int i = 0; i + 1 < questions.size(); i++) {
      for (String p :
          List.of(
              "System: " + questions.get(i),
              "Conversation so far:\nUser: "
                  + questions.get(i)
                  + "\nUser: "
                  + questions.get(i + 1))) {
        extractor.scaffolds(p).forEach(k -> uses.merge(k, 1L, Long::sum));
      }
    }
    assertThat(uses.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(3L));
  }

  @Test
  void nearDuplicatePayloadsShareABandAndDifferentOnesDoNot() {
    List<String> prompts = PromptSamples.texts("gsm8k", 60);
    String original = prompts.get(0);
    String edited = original.replace("?", "? Show your work.");
    Set<LinkKey> a = ofType(extractor.content(original), LinkType.PAYLOAD_MINHASH_BAND);
    Set<LinkKey> b = ofType(extractor.content(edited), LinkType.PAYLOAD_MINHASH_BAND);
    assertThat(a).hasSize(8);
    assertThat(a).containsAnyElementsOf(b);
    int sharing = 0;
    for (String other : prompts.subList(1, prompts.size())) {
      if (!java.util.Collections.disjoint(
          a, ofType(extractor.content(other), LinkType.PAYLOAD_MINHASH_BAND))) {
        sharing++;
      }
    }
    assertThat(sharing).isZero();
  }

  @Test
  void aResentPreambleIsNotThePayload() {
    String preamble = "You are StudyBot, a friendly tutor for high school students. Be concise.";
    List<String> q = PromptSamples.texts("mmlu", 2);
    Set<LinkKey> a =
        ofType(extractor.content(preamble + "\n\n" + q.get(0)), LinkType.PAYLOAD_MINHASH_BAND);
    Set<LinkKey> b =
        ofType(extractor.content(preamble + "\n\n" + q.get(1)), LinkType.PAYLOAD_MINHASH_BAND);
    assertThat(a).doesNotContainAnyElementsOf(b);
  }

  @Test
  void profilesGiveRegistrationKeys() {
    Instant created = Instant.parse("2026-10-04T10:59:00Z");
    AccountProfile p1 =
        new AccountProfile(
            "a1",
            "Exam preparation app for high school biology: practice questions with explanations.",
            null,
            null,
            created,
            created.plusSeconds(600),
            "198.51.100.4",
            "card_fp_1",
            "Example.ORG");
    AccountProfile p2 =
        new AccountProfile(
            "a2",
            "Exam preparation app for college chemistry: practice questions with explanations.",
            null,
            null,
            created.plusSeconds(180),
            created.plusSeconds(900),
            null,
            "card_fp_1",
            "example.org");
    List<LinkKey> k1 = extractor.fromProfile(p1);
    List<LinkKey> k2 = extractor.fromProfile(p2);
    // 10:59 and 11:02 fall in different hours but in the same half-hour-shifted one.
    assertThat(ofType(k1, LinkType.SIGNUP_BURST))
        .containsAnyElementsOf(ofType(k2, LinkType.SIGNUP_BURST));
    assertThat(ofType(k1, LinkType.STATED_USE_TEMPLATE))
        .containsAnyElementsOf(ofType(k2, LinkType.STATED_USE_TEMPLATE));
    assertThat(ofType(k1, LinkType.PAYMENT_FINGERPRINT))
        .isEqualTo(ofType(k2, LinkType.PAYMENT_FINGERPRINT));
    assertThat(ofType(k1, LinkType.EMAIL_DOMAIN)).isEqualTo(ofType(k2, LinkType.EMAIL_DOMAIN));
    assertThat(ofType(k1, LinkType.SIGNUP_IP)).hasSize(1);
    assertThat(k1).allSatisfy(k -> assertThat(k.kind()).isEqualTo(LinkKind.REGISTRATION));
  }

  private AccountProfile signedUp(String id, Instant created) {
    return new AccountProfile(id, null, null, null, created, null, null, null, null);
  }

  /** The sign-up keys of an account created at {@code created}: the hours and the windows. */
  private Set<LinkKey> signUpKeys(String id, String created) {
    List<LinkKey> all = extractor.fromProfile(signedUp(id, Instant.parse(created)));
    Set<LinkKey> keys = new java.util.HashSet<>(ofType(all, LinkType.SIGNUP_BURST));
    keys.addAll(ofType(all, LinkType.SIGNUP_WINDOW));
    return keys;
  }

  @Test
  void signUpsOfOneBurstAnHourOrTwoApartShareTheThreeHourWindowOnly() {
    // 21:13 and 22:58: no hour, shifted or not, in common; the same three-hour window.
    Set<LinkKey> early = signUpKeys("a", "2026-10-04T21:13:00Z");
    Set<LinkKey> late = signUpKeys("b", "2026-10-04T22:58:00Z");
    assertThat(early).hasSize(4);
    assertThat(early).filteredOn(k -> k.type() == LinkType.SIGNUP_BURST).hasSize(2);
    Set<LinkKey> shared = new java.util.HashSet<>(early);
    shared.retainAll(late);
    // The window is a key of its own type, so the grouping can tell it from the hour.
    assertThat(shared).singleElement().extracting(LinkKey::type).isEqualTo(LinkType.SIGNUP_WINDOW);
    assertThat(LinkType.SIGNUP_WINDOW.kind()).isEqualTo(LinkKind.REGISTRATION);
    assertThat(LinkType.SIGNUP_WINDOW.corroboratesOnly()).isTrue();
    assertThat(LinkType.SIGNUP_BURST.corroboratesOnly()).isFalse();
    // 22:58 and 00:20 the next day fall in different windows but in the same shifted one.
    Set<LinkKey> next = signUpKeys("c", "2026-10-05T00:20:00Z");
    assertThat(late).containsAnyElementsOf(next);
    // Six hours apart: nothing in common.
    Set<LinkKey> later = signUpKeys("d", "2026-10-05T03:13:00Z");
    assertThat(early).doesNotContainAnyElementsOf(later);
  }

  @Test
  void accountsOfOneBlockSignedUpWithinHoursShareASignupBlockKeyAndNoOthersDo() {
    LinkKey block =
        ofType(extractor.fromQuery(event("hi", "203.0.113.10", null, null)), LinkType.IP_PREFIX)
            .iterator()
            .next();
    LinkKey otherBlock =
        ofType(extractor.fromQuery(event("hi", "198.51.100.10", null, null)), LinkType.IP_PREFIX)
            .iterator()
            .next();
    long early = Instant.parse("2026-10-04T21:13:00Z").toEpochMilli();
    long late = Instant.parse("2026-10-04T22:40:00Z").toEpochMilli();
    List<LinkKey> a = extractor.signupBlock(block, early);
    List<LinkKey> b = extractor.signupBlock(block, late);
    // Within an hour and a half on one block: always one key in common (the window or the shifted
    // one), of the registration kind, keyed hashes like every other key.
    assertThat(a).hasSize(2).doesNotHaveDuplicates();
    assertThat(a).containsAnyElementsOf(b);
    assertThat(a)
        .allSatisfy(
            k -> {
              assertThat(k.type()).isEqualTo(LinkType.SIGNUP_BLOCK);
              assertThat(k.kind()).isEqualTo(LinkKind.REGISTRATION);
              assertThat(k.value()).matches("[0-9a-f]{16}").isNotEqualTo(block.value());
            });
    // The same hours on another block, or the same block a day later: nothing in common.
    assertThat(a).doesNotContainAnyElementsOf(extractor.signupBlock(otherBlock, early));
    assertThat(a).doesNotContainAnyElementsOf(extractor.signupBlock(block, early + 86_400_000L));
    // A key of how the accounts came: it makes an edge beside another kind on its own.
    assertThat(LinkType.SIGNUP_BLOCK.describesPurpose()).isFalse();
    assertThat(LinkType.SIGNUP_BLOCK.corroboratesOnly()).isFalse();
    LinkKey ip =
        ofType(extractor.fromQuery(event("hi", "203.0.113.10", null, null)), LinkType.IP)
            .iterator()
            .next();
    assertThatIllegalArgumentException().isThrownBy(() -> extractor.signupBlock(ip, early));
  }

  @Test
  void unrelatedStatedUsesRarelyShareABand() {
    List<String> uses = CampaignTraffic.STATED_USES;
    int pairs = 0;
    int sharing = 0;
    for (int i = 0; i < uses.size(); i++) {
      for (int j = i + 1; j < uses.size(); j++) {
        pairs++;
        if (!java.util.Collections.disjoint(
            MinHash.STATED_USE.bandKeys(uses.get(i)), MinHash.STATED_USE.bandKeys(uses.get(j)))) {
          sharing++;
        }
      }
    }
    assertThat((double) sharing / pairs).isLessThan(0.01);
  }
}
