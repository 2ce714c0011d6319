package io.distillguard.signals;

import static io.distillguard.signals.Observations.obs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Account states over the same category names share one index of them. */
class CategoryIndexTest {

  private static final List<String> CATS = Observations.categories(12);

  @Test
  void statesOverEqualNamesShareOneIndexAlsoWhenReadBack() {
    AccountSignals a = AccountSignals.create(CATS);
    AccountSignals b = AccountSignals.create(new ArrayList<>(CATS));
    a.record(obs("e1").category("c03").build());
    AccountSignals restored = AccountSignals.fromBytes(a.toBytes());

    assertThat(b.categories()).isSameAs(a.categories()).isEqualTo(CATS);
    assertThat(restored.categories()).isSameAs(a.categories());
    for (int i = 0; i < CATS.size(); i++) {
      // the names themselves are the shared ones, not the copies the snapshot was read into
      assertThat(restored.categories().get(i)).isSameAs(a.categories().get(i));
    }
    assertThat(restored.toBytes()).isEqualTo(a.toBytes());
  }

  @Test
  void positionsFollowTheOrderAndUnknownNamesGetTheGivenPosition() {
    CategoryIndex index = CategoryIndex.of(CATS);
    assertThat(index.positionOf("c00", -1)).isZero();
    assertThat(index.positionOf("c11", -1)).isEqualTo(11);
    assertThat(index.positionOf("not-a-category", 12)).isEqualTo(12);
    assertThat(index.positionOf(null, 12)).isEqualTo(12);
    assertThat(index.size()).isEqualTo(12);
  }

  @Test
  void aCategoryNamedTwiceIsRefused() {
    assertThatThrownBy(() -> AccountSignals.create(List.of("math", "code", "math")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate category: math");
  }

  @Test
  void beyondItsLimitATableStillGivesAWorkingIndexWithoutKeepingIt() {
    CategoryIndex.Table table = new CategoryIndex.Table(3);
    List<String> first = List.of("a0", "b0");
    CategoryIndex kept = table.of(first);
    for (int i = 1; i < 6; i++) {
      List<String> names = List.of("a" + i, "b" + i);
      CategoryIndex index = table.of(names);
      assertThat(index.names()).isEqualTo(names);
      assertThat(index.positionOf("b" + i, -1)).isEqualTo(1);
    }
    assertThat(table.size()).isEqualTo(3);
    assertThat(table.of(List.of("a0", "b0"))).isSameAs(kept);
    assertThat(table.of(List.of("a5", "b5"))).isNotSameAs(table.of(List.of("a5", "b5")));
  }
}
