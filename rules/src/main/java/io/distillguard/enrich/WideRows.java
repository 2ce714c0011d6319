package io.distillguard.enrich;

/**
 * The rows of a matrix (centroids, hyperplanes) widened to double precision and laid out column by
 * column, for the dot product of one vector with every row at once. Each row's sum is accumulated
 * in the same order as {@link Vectors#dot} (element 0 first), so the result is bit for bit the
 * single dot products; the columns only turn the work into one multiply-add across all rows per
 * element, which the JIT compiles to vector instructions (Java has no fused multiply-add unless
 * asked, and each lane rounds as the scalar operation does).
 */
final class WideRows {

  private final int rows;
  private final double[][] columns;

  private WideRows(int rows, double[][] columns) {
    this.rows = rows;
    this.columns = columns;
  }

  /** The rows of {@code m}, all of the same length, widened exactly. */
  static WideRows of(float[][] m) {
    int dim = m[0].length;
    double[][] columns = new double[dim][m.length];
    for (int k = 0; k < m.length; k++) {
      if (m[k].length != dim) {
        throw new IllegalArgumentException("row " + k + " has " + m[k].length + " elements");
      }
      for (int i = 0; i < dim; i++) {
        columns[i][k] = m[k][i];
      }
    }
    return new WideRows(m.length, columns);
  }

  /** The dot product of {@code a} (as long as a row) with every row, in row order. */
  double[] dots(float[] a) {
    if (a.length != columns.length) {
      throw new IllegalArgumentException(
          "a vector of " + a.length + " elements for rows of " + columns.length);
    }
    double[] sums = new double[rows];
    int i = 0;
    // Four elements per pass over the sums: each sum still adds them one after the other (Java
    // evaluates left to right), and reads and writes the sums a quarter as often.
    for (; i + 3 < a.length; i += 4) {
      double x0 = a[i];
      double x1 = a[i + 1];
      double x2 = a[i + 2];
      double x3 = a[i + 3];
      double[] c0 = columns[i];
      double[] c1 = columns[i + 1];
      double[] c2 = columns[i + 2];
      double[] c3 = columns[i + 3];
      for (int k = 0; k < rows; k++) {
        sums[k] = sums[k] + x0 * c0[k] + x1 * c1[k] + x2 * c2[k] + x3 * c3[k];
      }
    }
    for (; i < a.length; i++) {
      double x = a[i];
      double[] column = columns[i];
      for (int k = 0; k < rows; k++) {
        sums[k] += x * column[k];
      }
    }
    return sums;
  }
}
