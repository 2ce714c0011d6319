package io.distillguard.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.distillguard.enrich.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link VectorStore} must have. Each implementation's test extends this class
 * and supplies a fresh, empty store per test; published in the test-jar so other modules can run it
 * against their own wiring.
 */
public abstract class VectorStoreContract {

  protected static final int DIM = StoreSettings.DEFAULT_DIMENSION;

  protected VectorStore store;

  /** A fresh, empty store with {@link #DIM}-dimensional vectors. */
  protected abstract VectorStore openStore() throws Exception;

  /** Releases what {@link #openStore()} created; by default closes the store. */
  protected void closeStore(VectorStore s) throws Exception {
    s.close();
  }

  @BeforeEach
  void openFreshStore() throws Exception {
    store = openStore();
  }

  @AfterEach
  void closeFreshStore() throws Exception {
    if (store != null) {
      closeStore(store);
    }
  }

  // ---- fixtures --------------------------------------------------------------------------------

  /** A unit-ish vector near one of a few cluster centres, like sentence embeddings of a topic. */
  protected static float[] vector(Random rnd, int cluster) {
    Random centre = new Random(1000L + cluster);
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) (centre.nextGaussian() + 0.35 * rnd.nextGaussian());
    }
    return normalise(v);
  }

  protected static float[] normalise(float[] v) {
    double n = 0;
    for (float f : v) {
      n += f * f;
    }
    float s = (float) (1 / Math.sqrt(n));
    for (int i = 0; i < v.length; i++) {
      v[i] *= s;
    }
    return v;
  }

  protected static QueryRecord record(
      String id, String account, long ts, String category, float[] v) {
    return new QueryRecord(
        id, account, ts, category, 0.25f, "prompt of " + id, v, Map.of("model", "m-1"));
  }

  // ---- round trip and idempotence
  // ----------------------------------------------------------------

  @Test
  void upsertedRecordReadsBackEqual() {
    Random rnd = new Random(1);
    QueryRecord r =
        new QueryRecord(
            "evt-1",
            "acct-1",
            1_700_000_000_123L,
            "coding",
            0.8125f,
            "Write a haiku about \"quotes\" and ünïcödé ✓",
            vector(rnd, 0),
            Map.of("model", "gpt-x", "api_key_id", "k1"));
    store.upsert(List.of(r));

    List<QueryRecord> got = store.query(RecordFilter.account("acct-1"), 10);
    assertThat(got).containsExactly(r);
    assertThat(got.get(0).metadata()).containsEntry("api_key_id", "k1");
    assertThat(store.count(RecordFilter.all())).isEqualTo(1);
  }

  @Test
  void replayedUpsertDoesNotDuplicate() {
    Random rnd = new Random(2);
    List<QueryRecord> batch = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      batch.add(record("e" + i, "a", 1000 + i, "math", vector(rnd, 1)));
    }
    store.upsert(batch);
    store.upsert(batch);
    store.upsert(batch.subList(0, 5));

    assertThat(store.count(RecordFilter.account("a"))).isEqualTo(20);
    assertThat(store.query(RecordFilter.account("a"), 100)).hasSize(20);
  }

  @Test
  void upsertOfExistingIdReplacesIt() {
    Random rnd = new Random(3);
    store.upsert(List.of(record("e1", "a", 1000, "math", vector(rnd, 1))));
    QueryRecord replacement = record("e1", "a", 2000, "coding", vector(rnd, 2));
    store.upsert(List.of(replacement));

    assertThat(store.query(RecordFilter.account("a"), 10)).containsExactly(replacement);
    assertThat(store.count(RecordFilter.account("a").withCategory("math"))).isZero();
    assertThat(store.count(RecordFilter.account("a").withCategory("coding"))).isEqualTo(1);
  }

  @Test
  void aReusedEventIdFromAnotherAccountIsAnotherRecord() {
    Random rnd = new Random(4);
    QueryRecord first = record("e1", "a", 1000, "math", vector(rnd, 1));
    QueryRecord reused = record("e1", "b", 2000, "coding", vector(rnd, 2));
    store.upsert(List.of(first));
    store.upsert(List.of(reused));
    store.upsert(List.of(reused));

    assertThat(store.query(RecordFilter.account("a"), 10)).containsExactly(first);
    assertThat(store.query(RecordFilter.account("b"), 10)).containsExactly(reused);
    assertThat(store.count(RecordFilter.all())).isEqualTo(2);
    assertThat(store.query(RecordFilter.all(), 10)).containsExactly(reused, first);
    assertThat(store.deleteAccount("b")).isEqualTo(1);
    assertThat(store.query(RecordFilter.all(), 10)).containsExactly(first);
  }

  @Test
  void idsThatConcatenateAlikeStayApart() {
    Random rnd = new Random(44);
    QueryRecord one = record("b|c", "a", 1000, "math", vector(rnd, 1));
    QueryRecord two = record("c", "a|b", 1001, "math", vector(rnd, 1));
    store.upsert(List.of(one, two));

    assertThat(store.count(RecordFilter.all())).isEqualTo(2);
    assertThat(store.query(RecordFilter.account("a|b"), 10)).containsExactly(two);
  }

  // ---- search -------------------------------------------------------------------------------

  @Test
  void searchRanksByExactCosineBestFirst() {
    Random rnd = new Random(5);
    List<QueryRecord> all = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      all.add(record("e" + i, "acct", 10_000 + i, "c" + (i % 3), vector(rnd, i % 4)));
    }
    store.upsert(all);
    float[] q = vector(rnd, 2);

    List<ScoredRecord> hits = store.search(q, RecordFilter.account("acct"), 10);

    List<QueryRecord> expected = new ArrayList<>(all);
    expected.sort(Comparator.comparingDouble(r -> -Vectors.cosine(q, r.embedding())));
    assertThat(hits).hasSize(10);
    for (int i = 0; i < 10; i++) {
      assertThat(hits.get(i).record().eventId()).isEqualTo(expected.get(i).eventId());
      assertThat((double) hits.get(i).score())
          .isCloseTo(Vectors.cosine(q, expected.get(i).embedding()), within(1e-4));
    }
    assertThat(hits.get(0).record()).isEqualTo(expected.get(0));
  }

  @Test
  void searchOnlyConsidersTheFilteredRecords() {
    Random rnd = new Random(6);
    List<QueryRecord> all = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String account = i % 2 == 0 ? "even" : "odd";
      all.add(record("e" + i, account, 1000L * i, i % 3 == 0 ? "math" : "law", vector(rnd, 0)));
    }
    store.upsert(all);
    float[] q = vector(rnd, 0);

    List<ScoredRecord> even = store.search(q, RecordFilter.account("even"), 100);
    assertThat(even).hasSize(30).allMatch(s -> s.record().accountId().equals("even"));

    RecordFilter narrow =
        RecordFilter.account("even").withTimeRange(10_000L, 30_000L).withCategory("math");
    List<ScoredRecord> hits = store.search(q, narrow, 100);
    // even i in [10, 30] divisible by 3: 12, 18, 24, 30 (the range is inclusive).
    assertThat(hits)
        .extracting(s -> s.record().eventId())
        .containsExactlyInAnyOrder("e12", "e18", "e24", "e30");
    assertThat(store.search(q, RecordFilter.account("nobody"), 5)).isEmpty();
    assertThat(store.search(q, RecordFilter.all(), 7)).hasSize(7);
  }

  @Test
  void searchScoresAreCosinesInDescendingOrder() {
    Random rnd = new Random(7);
    List<QueryRecord> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      all.add(record("e" + i, "a", i, "x", vector(rnd, i % 5)));
    }
    store.upsert(all);
    float[] q = all.get(17).embedding();

    List<ScoredRecord> hits = store.search(q, RecordFilter.all(), 5);
    assertThat(hits.get(0).record().eventId()).isEqualTo("e17");
    assertThat((double) hits.get(0).score()).isCloseTo(1.0, within(1e-4));
    for (int i = 1; i < hits.size(); i++) {
      assertThat(hits.get(i).score()).isLessThanOrEqualTo(hits.get(i - 1).score());
    }
  }

  // ---- query and count ----------------------------------------------------------------------

  @Test
  void queryReturnsNewestFirstUpToTheLimit() {
    Random rnd = new Random(8);
    List<QueryRecord> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      // Shuffled timestamps: insertion order must not matter.
      long ts = 1_000_000L + ((i * 17) % 40) * 1000L;
      all.add(record("e" + i, "a", ts, "x", vector(rnd, 0)));
    }
    store.upsert(all);

    List<QueryRecord> newest = store.query(RecordFilter.account("a"), 5);
    assertThat(newest)
        .extracting(QueryRecord::timestampMillis)
        .containsExactly(1_039_000L, 1_038_000L, 1_037_000L, 1_036_000L, 1_035_000L);
    List<QueryRecord> ranged =
        store.query(RecordFilter.account("a").withTimeRange(1_010_000L, 1_012_000L), 10);
    assertThat(ranged)
        .extracting(QueryRecord::timestampMillis)
        .containsExactly(1_012_000L, 1_011_000L, 1_010_000L);
  }

  @Test
  void countHonoursEveryFilterComponent() {
    Random rnd = new Random(9);
    List<QueryRecord> all = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      all.add(record("e" + i, "a" + (i % 3), 100L * i, i < 10 ? "math" : "law", vector(rnd, 1)));
    }
    store.upsert(all);

    assertThat(store.count(RecordFilter.all())).isEqualTo(30);
    assertThat(store.count(RecordFilter.account("a1"))).isEqualTo(10);
    assertThat(store.count(RecordFilter.all().withCategory("math"))).isEqualTo(10);
    assertThat(store.count(RecordFilter.all().withTimeRange(500L, 900L))).isEqualTo(5);
    assertThat(store.count(RecordFilter.account("a0").withTimeRange(null, 900L))).isEqualTo(4);
    assertThat(store.count(RecordFilter.account("missing"))).isZero();
  }

  // ---- erasure ------------------------------------------------------------------------------

  @Test
  void deleteAccountRemovesOnlyThatAccount() {
    Random rnd = new Random(10);
    List<QueryRecord> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(record("e" + i, i < 12 ? "gone" : "kept", i, "x", vector(rnd, 0)));
    }
    store.upsert(all);

    assertThat(store.deleteAccount("gone")).isEqualTo(12);
    assertThat(store.count(RecordFilter.account("gone"))).isZero();
    assertThat(store.count(RecordFilter.account("kept"))).isEqualTo(8);
    assertThat(store.search(all.get(0).embedding(), RecordFilter.all(), 50))
        .allMatch(s -> s.record().accountId().equals("kept"));
    assertThat(store.deleteAccount("gone")).isZero();

    // The account can come back with new records.
    store.upsert(List.of(record("new", "gone", 99, "x", vector(rnd, 0))));
    assertThat(store.query(RecordFilter.account("gone"), 10))
        .extracting(QueryRecord::eventId)
        .containsExactly("new");
  }

  @Test
  void identifiersWithQuotesAndBackslashesAreMatchedLiterally() {
    Random rnd = new Random(11);
    String tricky = "acct|\"x\" \\ or account_id != \"\" %7C/'\u00fc\uD83D\uDE00";
    store.upsert(
        List.of(
            record("e1", tricky, 1, "cat \"q\"", vector(rnd, 0)),
            record("e2", "plain", 2, "x", vector(rnd, 0))));

    assertThat(store.count(RecordFilter.account(tricky))).isEqualTo(1);
    assertThat(store.count(RecordFilter.all().withCategory("cat \"q\""))).isEqualTo(1);
    assertThat(store.query(RecordFilter.account(tricky), 10).get(0).accountId()).isEqualTo(tricky);
    assertThat(store.deleteAccount(tricky)).isEqualTo(1);
    assertThat(store.count(RecordFilter.all())).isEqualTo(1);
  }

  // ---- validation and concurrency
  // ----------------------------------------------------------------

  @Test
  void vectorsOfAnotherDimensionAreRejected() {
    assertThatThrownBy(() -> store.upsert(List.of(record("e1", "a", 1, "x", new float[DIM - 1]))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension");
    assertThatThrownBy(() -> store.search(new float[3], RecordFilter.all(), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.count(RecordFilter.all())).isZero();
  }

  @Test
  void nonPositiveLimitsReturnNothing() {
    Random rnd = new Random(12);
    store.upsert(List.of(record("e1", "a", 1, "x", vector(rnd, 0))));
    assertThat(store.query(RecordFilter.all(), 0)).isEmpty();
    assertThat(store.search(vector(rnd, 0), RecordFilter.all(), 0)).isEmpty();
  }

  @Test
  void concurrentWritersAndReadersSeeAConsistentStore() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  Random rnd = new Random(100 + thread);
                  for (int b = 0; b < 5; b++) {
                    List<QueryRecord> batch = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                      String id = "t" + thread + "-" + b + "-" + i;
                      batch.add(record(id, "acct" + thread, b * 100L + i, "x", vector(rnd, 0)));
                    }
                    store.upsert(batch);
                    assertThat(store.search(vector(rnd, 0), RecordFilter.all(), 3)).isNotEmpty();
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    store.flush();
    assertThat(store.count(RecordFilter.all())).isEqualTo(400);
    assertThat(store.count(RecordFilter.account("acct2"))).isEqualTo(100);
  }
}
