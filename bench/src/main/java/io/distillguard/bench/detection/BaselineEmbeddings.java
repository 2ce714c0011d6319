package io.distillguard.bench.detection;

import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds a split's prompts for the baselines with the same model and token cap as the pipeline
 * ({@link MiniLmEmbedder}, {@link EmbedderSettings#DEFAULT}), and caches the vectors in a file
 * named by a hash of the prompts so a rerun on the same traffic skips the model.
 */
public final class BaselineEmbeddings {

  private static final Logger LOG = LoggerFactory.getLogger(BaselineEmbeddings.class);
  private static final int CHUNK = 512;

  private BaselineEmbeddings() {}

  /** Per account, its prompts' vectors in event-time order. */
  static Map<String, List<float[]>> perAccount(
      List<QueryEvent> events, Path cacheDir, EmbedderSettings settings) {
    float[][] vectors = embed(events.stream().map(QueryEvent::prompt).toList(), cacheDir, settings);
    Map<String, List<float[]>> out = new LinkedHashMap<>();
    for (int i = 0; i < events.size(); i++) {
      out.computeIfAbsent(events.get(i).accountId(), k -> new ArrayList<>()).add(vectors[i]);
    }
    return out;
  }

  public static float[][] embed(List<String> texts, Path cacheDir, EmbedderSettings settings) {
    long h = 17;
    for (String t : texts) {
      h = h * 31 + PromptPool.fnv1a(t);
    }
    h = h * 31 + settings.maxTokens();
    Path cache = cacheDir.resolve("embeddings-" + Long.toHexString(h) + ".bin");
    if (Files.isRegularFile(cache)) {
      try (DataInputStream in =
          new DataInputStream(new BufferedInputStream(Files.newInputStream(cache)))) {
        int n = in.readInt();
        int dim = in.readInt();
        if (n == texts.size()) {
          float[][] out = new float[n][dim];
          for (float[] v : out) {
            for (int k = 0; k < dim; k++) {
              v[k] = in.readFloat();
            }
          }
          LOG.info("Loaded {} cached embeddings from {}", n, cache);
          return out;
        }
      } catch (IOException e) {
        LOG.warn("Ignoring unreadable embedding cache {}: {}", cache, e.toString());
      }
    }
    float[][] out = new float[texts.size()][];
    long start = System.nanoTime();
    try (MiniLmEmbedder embedder = MiniLmEmbedder.create(settings)) {
      // One chunk per session in parallel: the embedder runs one ONNX session per thread.
      List<int[]> chunks = new ArrayList<>();
      for (int from = 0; from < texts.size(); from += CHUNK) {
        chunks.add(new int[] {from, Math.min(texts.size(), from + CHUNK)});
      }
      java.util.concurrent.atomic.AtomicInteger done =
          new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.ForkJoinPool workers =
          new java.util.concurrent.ForkJoinPool(settings.threads());
      try {
        workers
            .submit(
                () ->
                    chunks.parallelStream()
                        .forEach(
                            c -> {
                              List<float[]> vs = embedder.embedAll(texts.subList(c[0], c[1]));
                              for (int i = 0; i < vs.size(); i++) {
                                out[c[0] + i] = vs.get(i);
                              }
                              int n = done.addAndGet(c[1] - c[0]);
                              if ((n / CHUNK) % 10 == 0) {
                                LOG.info(
                                    "Embedded {}/{} prompts for the baselines", n, texts.size());
                              }
                            }))
            .get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      } finally {
        workers.shutdown();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    LOG.info(
        "Embedded {} prompts in {} s ({} /s)",
        texts.size(),
        Math.round(seconds),
        Math.round(texts.size() / seconds));
    try {
      Files.createDirectories(cacheDir);
      try (DataOutputStream o =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(cache)))) {
        o.writeInt(out.length);
        o.writeInt(out.length == 0 ? 0 : out[0].length);
        for (float[] v : out) {
          for (float f : v) {
            o.writeFloat(f);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
