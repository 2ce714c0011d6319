package io.distillguard.signals;

import static io.distillguard.signals.Observations.T0;
import static io.distillguard.signals.Observations.obs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The signals dilution does not hide, novelty, the 7/30-day horizons and the evidence CUSUM. */
class OffUseAndLongHorizonTest {
  private static final int K = 20;
  private static final List<String> CATS = Observations.categories(K);
  private static final long MINUTE = 60_000L;
  private static final long DAY = 24 * 60 * MINUTE;
  private static final float[] STATED = Observations.statedShares(K, 0);

  /** A sweep over every category, diluted with {@code inDomain} share of on-use prompts. */
  private static AccountSignals sweep(double inDomain, int n, long seed) {
    AccountSignals s = AccountSignals.create(CATS);
    Random rng = new Random(seed);
    int offSeen = 0;
    for (int i = 0; i < n; i++) {
      boolean on = rng.nextDouble() < inDomain;
      Observations o = obs("e" + seed + "-" + i).at(T0 + i * MINUTE).shares(STATED);
      if (on) {
        o.category(CATS.get(0)).similarity(0.5f).lsh(0x1234_0000_0000_0000L + rng.nextInt(8));
      } else {
        o.category(CATS.get(1 + offSeen++ % (K - 1))).similarity(0.05f);
      }
      s.record(o.build());
    }
    return s;
  }

  @Test
  void theOffUsePartOfADilutedSweepIsAsBroadAsAPureSweeps() {
    SignalSnapshot pure = sweep(0.0, 300, 1).snapshot();
    SignalSnapshot diluted = sweep(0.7, 1000, 2).snapshot();
    // The share of all traffic halves (and more) with dilution ...
    assertThat(diluted.get(Signals.OFF_STATED_USE_SHARE)).isLessThan(0.4);
    assertThat(pure.get(Signals.OFF_STATED_USE_SHARE)).isEqualTo(1.0);
    // ... the off-use part alone does not.
    assertThat(diluted.get(Signals.OFF_USE_ENTROPY))
        .isCloseTo(pure.get(Signals.OFF_USE_ENTROPY), within(0.02));
    assertThat(diluted.get(Signals.OFF_USE_DISTINCT_CATEGORIES)).isEqualTo(K - 1.0);
    assertThat(diluted.get(Signals.OFF_USE_CATEGORIES_7D)).isEqualTo(K - 1.0);
    assertThat(diluted.get(Signals.OFF_USE_QUERIES_24H)).isGreaterThan(250.0);
  }

  @Test
  void aDomainAppsOffUsePromptsAreThinAndClustered() {
    AccountSignals app = AccountSignals.create(CATS);
    for (int i = 0; i < 400; i++) {
      boolean off = i % 20 == 0;
      app.record(
          obs("a" + i)
              .at(T0 + i * MINUTE)
              .shares(STATED)
              .category(CATS.get(off ? 3 : 0))
              .similarity(off ? 0.1f : 0.5f)
              .lsh((off ? 0x7000_0000_0000_0000L : 0x1000_0000_0000_0000L) + (i % 16))
              .build());
    }
    SignalSnapshot s = app.snapshot();
    assertThat(s.get(Signals.OFF_USE_QUERIES_24H)).isEqualTo(20.0);
    assertThat(s.get(Signals.OFF_USE_ENTROPY)).isEqualTo(0.0);
    assertThat(s.get(Signals.OFF_USE_DISTINCT_CATEGORIES)).isEqualTo(1.0);
    // Two novelty cells in 400 queries: the app repeats itself.
    assertThat(s.get(Signals.NEW_CELL_SHARE)).isCloseTo(2 / 400.0, within(1e-9));
    assertThat(s.get(Signals.OFF_USE_NEW_CELL_SHARE_7D)).isCloseTo(1 / 20.0, within(1e-9));
  }

  @Test
  void aSweepKeepsFindingNewCellsWhileAnAppSaturates() {
    AccountSignals sweep = AccountSignals.create(CATS);
    AccountSignals app = AccountSignals.create(CATS);
    Random rng = new Random(7);
    for (int i = 0; i < 600; i++) {
      sweep.record(obs("s" + i).at(T0 + i * MINUTE).lsh(rng.nextLong()).build());
      app.record(obs("a" + i).at(T0 + i * MINUTE).lsh(((long) rng.nextInt(40)) << 52).build());
    }
    assertThat(sweep.snapshot().get(Signals.NEW_CELL_SHARE)).isGreaterThan(0.9);
    assertThat(app.snapshot().get(Signals.NEW_CELL_SHARE)).isLessThan(0.1);
    assertThat(sweep.snapshot().get(Signals.NEW_CELLS_30D)).isGreaterThan(550.0);
  }

  @Test
  void theWeekAndMonthHorizonsCountDailyBucketsAndForgetOlderDays() {
    AccountSignals s = AccountSignals.create(CATS);
    // One query a day in a different category for 40 days.
    for (int d = 0; d < 40; d++) {
      s.record(obs("d" + d).at(T0 + d * DAY).category(CATS.get(d % K)).build());
    }
    SignalSnapshot snap = s.snapshot();
    assertThat(snap.get(Signals.QUERIES_7D)).isEqualTo(7.0);
    assertThat(snap.get(Signals.ACTIVE_DAYS_7D)).isEqualTo(7.0);
    assertThat(snap.get(Signals.CATEGORIES_30D)).isEqualTo((double) K);
    assertThat(snap.get(Signals.NEW_CELLS_30D)).isEqualTo(30.0);
  }

  @Test
  void aWeeksOffUseCategoriesCountOnlyOnceACategoryHasTwoPrompts() {
    AccountSignals busyApp = AccountSignals.create(CATS);
    // A thousand in-domain queries a day for a week, and one stray off-use prompt in each of the
    // other categories: the stray prompts add no off-use category.
    int n = 0;
    for (int d = 0; d < 7; d++) {
      for (int i = 0; i < 1000; i++) {
        long t = T0 + d * DAY + i * 60_000L;
        Observations o = obs("b" + n++).at(t).shares(STATED);
        if (i == 500 && d * 3 + 1 < K) {
          for (int c = d * 3 + 1; c < Math.min(K, d * 3 + 4); c++) {
            busyApp.record(
                obs("s" + n++)
                    .at(t)
                    .shares(STATED)
                    .category(CATS.get(c))
                    .similarity(0.05f)
                    .build());
          }
        }
        busyApp.record(o.category(CATS.get(0)).similarity(0.5f).build());
      }
    }
    assertThat(busyApp.snapshot().get(Signals.OFF_USE_CATEGORIES_7D)).isZero();

    // Two off-use prompts of one category count, whether on one day or on two days.
    AccountSignals twice = AccountSignals.create(CATS);
    twice.record(obs("x1").at(T0).shares(STATED).category(CATS.get(4)).similarity(0.05f).build());
    twice.record(
        obs("x2").at(T0 + 60_000L).shares(STATED).category(CATS.get(4)).similarity(0.05f).build());
    twice.record(obs("y1").at(T0).shares(STATED).category(CATS.get(5)).similarity(0.05f).build());
    twice.record(
        obs("y2").at(T0 + 2 * DAY).shares(STATED).category(CATS.get(5)).similarity(0.05f).build());
    twice.record(
        obs("z1").at(T0 + 2 * DAY).shares(STATED).category(CATS.get(6)).similarity(0.05f).build());
    SignalSnapshot snap = twice.snapshot();
    assertThat(snap.get(Signals.OFF_USE_CATEGORIES_7D)).isEqualTo(2.0);
    // The daily twice-masks survive a round trip.
    assertThat(
            AccountSignals.fromBytes(twice.toBytes()).snapshot().get(Signals.OFF_USE_CATEGORIES_7D))
        .isEqualTo(2.0);
  }

  @Test
  void aStateWrittenBeforeTheTwiceMasksIsStillRead() {
    AccountSignals s = sweep(0.5, 600, 9);
    byte[] format2 = asFormat2(OffUseCategoryFitTest.asFormat3(s.toBytes()));
    AccountSignals restored = AccountSignals.fromBytes(format2);
    SignalSnapshot before = s.snapshot();
    SignalSnapshot after = restored.snapshot();
    // Everything but the week's two-prompt category count is as it was; that count restarts from
    // the categories seen on two different days and fills again as the account goes on (and the
    // off-use category fit, which format 2 did not hold either: OffUseCategoryFitTest).
    for (String name : Signals.ALL) {
      if (!name.equals(Signals.OFF_USE_CATEGORIES_7D)
          && !name.equals(Signals.OFF_USE_CATEGORY_FIT)) {
        assertThat(after.get(name)).as(name).isEqualTo(before.get(name));
      }
    }
    assertThat(after.get(Signals.OFF_USE_CATEGORIES_7D))
        .isLessThan(before.get(Signals.OFF_USE_CATEGORIES_7D));
    // It is written back in the current format.
    assertThat(restored.toBytes()[0]).isEqualTo((byte) 4);
  }

  /** The same state in format 2: no twice-mask in the daily buckets. */
  private static byte[] asFormat2(byte[] format3) {
    StateIO.In in = new StateIO.In(format3);
    StateIO.Out out = new StateIO.Out();
    int k = StateFormats.copyHeader(in, out, 3, 2);
    Window days = new Window(LongHorizon.DAYS, LongHorizon.DAY, 7, 0);
    days.read(in);
    Window old = new Window(LongHorizon.DAYS, LongHorizon.DAY, LongHorizon.STRIDE_FORMAT_2, 0);
    old.newestEpoch = days.newestEpoch;
    for (int b = 0; b < days.buckets; b++) {
      old.setEpoch(b, days.epoch(b));
      for (int f = 0; f < 6; f++) {
        old.counts.set(b, f, days.counts.get(b, f));
      }
    }
    old.write(out);
    while (!in.atEnd()) {
      out.raw(new byte[] {(byte) in.u8()});
    }
    return out.toByteArray();
  }

  @Test
  void queryFeaturesDescribeTheQueryAgainstTheStateBeforeIt() {
    AccountSignals s = AccountSignals.create(CATS);
    float[] narrow = Observations.statedShares(K, 0);
    int first =
        s.record(obs("a").category(CATS.get(5)).similarity(0.05f).shares(narrow).lsh(1L).build());
    assertThat(first)
        .isEqualTo(
            QueryFeatures.OFF_STATED_USE
                | QueryFeatures.UNEXPECTED_CATEGORY
                | QueryFeatures.NEW_CELL);
    int again =
        s.record(obs("b").category(CATS.get(5)).similarity(0.05f).shares(narrow).lsh(1L).build());
    assertThat(again)
        .isEqualTo(
            QueryFeatures.OFF_STATED_USE
                | QueryFeatures.UNEXPECTED_CATEGORY
                | QueryFeatures.NEAR_REPEAT);
    assertThat(QueryFeatures.name(again))
        .isEqualTo("off_stated_use+unexpected_category+near_repeat");
    assertThat(QueryFeatures.parse("near_repeat+off_stated_use+unexpected_category"))
        .isEqualTo(again);
  }

  @Test
  void aCategoryIsRareOnceTheAccountHasHabits() {
    AccountSignals s = AccountSignals.create(CATS);
    int last = 0;
    for (int i = 0; i < 50; i++) {
      last = s.record(obs("h" + i).category(CATS.get(i % 2)).build());
    }
    assertThat(last & QueryFeatures.RARE_CATEGORY).isZero();
    assertThat(s.record(obs("x").category(CATS.get(7)).build()) & QueryFeatures.RARE_CATEGORY)
        .isEqualTo(QueryFeatures.RARE_CATEGORY);
  }

  @Test
  void theEvidenceScoreNeverFallsBelowZeroAndSurvivesARoundTrip() {
    AccountSignals s = AccountSignals.create(CATS);
    s.addEvidence(-3.0);
    assertThat(s.evidence()).isEqualTo(0.0);
    s.addEvidence(2.5);
    s.addEvidence(1.0);
    s.addEvidence(-0.5);
    assertThat(s.snapshot().get(Signals.EVIDENCE_SCORE)).isEqualTo(3.0);
    s.record(obs("x").build());
    AccountSignals restored = AccountSignals.fromBytes(s.toBytes());
    assertThat(restored.evidence()).isEqualTo(3.0);
    assertThat(restored.toBytes()).isEqualTo(s.toBytes());
  }
}
