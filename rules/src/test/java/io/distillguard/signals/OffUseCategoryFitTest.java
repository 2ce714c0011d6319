package io.distillguard.signals;

import static io.distillguard.signals.Observations.T0;
import static io.distillguard.signals.Observations.obs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Signals#OFF_USE_CATEGORY_FIT}: how well the off-use slice fits the capability categories.
 */
class OffUseCategoryFitTest {
  private static final int K = 20;
  private static final List<String> CATS = Observations.categories(K);
  private static final long MINUTE = 60_000L;
  private static final float[] STATED = Observations.statedShares(K, 0);

  /**
   * {@code n} queries, every {@code offEvery}-th one off the stated use with category similarity
   * {@code offFit}, the others in-domain with similarity 0.55.
   */
  private static AccountSignals account(int n, int offEvery, float offFit) {
    AccountSignals s = AccountSignals.create(CATS);
    for (int i = 0; i < n; i++) {
      boolean off = i % offEvery == 0;
      s.record(
          obs("q" + i)
              .at(T0 + i * MINUTE)
              .shares(STATED)
              .category(CATS.get(off ? 1 + i % (K - 1) : 0))
              .similarity(off ? 0.05f : 0.5f)
              .fit(off ? offFit : 0.55f)
              .build());
    }
    return s;
  }

  @Test
  void theFitIsTheOffUseSlicesOwnSoDilutionDoesNotRaiseIt() {
    double pure = account(300, 1, 0.27f).snapshot().get(Signals.OFF_USE_CATEGORY_FIT);
    double diluted = account(1000, 3, 0.27f).snapshot().get(Signals.OFF_USE_CATEGORY_FIT);
    assertThat(pure).isCloseTo(0.27, within(0.001));
    assertThat(diluted).isCloseTo(0.27, within(0.001));
    // Ordinary requests off the stated use fit their categories better.
    assertThat(account(300, 3, 0.36f).snapshot().get(Signals.OFF_USE_CATEGORY_FIT))
        .isCloseTo(0.36, within(0.001));
  }

  @Test
  void withoutOffUsePromptsTheFitIsNeutral() {
    AccountSignals s = AccountSignals.create(CATS);
    for (int i = 0; i < 50; i++) {
      s.record(obs("in" + i).at(T0 + i * MINUTE).shares(STATED).fit(0.2f).build());
    }
    assertThat(s.snapshot().get(Signals.OFF_USE_CATEGORY_FIT)).isEqualTo(1.0);
    // An account without a profile has no off-use prompts either.
    AccountSignals noProfile = AccountSignals.create(CATS);
    noProfile.record(obs("x").similarity(0.0f).fit(0.2f).build());
    assertThat(noProfile.snapshot().get(Signals.OFF_USE_CATEGORY_FIT)).isEqualTo(1.0);
  }

  @Test
  void theFitLeavesTheWindowWithItsPrompts() {
    AccountSignals s = account(100, 1, 0.25f);
    long later = T0 + 100 * MINUTE + 25 * 60 * MINUTE;
    for (int i = 0; i < 20; i++) {
      s.record(
          obs("late" + i)
              .at(later + i * MINUTE)
              .shares(STATED)
              .category(CATS.get(3))
              .similarity(0.05f)
              .fit(0.40f)
              .build());
    }
    // A day later only the new prompts are in the 24 h window.
    assertThat(s.snapshot().get(Signals.OFF_USE_CATEGORY_FIT)).isCloseTo(0.40, within(0.001));
    AccountSignals restored = AccountSignals.fromBytes(s.toBytes());
    assertThat(restored.snapshot().get(Signals.OFF_USE_CATEGORY_FIT))
        .isEqualTo(s.snapshot().get(Signals.OFF_USE_CATEGORY_FIT));
  }

  @Test
  void aStateWrittenBeforeTheFitFieldsIsStillRead() {
    AccountSignals s = account(400, 2, 0.27f);
    AccountSignals restored = AccountSignals.fromBytes(asFormat3(s.toBytes()));
    SignalSnapshot before = s.snapshot();
    SignalSnapshot after = restored.snapshot();
    for (String name : Signals.ALL) {
      if (!name.equals(Signals.OFF_USE_CATEGORY_FIT)) {
        assertThat(after.get(name)).as(name).isEqualTo(before.get(name));
      }
    }
    // The buckets written before hold no fit samples: neutral, not a sweep's low fit, until new
    // off-use prompts come in.
    assertThat(after.get(Signals.OFF_USE_CATEGORY_FIT)).isEqualTo(1.0);
    restored.record(
        obs("next")
            .at(T0 + 400 * MINUTE)
            .shares(STATED)
            .category(CATS.get(4))
            .similarity(0.05f)
            .fit(0.3f)
            .build());
    assertThat(restored.snapshot().get(Signals.OFF_USE_CATEGORY_FIT)).isCloseTo(0.3, within(0.001));
    assertThat(restored.toBytes()[0]).isEqualTo((byte) 4);
  }

  /** The same state in format 3: the 24 h ring without the two category-fit fields. */
  static byte[] asFormat3(byte[] format4) {
    StateIO.In in = new StateIO.In(format4);
    StateIO.Out out = new StateIO.Out();
    int k = StateFormats.copyHeader(in, out, 4, 3);
    LongHorizon.read(in).write(out);
    SignalWindows current = new SignalWindows(k, new LongHorizon());
    current.w10m.read(in);
    current.w10m.write(out);
    current.w1h.read(in);
    current.w1h.write(out);
    current.w24h.read(in);
    int oldStride = SignalWindows.fitField(k);
    Window old = new Window(current.w24h.buckets, 30 * MINUTE, oldStride, 3);
    old.newestEpoch = current.w24h.newestEpoch;
    for (int b = 0; b < old.buckets; b++) {
      old.setEpoch(b, current.w24h.epoch(b));
      for (int f = 0; f < oldStride; f++) {
        old.counts.set(b, f, current.w24h.counts.get(b, f));
      }
      System.arraycopy(current.w24h.doubles, b * 3, old.doubles, b * 3, 3);
    }
    old.write(out);
    while (!in.atEnd()) {
      out.raw(new byte[] {(byte) in.u8()});
    }
    return out.toByteArray();
  }
}
