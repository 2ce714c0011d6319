package io.distillguard.signals;

import java.util.Arrays;

/**
 * A growing byte buffer for the binary formats' writers ({@link StateIO}, the account journal's
 * events): what {@link java.io.ByteArrayOutputStream} does without its lock, which every single
 * byte written took (the formats write a byte at a time: varints, little-endian floats). Not
 * thread-safe.
 */
public final class GrowingBytes {

  private byte[] bytes;
  private int size;

  /** An empty buffer with room for {@code initialCapacity} bytes before it grows. */
  public GrowingBytes(int initialCapacity) {
    this.bytes = new byte[Math.max(16, initialCapacity)];
  }

  /** Appends the low 8 bits of {@code b}. */
  public void write(int b) {
    if (size == bytes.length) {
      grow(size + 1);
    }
    bytes[size++] = (byte) b;
  }

  /** Appends {@code length} bytes of {@code b} from {@code offset}. */
  public void write(byte[] b, int offset, int length) {
    if (size + length > bytes.length) {
      grow(size + length);
    }
    System.arraycopy(b, offset, bytes, size, length);
    size += length;
  }

  /** The bytes written so far. */
  public int size() {
    return size;
  }

  /** A copy of the bytes written so far. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  private void grow(int needed) {
    bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
  }
}
