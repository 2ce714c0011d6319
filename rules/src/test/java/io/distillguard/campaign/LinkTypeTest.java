package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillguard.signals.Hashing;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Wire names of link types, and the principal ids of organisations, as they are stored. */
class LinkTypeTest {

  @Test
  void everyTypeIsReadBackFromItsWireNameInAnyCase() {
    for (LinkType t : LinkType.values()) {
      assertThat(LinkType.ofWireName(t.wireName())).isSameAs(t);
      assertThat(LinkType.ofWireName(t.name())).isSameAs(t);
      String mixed = Character.toUpperCase(t.wireName().charAt(0)) + t.wireName().substring(1);
      assertThat(LinkType.ofWireName(mixed)).isSameAs(t);
    }
    assertThatThrownBy(() -> LinkType.ofWireName("no_such_type"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPrincipalIdIsTheOrganisationsHashInSixteenHexDigits() {
    Random random = new Random(9);
    for (int i = 0; i < 10_000; i++) {
      String org = "org-" + Long.toString(random.nextLong(), 36) + "-" + i;
      assertThat(Organisations.principalId(org))
          .isEqualTo("org-" + String.format(Locale.ROOT, "%016x", Hashing.hash(org)));
    }
    assertThat(Organisations.principalId("acme")).hasSize(20).startsWith("org-");
  }
}
