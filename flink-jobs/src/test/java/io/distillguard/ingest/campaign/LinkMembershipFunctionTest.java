package io.distillguard.ingest.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.distillguard.campaign.LinkHasher;
import io.distillguard.campaign.LinkKind;
import io.distillguard.campaign.LinkSettings;
import io.distillguard.campaign.LinkType;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The per-link-key operator on a keyed test harness: output, bounded state, state cleanup. */
class LinkMembershipFunctionTest {

  static final LinkSettings SETTINGS =
      new LinkSettings(
          Duration.ofMinutes(10),
          8,
          0.25,
          Map.of(LinkKind.INFRASTRUCTURE, 50, LinkKind.REGISTRATION, 50, LinkKind.CONTENT, 50));

  private static final String IP = LinkHasher.localDefault().key(LinkType.IP, "203.0.113.7").wire();
  private static final String UA = LinkHasher.localDefault().key(LinkType.USER_AGENT, "sdk").wire();

  private static KeyedOneInputStreamOperatorTestHarness<String, LinkSighting, LinkMembership>
      harness() throws Exception {
    return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        new LinkMembershipFunction(SETTINGS),
        LinkSighting::linkKey,
        org.apache.flink.api.common.typeinfo.Types.STRING);
  }

  @Test
  void aNewMemberOfASharedKeyIsAMembershipWithItsCoMembers() throws Exception {
    try (var h = harness()) {
      h.processElement(new LinkSighting(IP, "a", 1_000), 1_000);
      h.processElement(new LinkSighting(IP, "a", 2_000), 2_000);
      h.processElement(new LinkSighting(IP, "b", 3_000), 3_000);
      h.processElement(new LinkSighting(UA, "b", 3_000), 3_000);
      assertThat(h.extractOutputValues())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.linkKey()).isEqualTo(IP);
                assertThat(m.accountId()).isEqualTo("b");
                assertThat(m.coMembers()).containsExactly("a");
                assertThat(m.weight()).isCloseTo(LinkType.IP.baseWeight(), within(0.01));
              });
      assertThat(h.numKeyedStateEntries()).isEqualTo(2);
    }
  }

  @Test
  void aPopularKeyKeepsBoundedStateAndTurnsIntoAStopWord() throws Exception {
    try (var h = harness()) {
      for (int i = 0; i < 40; i++) {
        h.processElement(new LinkSighting(IP, "acct-" + i, i), i);
      }
      LinkMembership last = h.extractOutputValues().get(h.extractOutputValues().size() - 1);
      assertThat(last.coMembers()).hasSize(8);
      int before = h.extractOutputValues().size();
      for (int i = 40; i < 200; i++) {
        h.processElement(new LinkSighting(IP, "acct-" + i, i), i);
      }
      // Past 50 accounts the key is a stop-word: no more memberships, no members kept.
      assertThat(h.extractOutputValues().size() - before).isLessThan(15);
      assertThat(h.numKeyedStateEntries()).isEqualTo(1);
    }
  }

  @Test
  void anIdleKeyIsDroppedAfterItsTtl() throws Exception {
    try (var h = harness()) {
      h.setStateTtlProcessingTime(0);
      h.processElement(new LinkSighting(IP, "a", 0), 0);
      h.processElement(new LinkSighting(UA, "a", 0), 0);
      h.setStateTtlProcessingTime(Duration.ofMinutes(11).toMillis());
      h.processElement(new LinkSighting(IP, "b", 1), 1);
      // The expired table is gone: b found nobody on the IP key.
      assertThat(h.extractOutputValues()).isEmpty();
    }
  }
}
