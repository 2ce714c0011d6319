package io.distillguard.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.RecordFilter;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The load of {@link VectorStoreBenchmark}: {@code records} 384-d vectors over {@code accounts}
 * accounts, clustered like sentence embeddings (64 topic centres, each account favouring three
 * topics), with real prompts as the stored text; and {@link #QUERIES} queries, each an account, a
 * vector near one of its topics and what a reviewer would filter by. One seeded generator draws
 * them all, so every run measures the same load.
 *
 * @param data the records, in upsert order
 * @param queryVectors the query vectors
 * @param queryAccounts the account each query searches
 * @param filtered each query's account, category and later half of the time range
 */
record VectorStoreLoad(
    int accounts,
    List<String> prompts,
    List<QueryRecord> data,
    float[][] queryVectors,
    String[] queryAccounts,
    RecordFilter[] filtered) {

  static final int DIM = 384;
  static final int QUERIES = 2000;
  private static final int TOPICS = 64;
  private static final long T0 = 1_790_000_000_000L;

  /** Generates {@code records} records over {@code accounts} accounts from seed 42. */
  static VectorStoreLoad generate(int records, int accounts, List<String> prompts) {
    float[][] centres = new float[TOPICS][];
    Random rnd = new Random(42);
    for (int t = 0; t < TOPICS; t++) {
      centres[t] = gaussian(rnd, 1.0);
    }
    List<QueryRecord> data = new ArrayList<>(records);
    for (int i = 0; i < records; i++) {
      int account = rnd.nextInt(accounts);
      int topic = (account * 7 + rnd.nextInt(3) * 13) % TOPICS;
      String prompt = prompts.get(i % prompts.size());
      data.add(
          new QueryRecord(
              "evt-" + i,
              "acct-" + account,
              T0 + i * 250L,
              "topic-" + topic % 12,
              rnd.nextFloat(),
              prompt,
              near(rnd, centres[topic]),
              Map.of("model", "m-1", "api_key_id", "k-" + account)));
    }
    float[][] queryVectors = new float[QUERIES][];
    String[] queryAccounts = new String[QUERIES];
    RecordFilter[] filtered = new RecordFilter[QUERIES];
    long lastMillis = T0 + (records - 1) * 250L;
    for (int q = 0; q < QUERIES; q++) {
      int account = rnd.nextInt(accounts);
      int topic = (account * 7 + rnd.nextInt(3) * 13) % TOPICS;
      queryAccounts[q] = "acct-" + account;
      queryVectors[q] = near(rnd, centres[topic]);
      // What a reviewer asks: this account, one category, the later half of the traffic.
      filtered[q] =
          RecordFilter.account(queryAccounts[q])
              .withCategory("topic-" + topic % 12)
              .withTimeRange(T0 + (lastMillis - T0) / 2, lastMillis);
    }
    return new VectorStoreLoad(accounts, prompts, data, queryVectors, queryAccounts, filtered);
  }

  /** How many records. */
  int records() {
    return data.size();
  }

  /**
   * Up to {@code max} prompts ({@code text}) from the {@code .jsonl} files of {@code datasets},
   * round-robin over the files so short intents and long instructions are mixed.
   */
  static List<String> loadPrompts(Path datasets, int max) throws IOException {
    List<String> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(datasets)) {
      files = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
    }
    List<BufferedReader> readers = new ArrayList<>();
    try {
      for (Path p : files) {
        readers.add(Files.newBufferedReader(p, StandardCharsets.UTF_8));
      }
      boolean any = true;
      while (out.size() < max && any) {
        any = false;
        for (BufferedReader r : readers) {
          String line = r.readLine();
          if (line == null) {
            continue;
          }
          any = true;
          JsonElement text = JsonParser.parseString(line).getAsJsonObject().get("text");
          if (text != null && !text.isJsonNull()) {
            out.add(text.getAsString());
          }
        }
      }
    } finally {
      for (BufferedReader r : readers) {
        r.close();
      }
    }
    return out;
  }

  private static float[] gaussian(Random rnd, double sigma) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) (rnd.nextGaussian() * sigma);
    }
    return v;
  }

  private static float[] near(Random rnd, float[] centre) {
    float[] v = gaussian(rnd, 0.6);
    double n = 0;
    for (int i = 0; i < DIM; i++) {
      v[i] += centre[i];
      n += (double) v[i] * v[i];
    }
    float s = (float) (1 / Math.sqrt(n));
    for (int i = 0; i < DIM; i++) {
      v[i] *= s;
    }
    return v;
  }
}
