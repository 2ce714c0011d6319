package io.distillguard.ingest.profile;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.BatchingEmbedder;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.SharedEmbedders;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the profile join's harness tests share: the real model behind the stated-use embedding (kept
 * loaded across a class's tests), a keyed two-input harness opened before and closed after each
 * test, and the events and profiles they feed it.
 */
abstract class JoinProfileHarness {

  static final EmbedderSettings EMBEDDER = new EmbedderSettings(1, 128, 16);
  static final Instant T0 = Instant.parse("2026-10-05T00:00:00Z");

  /** How long the join keeps a profile's events waiting (its allowed out-of-orderness). */
  static final Duration OUT_OF_ORDERNESS = Duration.ofHours(1);

  /** Keeps the shared model loaded across the tests (each harness acquires and releases it). */
  static BatchingEmbedder model;

  KeyedTwoInputStreamOperatorTestHarness<String, QueryEvent, ProfileUpdate, ProfiledEvent> h;

  /** The harness under test, not opened yet. */
  abstract KeyedTwoInputStreamOperatorTestHarness<String, QueryEvent, ProfileUpdate, ProfiledEvent>
      harness() throws Exception;

  @BeforeAll
  static void loadModel() {
    model = SharedEmbedders.acquire(EMBEDDER);
  }

  @AfterAll
  static void releaseModel() {
    model.close();
  }

  @BeforeEach
  void open() throws Exception {
    h = harness();
    h.open();
  }

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  static long ts(int seconds) {
    return T0.plusSeconds(seconds).toEpochMilli();
  }

  static QueryEvent event(String id, String account, int second) {
    return new QueryEvent(
        id,
        account,
        T0.plusSeconds(second),
        "how do I reset my card pin",
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  static ProfileUpdate profile(String account, String statedUse) {
    return ProfileUpdate.replace(new AccountProfile(account, statedUse, null, null, null, null));
  }
}
