package io.distillguard.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Exact cosine search over the index: candidates are ranked by cosine on the int8 vectors, each
 * with a proven error bound ({@code ||q||_1 * scale / 2} on the dot product); candidates whose
 * upper bound can still reach the top {@code limit} are re-scored in float32 from disk. Returned
 * scores are float32 cosines and the ranking equals an exact float32 scan.
 */
final class QuantizedSearch {

  private QuantizedSearch() {}

  record Candidate(IndexEntry entry, double approx, double bound, float norm) {}

  private record ScoredEntry(IndexEntry entry, double score) {}

  /** The top {@code limit} matches of {@code filter} by cosine to {@code vector}, best first. */
  static List<ScoredRecord> search(
      RecordIndex index, SegmentFiles files, float[] vector, RecordFilter filter, int limit)
      throws IOException {
    double qNorm = 0;
    double qL1 = 0;
    for (float f : vector) {
      qNorm += (double) f * f;
      qL1 += Math.abs(f);
    }
    qNorm = Math.sqrt(qNorm);
    // Pass 1: approximate cosine from the int8 vectors, with a per-candidate error bound.
    List<Candidate> candidates = new ArrayList<>();
    LowerBounds lowerBounds = new LowerBounds(Math.min(limit, Math.max(1, index.size())));
    final double qn = qNorm;
    final double ql1 = qL1;
    index.forEachMatch(
        filter,
        (acct, i) -> {
          Candidate c = acct.approximate(i, vector, qn, ql1);
          if (c.approx + c.bound < lowerBounds.floor()) {
            return; // cannot reach the top `limit`
          }
          candidates.add(c);
          lowerBounds.offer(c.approx - c.bound);
        });
    double[] floor = {lowerBounds.floor()};
    // Pass 2: exact float32 cosine, in order of upper bound, until none left can compete.
    candidates.sort(Comparator.comparingDouble((Candidate c) -> -(c.approx + c.bound)));
    PriorityQueue<ScoredEntry> top =
        new PriorityQueue<>(
            Comparator.comparingDouble((ScoredEntry s) -> s.score)
                .thenComparing(s -> s.entry.eventId, Comparator.reverseOrder()));
    for (Candidate c : candidates) {
      if (top.size() == limit && c.approx + c.bound < top.peek().score) {
        break;
      }
      if (c.approx + c.bound < floor[0]) {
        continue;
      }
      float[] exact = RecordCodec.readVector(files.readPayload(c.entry));
      double score = exactCosine(vector, qn, exact, c.norm);
      top.add(new ScoredEntry(c.entry, score));
      if (top.size() > limit) {
        top.poll();
      }
    }
    List<ScoredEntry> ordered = new ArrayList<>(top);
    ordered.sort(
        Comparator.comparingDouble((ScoredEntry s) -> -s.score)
            .thenComparing(s -> s.entry.eventId));
    List<ScoredRecord> out = new ArrayList<>(ordered.size());
    for (ScoredEntry s : ordered) {
      out.add(new ScoredRecord(files.readRecord(s.entry), (float) s.score));
    }
    return out;
  }

  private static double exactCosine(float[] q, double qNorm, float[] v, float vNorm) {
    double denom = qNorm * vNorm;
    if (denom == 0) {
      return 0;
    }
    double dot = 0;
    for (int d = 0; d < q.length; d++) {
      dot += (double) q[d] * v[d];
    }
    return dot / denom;
  }

  /**
   * The {@code k} largest lower bounds seen so far, as a primitive min-heap: its minimum is a floor
   * that any candidate's upper bound must reach to possibly be in the top {@code k}.
   */
  private static final class LowerBounds {
    private final double[] heap;
    private int size;

    LowerBounds(int k) {
      heap = new double[k];
    }

    double floor() {
      return size < heap.length ? Double.NEGATIVE_INFINITY : heap[0];
    }

    void offer(double v) {
      if (size < heap.length) {
        int i = size++;
        heap[i] = v;
        while (i > 0 && heap[(i - 1) / 2] > heap[i]) {
          swap(i, (i - 1) / 2);
          i = (i - 1) / 2;
        }
      } else if (v > heap[0]) {
        heap[0] = v;
        int i = 0;
        while (true) {
          int l = 2 * i + 1;
          int r = l + 1;
          int m = i;
          if (l < size && heap[l] < heap[m]) {
            m = l;
          }
          if (r < size && heap[r] < heap[m]) {
            m = r;
          }
          if (m == i) {
            return;
          }
          swap(i, m);
          i = m;
        }
      }
    }

    private void swap(int a, int b) {
      double t = heap[a];
      heap[a] = heap[b];
      heap[b] = t;
    }
  }
}
