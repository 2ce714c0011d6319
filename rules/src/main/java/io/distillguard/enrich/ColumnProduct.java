package io.distillguard.enrich;

/**
 * The dot products of a vector with a fixed set of rows, as one vector-matrix product over the
 * transposed rows: for each input dimension {@code i} (in order) every row's sum gets {@code a[i] *
 * row[i]} added. Each sum is accumulated in double precision and in the same order as {@link
 * QueryEnricher#dot}, with the same products (a float widened to double is exact, and Java neither
 * reorders nor fuses the multiply and the add), so every result is bit for bit the value {@code
 * dot} gives; the rows' sums are independent lanes of the inner loop, which the JIT compiles to
 * SIMD instructions. Immutable and thread-safe.
 */
final class ColumnProduct {

  private final int rows;
  private final int dimension;

  /** {@code columns[i * rows + k] = rows[k][i]}, widened to double once. */
  private final double[] columns;

  ColumnProduct(float[][] rowVectors) {
    this.rows = rowVectors.length;
    this.dimension = rowVectors[0].length;
    this.columns = new double[rows * dimension];
    for (int k = 0; k < rows; k++) {
      if (rowVectors[k].length != dimension) {
        throw new IllegalArgumentException("row " + k + " has the wrong dimension");
      }
      for (int i = 0; i < dimension; i++) {
        columns[i * rows + k] = rowVectors[k][i];
      }
    }
  }

  int rows() {
    return rows;
  }

  /**
   * {@code out[k] = dot(a, row k)} for every row; {@code out} (at least {@link #rows()} long) is
   * overwritten and returned, so a caller can reuse one buffer.
   */
  double[] times(float[] a, double[] out) {
    if (a.length != dimension) {
      throw new IllegalArgumentException(
          "vector has " + a.length + " dimensions, expected " + dimension);
    }
    java.util.Arrays.fill(out, 0, rows, 0.0);
    final int n = rows;
    final double[] m = columns;
    for (int i = 0, base = 0; i < a.length; i++, base += n) {
      double x = a[i];
      for (int k = 0; k < n; k++) {
        out[k] += x * m[base + k];
      }
    }
    return out;
  }
}
