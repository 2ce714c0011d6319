package io.distillguard.bench.throughput;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.EmbeddingBase64;
import io.distillguard.contract.QueryEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The accounts and events the precomputed-path benchmarks ({@link ReplayThroughputBenchmark},
 * {@link IngestChainBenchmark}) send: {@code acct-0..n-1}, each a support assistant of its own
 * organisation, verified 20 days before the traffic starts; one event every 50 ms of event time,
 * each carrying its vector, on the account's own key and client address.
 */
final class PrecomputedTraffic {

  /** The event time of the first event. */
  static final Instant START = Instant.parse("2026-10-05T00:00:00Z");

  private PrecomputedTraffic() {}

  /** Every account's stated use. */
  static final String STATED_USE = "customer support assistant";

  /** Writes the profiles of {@code accounts} accounts, one JSON line each. */
  static void writeProfiles(ContractCodec codec, Path profiles, int accounts) throws IOException {
    writeProfiles(codec, profiles, accounts, null);
  }

  /**
   * Writes the profiles of {@code accounts} accounts, one JSON line each, carrying {@code
   * statedUseVector} as {@code stated_use_embedding_b64} unless it is null.
   */
  static void writeProfiles(
      ContractCodec codec, Path profiles, int accounts, float[] statedUseVector)
      throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(profiles)) {
      for (int a = 0; a < accounts; a++) {
        out.write(
            codec.writeProfile(
                new AccountProfile(
                        "acct-" + a,
                        STATED_USE,
                        "org-" + a,
                        "standard",
                        START.minusSeconds(86_400L * 30),
                        START.minusSeconds(86_400L * 20))
                    .withStatedUseEmbedding(statedUseVector)));
        out.newLine();
      }
    }
  }

  /**
   * {@code e} as one JSON line with its vector as {@code embedding_b64} (little-endian float32,
   * base64) instead of the {@code embedding} array: what a gateway or an embedding service sends.
   */
  static String base64Line(ContractCodec codec, QueryEvent e) {
    String withoutVector = codec.writeEvent(e.withEmbedding(null));
    return withoutVector.substring(0, withoutVector.length() - 1)
        + ",\"embedding_b64\":\""
        + EmbeddingBase64.encode(e.embedding())
        + "\"}";
  }

  /** The {@code i}-th event, from account {@code account}, with {@code prompt} and its vector. */
  static QueryEvent event(String eventId, int account, int i, String prompt, float[] vector) {
    return new QueryEvent(
        eventId,
        "acct-" + account,
        START.plusMillis(50L * i),
        prompt,
        vector,
        "key-" + account,
        "model-a",
        120,
        300,
        null,
        new QueryEvent.ClientInfo("203.0.113." + account, "sdk/1.2"));
  }
}
