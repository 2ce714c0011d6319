package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.fixtures.PromptSamples;
import io.distillguard.policy.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Accounts that resend the conversation before each request: the wrapper around the request no
 * longer starts the prompt, yet it is the same scaffold evidence ({@link LiteralScaffold}: the head
 * of the last role-labelled turn), so a campaign whose members are chat apps is caught like one
 * whose members send bare requests, while accounts that share only a chat app's habits, or one
 * open-source template, stay as quiet as before.
 */
class CampaignTranscriptTest {

  private static final Instant T0 = CampaignTraffic.T0;
  private static final String HEAD_ONLY_WRAPPER =
      "You are a world-class expert. Solve the task below. First reason step by step.\n\nTask:\n%s";

  private final LinkExtractor extractor = new LinkExtractor(LinkHasher.localDefault());

  @Test
  void aWrapperBehindATranscriptGivesTheKeyOfTheBareRequest() {
    List<String> questions = PromptSamples.texts("mmlu", 40);
    Map<LinkKey, Integer> bare = new HashMap<>();
    Map<LinkKey, Integer> behind = new HashMap<>();
    for (int i = 1; i < questions.size(); i++) {
      String request = String.format(HEAD_ONLY_WRAPPER, questions.get(i));
      String previous = String.format(HEAD_ONLY_WRAPPER, questions.get(i - 1));
      extractor.scaffolds(request).forEach(k -> bare.merge(k, 1, Integer::sum));
      extractor
          .scaffolds(
              "Conversation so far:\nUser: "
                  + previous.substring(0, Math.min(200, previous.length()))
                  + "\n\nUser: "
                  + request)
          .forEach(k -> behind.merge(k, 1, Integer::sum));
    }
    LinkKey wrapper =
        bare.entrySet().stream().filter(e -> e.getValue() == 39).findFirst().orElseThrow().getKey();
    assertThat(behind).containsEntry(wrapper, 39);
    // "Human:" is a role label too; a prompt that is one turn only keeps its own head.
    assertThat(extractor.scaffolds("Earlier:\nHuman: " + String.format(HEAD_ONLY_WRAPPER, "x")))
        .contains(wrapper);
    assertThat(LiteralScaffold.lastTurnHead("User: " + String.format(HEAD_ONLY_WRAPPER, "x")))
        .isNull();
  }

  /**
   * Eight accounts signed up together that split a sweep through one wrapper which only heads the
   * request: half of them resend the conversation before every request.
   */
  private static List<String> chatSwarm(CampaignTraffic t) {
    List<String> subjects = CampaignTraffic.subjects(15);
    List<String> ids = new ArrayList<>();
    for (int m = 0; m < 8; m++) {
      String id = "chat-swarm-" + m;
      ids.add(id);
      List<String> slice =
          List.of(
              subjects.get((3 * m) % subjects.size()),
              subjects.get((3 * m + 1) % subjects.size()),
              subjects.get((3 * m + 2) % subjects.size()));
      CampaignTraffic.Account a =
          t.account(id)
              .states("Flashcards for students.", Set.of("banking77"))
              .signedUp(T0.minus(Duration.ofHours(20)).plus(Duration.ofMinutes(9L * m)), null)
              .asks(80, slice, T0.plus(Duration.ofHours(t.rng.nextInt(6))), Duration.ofDays(2))
              .wrappedIn(HEAD_ONLY_WRAPPER)
              .via(List.of("100." + (60 + m) + ".3.3"), "Mozilla/5.0 build-" + m);
      if (m % 2 == 1) {
        a.inTranscript();
      }
      a.add();
    }
    return ids;
  }

  @Test
  void aSwarmOfChatAppsIsCaughtThroughItsWrapper() {
    CampaignTraffic t = new CampaignTraffic(51);
    List<String> swarm = chatSwarm(t);
    t.play();
    CampaignView c = t.detector.campaign(t.detector.campaignOf(swarm.get(0)).orElseThrow()).get();
    assertThat(c.members()).containsExactlyInAnyOrderElementsOf(swarm);
    assertThat(c.signals().get(CampaignSignals.SCAFFOLD_LINK_WEIGHT)).isGreaterThan(0.5);
    assertThat(c.level()).isEqualTo(Level.REVIEW);
    assertThat(t.flagged(swarm)).containsExactlyInAnyOrderElementsOf(swarm);
  }

  @Test
  void appsFromOneOpenSourceTemplateResendingConversationsStayApart() {
    CampaignTraffic t = new CampaignTraffic(52);
    List<String> ids =
        t.openSourceTemplateApps(
            "oss-chat-",
            "Use the following pieces of context to answer the question at the end. If you"
                + " don't know the answer, just say that you don't know.\n\n%s",
            true);
    t.play();
    assertThat(t.flagged(ids)).isEmpty();
    // A scaffold alone links no one: the apps share content, nothing else.
    assertThat(t.detector.campaigns()).isEmpty();
  }

  @Test
  void anOfficeOfChatAppsBehindOneNatAskingWhatItStatedStaysQuiet() {
    CampaignTraffic t = new CampaignTraffic(53);
    List<String> subjects = CampaignTraffic.subjects(15);
    List<String> ids = new ArrayList<>();
    for (int m = 0; m < 8; m++) {
      String id = "office-chat-" + m;
      ids.add(id);
      String subject = subjects.get(m % subjects.size());
      t.account(id)
          .states("Internal study assistant for " + subject, Set.of(subject))
          .signedUp(T0.minus(Duration.ofDays(30 + 40L * m)), null)
          .asks(
              80, List.of(subject), T0.plus(Duration.ofHours(t.rng.nextInt(6))), Duration.ofDays(2))
          .wrappedIn(
              "You are the Initech knowledge assistant. Answer precisely and cite the course"
                  + " notes.\n\n%s")
          .inTranscript()
          .via(List.of("198.51.100.42"), "initech-desktop/4.2")
          .add();
    }
    t.play();
    assertThat(t.flagged(ids)).isEmpty();
    assertThat(t.detector.campaigns())
        .extracting(CampaignView::level)
        .doesNotContain(Level.WATCH, Level.REVIEW);
  }
}
