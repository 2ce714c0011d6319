package io.distillguard.signals;

import java.util.Arrays;

/**
 * A small HyperLogLog distinct-count sketch: {@code 2^p} one-byte registers, linear counting for
 * small cardinalities. Relative standard error is about {@code 1.04 / sqrt(2^p)} (6.5 % at p = 8).
 * Callers add already-hashed 64-bit values (see {@link Hashing}).
 */
public final class HyperLogLog {
  /** {@code 1 / 2^r} for every rank a register can hold. */
  private static final double[] INVERSE_POWERS = inversePowers();

  private final int p;
  private final byte[] registers;

  private static double[] inversePowers() {
    double[] t = new double[65];
    for (int r = 0; r < t.length; r++) {
      t[r] = 1.0 / (1L << r);
    }
    return t;
  }

  public HyperLogLog(int p) {
    if (p < 4 || p > 16) {
      throw new IllegalArgumentException("p must be in 4..16: " + p);
    }
    this.p = p;
    this.registers = new byte[1 << p];
  }

  private HyperLogLog(int p, byte[] registers) {
    this.p = p;
    this.registers = registers;
  }

  public int precision() {
    return p;
  }

  /**
   * Adds a hashed value.
   *
   * @return true when a register changed (and with it the estimate)
   */
  public boolean add(long hash) {
    int index = (int) (hash >>> (64 - p));
    long rest = hash << p;
    int rank = rest == 0 ? 64 - p + 1 : Long.numberOfLeadingZeros(rest) + 1;
    if (rank > registers[index]) {
      registers[index] = (byte) rank;
      return true;
    }
    return false;
  }

  /** Estimated number of distinct values added. */
  public double estimate() {
    return estimate(registers, p);
  }

  /** Estimated number of distinct values added to either sketch (the union). */
  public double unionEstimate(HyperLogLog other) {
    if (other.p != p) {
      throw new IllegalArgumentException("precision mismatch");
    }
    double sum = 0;
    int zeros = 0;
    for (int i = 0; i < registers.length; i++) {
      int r = Math.max(registers[i], other.registers[i]);
      sum += INVERSE_POWERS[r];
      if (r == 0) {
        zeros++;
      }
    }
    return estimate(registers.length, sum, zeros);
  }

  public void clear() {
    Arrays.fill(registers, (byte) 0);
  }

  public HyperLogLog copy() {
    return new HyperLogLog(p, registers.clone());
  }

  /** The raw registers (for serialization); the returned array is a copy. */
  public byte[] registers() {
    return registers.clone();
  }

  /** Restores a sketch from its precision and registers. */
  public static HyperLogLog of(int p, byte[] registers) {
    if (registers.length != 1 << p) {
      throw new IllegalArgumentException("expected " + (1 << p) + " registers");
    }
    return new HyperLogLog(p, registers.clone());
  }

  private static double estimate(byte[] regs, int p) {
    double sum = 0;
    int zeros = 0;
    for (byte r : regs) {
      sum += INVERSE_POWERS[r];
      if (r == 0) {
        zeros++;
      }
    }
    return estimate(regs.length, sum, zeros);
  }

  private static double estimate(int m, double sum, int zeros) {
    double alpha =
        switch (m) {
          case 16 -> 0.673;
          case 32 -> 0.697;
          case 64 -> 0.709;
          default -> 0.7213 / (1 + 1.079 / m);
        };
    double raw = alpha * m * m / sum;
    if (raw <= 2.5 * m && zeros > 0) {
      return m * Math.log((double) m / zeros);
    }
    return raw;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HyperLogLog h && h.p == p && Arrays.equals(h.registers, registers);
  }

  @Override
  public int hashCode() {
    return 31 * p + Arrays.hashCode(registers);
  }
}
