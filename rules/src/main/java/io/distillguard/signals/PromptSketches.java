package io.distillguard.signals;

import java.util.Arrays;

/**
 * What an account's prompts look like as a set, without keeping them: near-duplicate keys in two
 * generations of Bloom filters, distinct coarse cells and templates in two generations of
 * HyperLogLogs, the spread of the LSH bits, and the exact set of novelty cells the account has ever
 * visited. Mutable, deterministic, a few KB.
 *
 * <p>Generations: "current" fills up to {@link AccountSignals#NEAR_REPEAT_GENERATION} prompts, then
 * becomes "previous" and a fresh one starts, so every generation sketch covers the last 1..2
 * generations of prompts and their ratios do not drift with the account's lifetime volume.
 */
final class PromptSketches {

  /** Novelty cell: this many top bits of the LSH signature (an exact bitset of visited cells). */
  static final int NOVELTY_CELL_BITS = 12;

  private static final int HLL_P = 8;
  private static final int BLOOM_WORDS = 128; // 8192 bits per generation
  private static final int BLOOM_HASHES = 4;
  private static final int VISITED_WORDS = (1 << NOVELTY_CELL_BITS) / 64;
  private static final double DISPERSION_ALPHA = 1.0 / 256;

  private int generationFill;
  private long previousGenerationSize;
  private HyperLogLog cellsCurrent = new HyperLogLog(HLL_P);
  private HyperLogLog cellsPrevious = new HyperLogLog(HLL_P);
  private HyperLogLog templatesCurrent = new HyperLogLog(HLL_P);
  private HyperLogLog templatesPrevious = new HyperLogLog(HLL_P);
  private long[] bloomCurrent = new long[BLOOM_WORDS];
  private long[] bloomPrevious = new long[BLOOM_WORDS];
  private long[] visited = new long[VISITED_WORDS];
  private int visitedCount;
  private float[] bitOnes = new float[64];
  private float bitTotal;
  // The generation sketches' union estimates, kept until a register changes (NaN: not known).
  private double cellsEstimate = Double.NaN;
  private double templatesEstimate = Double.NaN;

  PromptSketches() {}

  /** True when the prompt's near-duplicate key was seen among the recent prompts; then adds it. */
  boolean nearRepeat(long lsh) {
    long key = Hashing.mix64(lsh >>> (64 - AccountSignals.NEAR_REPEAT_BITS));
    boolean seen = bloomContains(bloomCurrent, key) || bloomContains(bloomPrevious, key);
    bloomAdd(bloomCurrent, key);
    return seen;
  }

  /** True when the prompt lands in a novelty cell the account never visited; then marks it. */
  boolean newCell(long lsh) {
    int cell = (int) (lsh >>> (64 - NOVELTY_CELL_BITS));
    long bit = 1L << (cell & 63);
    if ((visited[cell >>> 6] & bit) != 0) {
      return false;
    }
    visited[cell >>> 6] |= bit;
    visitedCount++;
    return true;
  }

  /** Novelty cells visited so far. */
  int visitedCells() {
    return visitedCount;
  }

  /** Adds the prompt to the generation sketches and the dispersion estimate. */
  void add(long lsh, long templateFingerprint) {
    if (generationFill >= AccountSignals.NEAR_REPEAT_GENERATION) {
      long[] b = bloomPrevious;
      bloomPrevious = bloomCurrent;
      bloomCurrent = b;
      Arrays.fill(bloomCurrent, 0L);
      HyperLogLog c = cellsPrevious;
      cellsPrevious = cellsCurrent;
      cellsCurrent = c;
      cellsCurrent.clear();
      HyperLogLog tp = templatesPrevious;
      templatesPrevious = templatesCurrent;
      templatesCurrent = tp;
      templatesCurrent.clear();
      previousGenerationSize = generationFill;
      generationFill = 0;
      cellsEstimate = Double.NaN;
      templatesEstimate = Double.NaN;
    }
    generationFill++;
    if (cellsCurrent.add(Hashing.mix64(lsh >>> (64 - AccountSignals.CELL_BITS)))) {
      cellsEstimate = Double.NaN;
    }
    if (templatesCurrent.add(Hashing.mix64(templateFingerprint ^ 0x5bd1e995L))) {
      templatesEstimate = Double.NaN;
    }
    float keep = (float) (1 - DISPERSION_ALPHA);
    bitTotal = bitTotal * keep + 1f;
    for (int b = 0; b < 64; b++) {
      bitOnes[b] = bitOnes[b] * keep + (float) ((lsh >>> b) & 1L);
    }
  }

  long generationQueries() {
    return generationFill + previousGenerationSize;
  }

  double distinctCells() {
    if (Double.isNaN(cellsEstimate)) {
      cellsEstimate = cellsCurrent.unionEstimate(cellsPrevious);
    }
    return cellsEstimate;
  }

  double distinctTemplates() {
    if (Double.isNaN(templatesEstimate)) {
      templatesEstimate = templatesCurrent.unionEstimate(templatesPrevious);
    }
    return templatesEstimate;
  }

  double dispersion() {
    if (bitTotal <= 0) {
      return 0.0;
    }
    double sum = 0;
    for (float ones : bitOnes) {
      double p = ones / bitTotal;
      sum += 4 * p * (1 - p);
    }
    return Math.max(0.0, Math.min(1.0, sum / 64));
  }

  private static boolean bloomContains(long[] bloom, long h) {
    for (int i = 0; i < BLOOM_HASHES; i++) {
      int bit = bloomBit(h, i);
      if ((bloom[bit >>> 6] & (1L << (bit & 63))) == 0) {
        return false;
      }
    }
    return true;
  }

  private static void bloomAdd(long[] bloom, long h) {
    for (int i = 0; i < BLOOM_HASHES; i++) {
      int bit = bloomBit(h, i);
      bloom[bit >>> 6] |= 1L << (bit & 63);
    }
  }

  private static int bloomBit(long h, int i) {
    int h1 = (int) h;
    int h2 = (int) (h >>> 32);
    return Math.floorMod(h1 + i * h2, BLOOM_WORDS * 64);
  }

  PromptSketches copy() {
    PromptSketches c = new PromptSketches();
    c.generationFill = generationFill;
    c.previousGenerationSize = previousGenerationSize;
    c.cellsCurrent = cellsCurrent.copy();
    c.cellsPrevious = cellsPrevious.copy();
    c.templatesCurrent = templatesCurrent.copy();
    c.templatesPrevious = templatesPrevious.copy();
    c.bloomCurrent = bloomCurrent.clone();
    c.bloomPrevious = bloomPrevious.clone();
    c.visited = visited.clone();
    c.visitedCount = visitedCount;
    c.bitOnes = bitOnes.clone();
    c.bitTotal = bitTotal;
    return c;
  }

  void write(StateIO.Out out) {
    out.varint(generationFill).varint(previousGenerationSize);
    out.raw(cellsCurrent.registers()).raw(cellsPrevious.registers());
    out.raw(templatesCurrent.registers()).raw(templatesPrevious.registers());
    writeWords(out, bloomCurrent);
    writeWords(out, bloomPrevious);
    writeWords(out, visited);
    out.f32(bitTotal);
    for (float f : bitOnes) {
      out.f32(f);
    }
  }

  static PromptSketches read(StateIO.In in) {
    PromptSketches s = new PromptSketches();
    s.generationFill = in.varintInt();
    s.previousGenerationSize = in.varint();
    int m = 1 << HLL_P;
    s.cellsCurrent = HyperLogLog.of(HLL_P, in.raw(m));
    s.cellsPrevious = HyperLogLog.of(HLL_P, in.raw(m));
    s.templatesCurrent = HyperLogLog.of(HLL_P, in.raw(m));
    s.templatesPrevious = HyperLogLog.of(HLL_P, in.raw(m));
    s.bloomCurrent = readWords(in, BLOOM_WORDS);
    s.bloomPrevious = readWords(in, BLOOM_WORDS);
    s.visited = readWords(in, VISITED_WORDS);
    for (long w : s.visited) {
      s.visitedCount += Long.bitCount(w);
    }
    s.bitTotal = in.f32();
    for (int i = 0; i < 64; i++) {
      s.bitOnes[i] = in.f32();
    }
    return s;
  }

  private static void writeWords(StateIO.Out out, long[] words) {
    // Sparse when mostly empty (a small account), dense otherwise.
    int nonZero = 0;
    for (long w : words) {
      if (w != 0) {
        nonZero++;
      }
    }
    if (nonZero * 2 < words.length) {
      out.varint(nonZero);
      for (int i = 0; i < words.length; i++) {
        if (words[i] != 0) {
          out.varint(i).signed(words[i]);
        }
      }
    } else {
      out.varint(words.length + 1L);
      for (long w : words) {
        out.signed(w);
      }
    }
  }

  private static long[] readWords(StateIO.In in, int length) {
    long[] words = new long[length];
    int n = in.varintInt();
    if (n == length + 1) {
      for (int i = 0; i < length; i++) {
        words[i] = in.signed();
      }
    } else {
      if (n > length) {
        throw new IllegalArgumentException("too many words: " + n);
      }
      for (int j = 0; j < n; j++) {
        int i = in.varintInt();
        if (i >= length) {
          throw new IllegalArgumentException("word out of range: " + i);
        }
        words[i] = in.signed();
      }
    }
    return words;
  }
}
