package io.distillguard.bench.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The human-written prompts of a datasets folder (one JSONL file per source; the full datasets in
 * the benchmark, see {@code Datasets}; the repository's samples in tests), restricted to one half
 * of every file: the {@link Split#TUNE} and {@link Split#REPORT} halves are disjoint (decided by a
 * hash of the row's source and id), so traffic the policy was tuned on never shares a prompt with
 * the traffic it is reported on.
 */
public final class PromptPool {

  private static final Logger LOG = LoggerFactory.getLogger(PromptPool.class);

  /** One prompt row of a dataset file. */
  public record Row(String text, String source, String domain, String category, String id) {}

  /** Which disjoint half of the datasets a run draws from. */
  public enum Split {
    TUNE,
    REPORT
  }

  /** Every source file the benchmark reads. */
  public static final List<String> SOURCES =
      List.of(
          "banking77",
          "clinc150",
          "hwu64",
          "snips",
          "sgd",
          "medquad",
          "gsm8k",
          "svamp",
          "math",
          "humaneval",
          "mbpp",
          "conala",
          "mmlu",
          "self_instruct_seed",
          "self_instruct_user_oriented",
          "p3_t0_sample",
          "mt_bench",
          "vicuna_bench",
          "wizardlm_testset",
          "alpaca_eval_human",
          "ifeval");

  private final Split split;
  private final Map<String, List<Row>> bySource;

  private PromptPool(Split split, Map<String, List<Row>> bySource) {
    this.split = split;
    this.bySource = bySource;
  }

  /** Reads every source in {@code datasetsDir} and keeps the rows of the given split. */
  public static PromptPool load(Path datasetsDir, Split split) {
    ObjectMapper mapper = new ObjectMapper();
    Map<String, List<Row>> bySource = new java.util.concurrent.ConcurrentHashMap<>();
    SOURCES.parallelStream()
        .forEach(source -> bySource.put(source, read(mapper, datasetsDir, source, split)));
    return new PromptPool(split, bySource);
  }

  private static List<Row> read(ObjectMapper mapper, Path datasetsDir, String source, Split split) {
    Path file = datasetsDir.resolve(source + ".jsonl");
    List<Row> rows = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      // A folder may hold a subset (the repository's test samples leave out sources whose licence
      // does not allow redistribution): an absent source contributes no rows.
      LOG.warn("dataset {} absent from {}: no {} prompts are drawn", source, datasetsDir, source);
      return rows;
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = mapper.readTree(line);
        Row row =
            new Row(
                n.path("text").asText(),
                source,
                textOrNull(n.get("domain")),
                textOrNull(n.get("category")),
                n.path("id").asText());
        if (!row.text().isBlank() && splitOf(row) == split) {
          rows.add(row);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dataset " + file, e);
    }
    return List.copyOf(rows);
  }

  /** The half of the datasets a row belongs to: a stable hash of its source and id. */
  public static Split splitOf(Row row) {
    long h = fnv1a(row.source() + '\u0000' + row.id() + '\u0000' + row.text());
    return (h & 1L) == 0 ? Split.TUNE : Split.REPORT;
  }

  /** The split this pool holds. */
  public Split split() {
    return split;
  }

  /** Every row of one source in this split. */
  public List<Row> source(String source) {
    List<Row> rows = bySource.get(source);
    if (rows == null) {
      throw new IllegalArgumentException("unknown source " + source);
    }
    return rows;
  }

  /** Rows of one source whose domain is in {@code domains} ({@code null}: every row). */
  public List<Row> select(String source, Collection<String> domains) {
    if (domains == null) {
      return source(source);
    }
    Set<String> wanted = Set.copyOf(domains);
    return filter(source, r -> r.domain() != null && wanted.contains(r.domain()));
  }

  /** Rows of one source that pass a predicate. */
  public List<Row> filter(String source, Predicate<Row> keep) {
    return source(source).stream().filter(keep).toList();
  }

  /** Rows in this split over every source. */
  public int size() {
    return bySource.values().stream().mapToInt(List::size).sum();
  }

  private static String textOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  static long fnv1a(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    // Finalise (murmur3 fmix64) so the low bit depends on every character.
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
