package io.distillguard.ingest;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.QueryEvent;
import io.distillguard.fixtures.PromptSamples;
import io.distillguard.observe.AccountObservation;
import io.distillguard.observe.InProcessObservationChannel;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Test input built from real, human-written prompts ({@link PromptSamples}): events for a set of
 * accounts (most with a profile, some without), and malformed lines of every kind with the reason
 * each must be dead-lettered with.
 */
public final class IngestFixtures {

  public static final ContractCodec CODEC = new ContractCodec(ContractLimits.DEFAULT);
  public static final Instant START = Instant.parse("2026-10-05T00:00:00Z");

  private IngestFixtures() {}

  /**
   * The first {@code n} prompt texts of a sampled dataset file (e.g. {@code "gsm8k.jsonl"}), in
   * file order.
   */
  public static List<String> prompts(String file, int n) {
    return PromptSamples.texts(file.replace(".jsonl", ""), n);
  }

  /** Accounts {@code acct-00..}: the last {@code withoutProfile} have no profile. */
  public static List<String> accounts(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(String.format("acct-%02d", i));
    }
    return ids;
  }

  /** Profiles for the given accounts, alternating stated uses. */
  public static List<AccountProfile> profiles(List<String> accounts) {
    String[] uses = {
      "customer support chatbot for a retail bank",
      "math homework tutor for high-school students",
      "general purpose assistant"
    };
    List<AccountProfile> out = new ArrayList<>();
    for (int i = 0; i < accounts.size(); i++) {
      out.add(
          new AccountProfile(
              accounts.get(i), uses[i % uses.length], "org-" + (i % 4), "pro", START, null));
    }
    return out;
  }

  /**
   * {@code n} events spread round-robin over the accounts, one second apart, with real prompts
   * (banking, math, general). Every tenth event carries a precomputed embedding instead of a
   * prompt, so the model is skipped for it.
   */
  public static List<QueryEvent> events(List<String> accounts, int n, long seed) {
    List<String> pool = new ArrayList<>();
    pool.addAll(prompts("banking77.jsonl", n / 3 + 1));
    pool.addAll(prompts("gsm8k.jsonl", n / 3 + 1));
    pool.addAll(prompts("self_instruct_seed.jsonl", n / 3 + 1));
    Random random = new Random(seed);
    List<QueryEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String account = accounts.get(i % accounts.size());
      boolean precomputed = i % 10 == 9;
      out.add(
          new QueryEvent(
              String.format("evt-%05d", i),
              account,
              START.plusSeconds(i),
              precomputed ? null : pool.get(i % pool.size()),
              precomputed ? unitVector(random) : null,
              "key-" + account,
              "model-x",
              20 + i % 50,
              100,
              null,
              new QueryEvent.ClientInfo("10.0.0." + (i % 7), "sdk/1.0")));
    }
    return out;
  }

  /** {@code e} with {@code eventId} and {@code prompt}, and no precomputed embedding. */
  public static QueryEvent withPrompt(QueryEvent e, String eventId, String prompt) {
    return new QueryEvent(
        eventId,
        e.accountId(),
        e.timestamp(),
        prompt,
        null,
        e.apiKeyId(),
        e.model(),
        e.promptTokens(),
        e.completionTokens(),
        e.responseEntropy(),
        e.client());
  }

  /** A random vector of unit length in the contract's embedding dimension. */
  public static float[] unitVector(Random random) {
    float[] v = new float[ContractLimits.DEFAULT.embeddingDimension()];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / Math.sqrt(norm));
    }
    return v;
  }

  /**
   * Malformed event lines of every kind the contract knows, each mapped to a fragment its
   * dead-letter reason must contain.
   */
  public static Map<String, String> malformedEvents() {
    Map<String, String> m = new LinkedHashMap<>();
    String ts = "\"timestamp\":\"2026-10-05T00:00:01Z\"";
    m.put("this is not json", "not JSON");
    m.put("[1,2,3]", "not a JSON object");
    m.put("{\"account_id\":\"acct-00\"," + ts + ",\"prompt\":\"hi\"}", "missing field: event_id");
    m.put("{\"event_id\":\"bad-1\"," + ts + ",\"prompt\":\"hi\"}", "missing field: account_id");
    m.put(
        "{\"event_id\":\"bad-2\",\"account_id\":\"acct-00\",\"prompt\":\"hi\"}",
        "missing field: timestamp");
    m.put(
        "{\"event_id\":\"bad-3\",\"account_id\":\"acct-00\",\"timestamp\":\"yesterday\",\"prompt\":\"hi\"}",
        "not RFC 3339");
    m.put(
        "{\"event_id\":\"bad-4\",\"account_id\":\"acct-00\"," + ts + "}", "missing field: prompt");
    m.put(
        "{\"event_id\":\"bad-5\",\"account_id\":\"acct-00\"," + ts + ",\"embedding\":[0.1,0.2]}",
        "embedding has 2 dimensions, expected 384");
    m.put(
        "{\"event_id\":\"bad-6\",\"account_id\":\"acct-00\","
            + ts
            + ",\"prompt\":\""
            + "x".repeat(ContractLimits.DEFAULT.maxPromptChars() + 1)
            + "\"}",
        "prompt is 32001 characters");
    m.put(
        "{\"event_id\":\"bad-7\",\"account_id\":\"acct-00\","
            + ts
            + ",\"prompt\":\"hi\",\"prompt_tokens\":-3}",
        "prompt_tokens must be an integer >= 0");
    m.put(
        "{\"event_id\":\"bad-8\",\"account_id\":\"acct-00\","
            + ts
            + ",\"prompt\":\"hi\",\"client\":\"x\"}",
        "client must be an object");
    m.put(
        "{\"event_id\":\"bad-9\",\"account_id\":\"acct-00\"," + ts + ",\"prompt\":\"hi\"",
        "not JSON");
    return m;
  }

  /** Malformed profile lines and the fragment of their reason. */
  public static Map<String, String> malformedProfiles() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("{\"account_id\":\"acct-00\"}", "missing field: stated_use");
    m.put("{\"stated_use\":\"x\"}", "missing field: account_id");
    return m;
  }

  /** Writes lines to a file, one per line. */
  public static Path write(Path file, List<String> lines) {
    try {
      Files.write(file, lines, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every observation the channel holds now, in the order the job sent them. */
  public static List<AccountObservation> drain(InProcessObservationChannel channel)
      throws InterruptedException {
    List<AccountObservation> out = new ArrayList<>();
    Optional<AccountObservation> o;
    while ((o = channel.poll(Duration.ZERO)).isPresent()) {
      out.add(o.get());
    }
    return out;
  }

  /** Up to {@code limit} records of the store, ordered by event id. */
  public static List<QueryRecord> storedRecords(StoreSettings store, int limit) throws Exception {
    try (VectorStore s = VectorStores.open(store)) {
      List<QueryRecord> records = new ArrayList<>(s.query(RecordFilter.all(), limit));
      records.sort(Comparator.comparing(QueryRecord::eventId));
      return records;
    }
  }
}
