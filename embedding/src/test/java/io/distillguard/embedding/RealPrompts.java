package io.distillguard.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Human-written prompts from the shared datasets folder ({@code ../shared/datasets}). */
final class RealPrompts {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RealPrompts() {}

  /** The datasets folder, found from the working directory (module or repository root). */
  static Path datasets() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path candidate = p.resolve("../shared/datasets").normalize();
      if (Files.isRegularFile(candidate.resolve("gsm8k.jsonl"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("../shared/datasets not found above " + dir);
  }

  /** The first {@code limit} texts of a dataset file, e.g. {@code "gsm8k"}. */
  static List<String> first(String dataset, int limit) {
    List<String> texts = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(datasets().resolve(dataset + ".jsonl"))) {
      String line;
      while (texts.size() < limit && (line = reader.readLine()) != null) {
        JsonNode text = JSON.readTree(line).get("text");
        if (text != null && text.isTextual()) {
          texts.add(text.asText());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return texts;
  }

  /** A mix of short (banking77, clinc150) and long (gsm8k, mmlu, alpaca_eval_human) prompts. */
  static List<String> mixed(int perDataset) {
    List<String> texts = new ArrayList<>();
    for (String dataset : List.of("banking77", "alpaca_eval_human", "gsm8k", "mmlu", "clinc150")) {
      texts.addAll(first(dataset, perDataset));
    }
    return texts;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}
