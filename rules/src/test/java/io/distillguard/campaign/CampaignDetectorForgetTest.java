package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.policy.Policy;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Forgetting accounts bounds the detector: an account's activity, pair evidence and group place go,
 * a group keeps its id while a member is left (a later account joins the same campaign), and the
 * last member takes the group with it.
 */
class CampaignDetectorForgetTest {

  private static final LinkHasher HASHER = LinkHasher.localDefault();
  private static final List<LinkKey> KEYS =
      List.of(HASHER.key(LinkType.IP, "203.0.113.9"), HASHER.key(LinkType.SIGNUP_BURST, "h493000"));
  private static final long T0 = 1_791_158_400_000L;

  @Test
  void forgottenAccountsLeaveNoStateAndAGroupKeepsItsIdWhileAMemberIsLeft() {
    Policy policy = Policy.loadDefault();
    List<String> categories = CapabilityTaxonomy.loadDefault().names();
    CampaignDetector d = new CampaignDetector(() -> policy, categories);
    for (String a : List.of("a", "b", "c")) {
      d.observe(a, T0, categories.get(0), KEYS);
    }
    String id = d.campaignOf("a").orElseThrow();
    assertThat(d.campaignOf("c")).contains(id);
    assertThat(d.trackedAccounts()).isEqualTo(3);

    d.forget("a");
    d.forget("b");
    assertThat(d.trackedAccounts()).isEqualTo(1);
    assertThat(d.campaignOf("a")).isEmpty();
    assertThat(d.linkedMembers(id)).containsExactly("c");

    // A newcomer on the same keys joins the campaign that is still alive.
    d.observe("d", T0 + 60_000, categories.get(1), KEYS);
    assertThat(d.campaignOf("d")).contains(id);

    // The key tables still list the forgotten accounts until their TTL: forgetting every account
    // empties the grouping.
    for (String a : List.of("a", "b", "c", "d")) {
      d.forget(a);
    }
    assertThat(d.trackedAccounts()).isZero();
    assertThat(d.campaign(id)).isEmpty();
    assertThat(d.campaigns()).isEmpty();
  }
}
