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
    // Identical prompts (a repeated question, a shared template's fixed prompt) are embedded once.
    Map<String, Integer> slot = new LinkedHashMap<>();
    int[] slotOf = new int[texts.size()];
    for (int i = 0; i < texts.size(); i++) {
      slotOf[i] = slot.computeIfAbsent(texts.get(i), t -> slot.size());
    }
    List<String> distinct = new ArrayList<>(slot.keySet());
    float[][] unique = new float[distinct.size()][];
    // Finished chunks go to a partial file as they complete, so an interrupted run resumes.
    Path partial = cacheDir.resolve("partial").resolve(cache.getFileName() + ".part");
    int resumed = resumePartial(partial, unique);
    long start = System.nanoTime();
    try (MiniLmEmbedder embedder = MiniLmEmbedder.create(settings);
        DataOutputStream progress = appendPartial(partial)) {
      // One chunk per session in parallel: the embedder runs one ONNX session per thread.
      List<int[]> chunks = new ArrayList<>();
      for (int from = 0; from < distinct.size(); from += CHUNK) {
        if (unique[from] == null) {
          chunks.add(new int[] {from, Math.min(distinct.size(), from + CHUNK)});
        }
      }
      java.util.concurrent.atomic.AtomicInteger done =
          new java.util.concurrent.atomic.AtomicInteger(resumed);
      java.util.concurrent.ForkJoinPool workers =
          new java.util.concurrent.ForkJoinPool(settings.threads());
      try {
        workers
            .submit(
                () ->
                    chunks.parallelStream()
                        .forEach(
                            c -> {
                              List<float[]> vs = embedder.embedAll(distinct.subList(c[0], c[1]));
                              for (int i = 0; i < vs.size(); i++) {
                                unique[c[0] + i] = vs.get(i);
                              }
                              writeChunk(progress, c[0], vs);
                              int n = done.addAndGet(c[1] - c[0]);
                              if ((n / CHUNK) % 10 == 0) {
                                LOG.info(
                                    "Embedded {}/{} distinct prompts for the baselines",
                                    n,
                                    distinct.size());
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
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    float[][] out = new float[texts.size()][];
    for (int i = 0; i < texts.size(); i++) {
      out[i] = unique[slotOf[i]];
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
      Files.deleteIfExists(partial);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Reads the chunks an interrupted run finished into {@code unique}; returns how many vectors. */
  private static int resumePartial(Path partial, float[][] unique) {
    if (!Files.isRegularFile(partial)) {
      return 0;
    }
    int n = 0;
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(partial)))) {
      while (true) {
        int from;
        try {
          from = in.readInt();
        } catch (java.io.EOFException end) {
          break;
        }
        int count = in.readInt();
        int dim = in.readInt();
        float[][] chunk = new float[count][dim];
        for (float[] v : chunk) {
          for (int k = 0; k < dim; k++) {
            v[k] = in.readFloat();
          }
        }
        if (from + count > unique.length) {
          break;
        }
        System.arraycopy(chunk, 0, unique, from, count);
        n += count;
      }
    } catch (IOException e) {
      // A chunk cut short by the interruption: the chunks before it are kept.
      LOG.warn("Partial embeddings {} end early: {}", partial, e.toString());
    }
    if (n > 0) {
      LOG.info("Resuming from {} embeddings in {}", n, partial);
    }
    return n;
  }

  private static DataOutputStream appendPartial(Path partial) throws IOException {
    Files.createDirectories(partial.getParent());
    return new DataOutputStream(
        Files.newOutputStream(
            partial,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND));
  }

  private static void writeChunk(DataOutputStream progress, int from, List<float[]> vectors) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (DataOutputStream o = new DataOutputStream(bytes)) {
      o.writeInt(from);
      o.writeInt(vectors.size());
      o.writeInt(vectors.isEmpty() ? 0 : vectors.get(0).length);
      for (float[] v : vectors) {
        for (float f : v) {
          o.writeFloat(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // One write per chunk under the stream's lock: chunks from parallel sessions never interleave.
    synchronized (progress) {
      try {
        progress.write(bytes.toByteArray());
        progress.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
