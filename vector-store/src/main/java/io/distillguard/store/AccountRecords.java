package io.distillguard.store;

import java.util.Arrays;

/**
 * The flat per-account layout: parallel arrays, the int8 vectors back to back. Quantization is
 * symmetric per vector: {@code v[i] ~= scale * q[i]} with {@code scale = max|v| / 127}.
 */
final class AccountRecords {
  final String accountId;
  final int dim;
  int size;
  IndexEntry[] entries = new IndexEntry[8];
  byte[] vectors;
  float[] scales = new float[8];
  float[] norms = new float[8];

  AccountRecords(String accountId, int dim) {
    this.accountId = accountId;
    this.dim = dim;
    this.vectors = new byte[8 * dim];
  }

  IndexEntry add(String eventId, long ts, int cat, long loc, int bytes, float[] v) {
    if (size == entries.length) {
      int cap = size * 2;
      entries = Arrays.copyOf(entries, cap);
      scales = Arrays.copyOf(scales, cap);
      norms = Arrays.copyOf(norms, cap);
      vectors = Arrays.copyOf(vectors, cap * dim);
    }
    IndexEntry e = new IndexEntry(eventId);
    e.owner = this;
    e.index = size;
    entries[size] = e;
    size++;
    set(e.index, ts, cat, loc, bytes, v);
    return e;
  }

  void set(int i, long ts, int cat, long loc, int bytes, float[] v) {
    IndexEntry e = entries[i];
    e.timestampMillis = ts;
    e.categoryId = cat;
    e.location = loc;
    e.bytes = bytes;
    float max = 0;
    double norm = 0;
    for (float f : v) {
      max = Math.max(max, Math.abs(f));
      norm += (double) f * f;
    }
    float scale = max / 127f;
    int off = i * dim;
    for (int d = 0; d < dim; d++) {
      vectors[off + d] = scale == 0 ? 0 : (byte) Math.round(v[d] / scale);
    }
    scales[i] = scale;
    norms[i] = (float) Math.sqrt(norm);
  }

  /** Removes slot i by moving the last slot into it. */
  void remove(int i) {
    int last = size - 1;
    if (i != last) {
      IndexEntry moved = entries[last];
      entries[i] = moved;
      moved.index = i;
      scales[i] = scales[last];
      norms[i] = norms[last];
      System.arraycopy(vectors, last * dim, vectors, i * dim, dim);
    }
    entries[last] = null;
    size--;
  }

  void forEach(int categoryId, long from, long to, RecordIndex.MatchVisitor visitor) {
    for (int i = 0; i < size; i++) {
      IndexEntry e = entries[i];
      if ((categoryId < 0 || e.categoryId == categoryId)
          && e.timestampMillis >= from
          && e.timestampMillis <= to) {
        visitor.visit(this, i);
      }
    }
  }

  QuantizedSearch.Candidate approximate(int i, float[] q, double qNorm, double qL1) {
    int off = i * dim;
    float dot = 0;
    for (int d = 0; d < dim; d++) {
      dot += q[d] * vectors[off + d];
    }
    float scale = scales[i];
    float norm = norms[i];
    double denom = qNorm * norm;
    if (denom == 0) {
      return new QuantizedSearch.Candidate(entries[i], 0, 0, norm);
    }
    // |q.v - scale * q.v8| <= sum|q_d| * scale/2. The float sum's own rounding is at most
    // ~dim * 2^-24 relative to |q||v| (below 1e-4 for any dimension we use), hence the margin.
    double approx = dot * (double) scale / denom;
    double bound = qL1 * scale * 0.5 / denom * 1.001 + 1e-4;
    return new QuantizedSearch.Candidate(entries[i], approx, bound, norm);
  }
}
