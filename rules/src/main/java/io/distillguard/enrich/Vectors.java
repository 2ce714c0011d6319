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

  /** {@link #normalised(double[])} of the floats widened, bit for bit, without a double copy. */
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
}
