package io.distillguard.bench.throughput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A stream of prompts as real apps send them: mostly new prompts, and a share of exact repeats of
 * earlier ones (users asking a common question again, clients retrying, apps resending the same
 * request). Half the repeats are of a small set of popular prompts, half of a recently seen one.
 */
final class RepeatingTraffic {

  /** Sources mixed into the stream: short intents, instructions, word problems, exam questions. */
  static final List<String> SOURCES =
      List.of("banking77", "clinc150", "alpaca_eval_human", "gsm8k", "mmlu", "self_instruct_seed");

  private RepeatingTraffic() {}

  /** Distinct real prompts from the datasets folder, shuffled with a fixed seed. */
  static List<String> distinctPrompts(Path datasets, int perSource) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> texts = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String source : SOURCES) {
      int taken = 0;
      try (BufferedReader reader = Files.newBufferedReader(datasets.resolve(source + ".jsonl"))) {
        String line;
        while (taken < perSource && (line = reader.readLine()) != null) {
          JsonNode text = json.readTree(line).get("text");
          if (text != null && text.isTextual() && seen.add(text.asText())) {
            texts.add(text.asText());
            taken++;
          }
        }
      }
    }
    Collections.shuffle(texts, new Random(13));
    return texts;
  }

  /**
   * {@code events} prompts of which a share {@code repeatRate} repeat an earlier prompt exactly.
   *
   * @param fresh distinct prompts, used in order; needs about {@code events * (1 - repeatRate)}
   */
  static List<String> stream(List<String> fresh, int events, double repeatRate, long seed) {
    Random random = new Random(seed);
    List<String> seen = new ArrayList<>();
    List<String> out = new ArrayList<>(events);
    int next = 0;
    for (int i = 0; i < events; i++) {
      boolean repeat = !seen.isEmpty() && random.nextDouble() < repeatRate;
      if (repeat || next >= fresh.size()) {
        if (random.nextBoolean()) {
          out.add(seen.get(random.nextInt(Math.min(seen.size(), 50)))); // the popular ones
        } else {
          int recent = Math.min(seen.size(), 500);
          out.add(seen.get(seen.size() - 1 - random.nextInt(recent)));
        }
      } else {
        String text = fresh.get(next++);
        seen.add(text);
        out.add(text);
      }
    }
    return out;
  }

  /** The share of the stream that repeats an earlier element. */
  static double repeats(List<String> stream) {
    return 1.0 - (double) new java.util.HashSet<>(stream).size() / stream.size();
  }
}
