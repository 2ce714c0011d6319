package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillguard.signals.Hashing;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Link keys are read back by name with every observation: the fast paths give what they gave. */
class LinkTypeWireNameTest {

  @Test
  void everyTypeIsReadBackFromItsWireNameInAnyCase() {
    for (LinkType t : LinkType.values()) {
      assertThat(LinkType.ofWireName(t.wireName())).isSameAs(t);
      assertThat(LinkType.ofWireName(t.name())).isSameAs(t);
      assertThat(LinkType.ofWireName(t.wireName().toUpperCase(Locale.ROOT))).isSameAs(t);
      LinkKey k = new LinkKey(t, "3f9a0c1d22b4e871");
      assertThat(LinkKey.parse(k.wire())).isEqualTo(k);
      // Read without cutting the name out first, and as before in another case.
      assertThat(LinkKey.parse(t.name() + ":3f9a0c1d22b4e871")).isEqualTo(k);
      assertThat(LinkKey.parse(k.wire() + ":x").value()).isEqualTo("3f9a0c1d22b4e871:x");
    }
  }

  @Test
  void anUnknownWireNameIsRefusedAsBefore() {
    assertThatThrownBy(() -> LinkType.ofWireName("ip_range"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LinkKey.parse("ip_range:3f9a0c1d22b4e871"))
        .isInstanceOf(IllegalArgumentException.class);
    // A name that only starts like one (ip, ip_prefix) is not it.
    assertThatThrownBy(() -> LinkKey.parse("ip_p:3f9a0c1d22b4e871"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LinkKey.parse(":3f9a0c1d22b4e871"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void principalIdsAreTheSixteenHexDigitsOfTheHash() {
    int leadingZero = 0;
    int negative = 0;
    for (int i = 0; i < 2_000; i++) {
      String org = "org-name-" + i;
      long h = Hashing.hash(org);
      leadingZero += (h >>> 60) == 0 ? 1 : 0;
      negative += h < 0 ? 1 : 0;
      assertThat(Organisations.principalId(org)).isEqualTo("org-" + String.format("%016x", h));
    }
    // The cases a hand-written format could get wrong were among them.
    assertThat(leadingZero).isPositive();
    assertThat(negative).isPositive();
  }
}
