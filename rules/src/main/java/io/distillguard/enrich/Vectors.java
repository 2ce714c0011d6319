package io.distillguard.enrich;

/**
 * Arithmetic on embedding vectors, in double precision. The enrichment's operations (dot products,
 * normalisation, widening) each fix their order of summation, and Java floating point is strict, so
 * the same input gives the same bits on every JVM: categories, similarities and LSH signatures are
 * stored data ({@link QueryEnricher}), and a change of order there would move them.
 */
public final class Vectors {

  private Vectors() {}

  /**
   * The cosine of the angle between {@code a} and {@code b}, of the same length; 0 when either is
   * all zeros.
   */
  public static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "vectors of " + a.length + " and " + b.length + " dimensions");
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  /** The index of the largest value (the first of equal ones). */
  static int argmax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  /**
   * The dot product of {@code a} with every row, eight rows per pass over {@code a}: each row's sum
   * is accumulated in the same order as {@link #dot} (so, for rows widened from floats, bit for bit
   * the same value); the eight independent sums only let the processor overlap them. Widening once
   * (exactly: every float is a double) keeps the conversions out of the inner loop.
   */
  static double[] dots(double[] a, double[][] rows) {
    double[] out = new double[rows.length];
    int n = a.length;
    int k = 0;
    for (; k + 7 < rows.length; k += 8) {
      double[] r0 = rows[k];
      double[] r1 = rows[k + 1];
      double[] r2 = rows[k + 2];
      double[] r3 = rows[k + 3];
      double[] r4 = rows[k + 4];
      double[] r5 = rows[k + 5];
      double[] r6 = rows[k + 6];
      double[] r7 = rows[k + 7];
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      double s4 = 0;
      double s5 = 0;
      double s6 = 0;
      double s7 = 0;
      for (int i = 0; i < n; i++) {
        double x = a[i];
        s0 += x * r0[i];
        s1 += x * r1[i];
        s2 += x * r2[i];
        s3 += x * r3[i];
        s4 += x * r4[i];
        s5 += x * r5[i];
        s6 += x * r6[i];
        s7 += x * r7[i];
      }
      out[k] = s0;
      out[k + 1] = s1;
      out[k + 2] = s2;
      out[k + 3] = s3;
      out[k + 4] = s4;
      out[k + 5] = s5;
      out[k + 6] = s6;
      out[k + 7] = s7;
    }
    for (; k < rows.length; k++) {
      double[] r = rows[k];
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += a[i] * r[i];
      }
      out[k] = s;
    }
    return out;
  }

  /** Every row widened to double precision (exactly). */
  static double[][] widened(float[][] rows) {
    double[][] out = new double[rows.length][];
    for (int k = 0; k < rows.length; k++) {
      out[k] = toDouble(rows[k]);
    }
    return out;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  static float clamp(double cosine) {
    return (float) Math.max(-1.0, Math.min(1.0, cosine));
  }

  static float[] normalised(double[] v) {
    double n = 0;
    for (double x : v) {
      n += x * x;
    }
    n = Math.sqrt(n);
    float[] out = new float[v.length];
    if (n > 0 && Double.isFinite(n)) {
      for (int i = 0; i < v.length; i++) {
        out[i] = (float) (v[i] / n);
      }
    }
    return out;
  }

  /** {@code normalised(toDouble(v))}, bit for bit, without the intermediate array. */
  static float[] normalised(float[] v) {
    double n = 0;
    for (float f : v) {
      double x = f;
      n += x * x;
    }
    n = Math.sqrt(n);
    float[] out = new float[v.length];
    if (n > 0 && Double.isFinite(n)) {
      for (int i = 0; i < v.length; i++) {
        out[i] = (float) (v[i] / n);
      }
    }
    return out;
  }

  static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
