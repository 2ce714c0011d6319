package io.distillguard.signals;

import java.util.function.IntSupplier;

/**
 * The variable-length integers the binary formats on disk share: unsigned LEB128 varints (seven
 * bits a byte, least significant group first, the high bit set on every byte but the last) and
 * zig-zag signed values on top of them. The detection state ({@link StateIO}) and the actor side's
 * account journal events write them the same way; their other primitives (floats, strings) differ
 * in byte order and length prefix, and stay each format's own.
 */
public final class VarInts {

  private VarInts() {}

  /** Appends {@code v} as an unsigned varint (a negative value takes ten bytes). */
  public static void write(GrowingBytes out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /**
   * Reads an unsigned varint from {@code next}, which yields the following byte (0-255) or throws
   * when there is none.
   *
   * @throws IllegalArgumentException when the varint runs past 64 bits
   */
  public static long read(IntSupplier next) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = next.getAsInt();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("malformed varint: longer than 64 bits");
  }

  /** {@code v} zig-zag encoded: small magnitudes of either sign become small unsigned values. */
  public static long zigZag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  /** The value {@link #zigZag} encoded. */
  public static long unZigZag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }
}
