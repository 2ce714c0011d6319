package io.distillguard.signals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Compact binary encoding helpers for detection state: unsigned LEB128 varints and zig-zag signed
 * varints ({@link VarInts}, shared with the account journal's events), big-endian floats and longs,
 * and length-prefixed strings. Used by {@code AccountSignals} and {@code DetectionState}.
 */
public final class StateIO {
  private StateIO() {}

  /** A growable output. */
  public static final class Out {
    private final GrowingBytes bytes = new GrowingBytes(1024);

    public Out varint(long v) {
      VarInts.write(bytes, v);
      return this;
    }

    public Out signed(long v) {
      return varint(VarInts.zigZag(v));
    }

    /** Big-endian, as {@link java.io.DataOutputStream#writeDouble} writes it. */
    public Out f64(double v) {
      return i64(Double.doubleToLongBits(v));
    }

    /** Big-endian, as {@link java.io.DataOutputStream#writeLong} writes it. */
    public Out i64(long v) {
      for (int shift = 56; shift >= 0; shift -= 8) {
        bytes.write((int) (v >>> shift));
      }
      return this;
    }

    /** Big-endian, as {@link java.io.DataOutputStream#writeFloat} writes it. */
    public Out f32(float v) {
      int bits = Float.floatToIntBits(v);
      for (int shift = 24; shift >= 0; shift -= 8) {
        bytes.write(bits >>> shift);
      }
      return this;
    }

    public Out raw(byte[] b) {
      bytes.write(b, 0, b.length);
      return this;
    }

    /** Modified UTF-8 with a 2-byte length, as {@link java.io.DataOutputStream#writeUTF}. */
    public Out string(String s) {
      ByteArrayOutputStream utf = new ByteArrayOutputStream(s.length() + 2);
      try (DataOutputStream data = new DataOutputStream(utf)) {
        data.writeUTF(s);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return raw(utf.toByteArray());
    }

    public byte[] toByteArray() {
      return bytes.toByteArray();
    }
  }

  /** A reader over a byte array; every read failure is an {@link IllegalArgumentException}. */
  public static final class In {
    private final DataInputStream data;

    public In(byte[] b) {
      this.data = new DataInputStream(new ByteArrayInputStream(b));
    }

    public long varint() {
      return VarInts.read(this::u8);
    }

    public int varintInt() {
      long v = varint();
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("varint out of int range: " + v);
      }
      return (int) v;
    }

    public long signed() {
      return VarInts.unZigZag(varint());
    }

    public double f64() {
      try {
        return data.readDouble();
      } catch (IOException e) {
        throw new IllegalArgumentException("truncated state", e);
      }
    }

    public long i64() {
      try {
        return data.readLong();
      } catch (IOException e) {
        throw new IllegalArgumentException("truncated state", e);
      }
    }

    public float f32() {
      try {
        return data.readFloat();
      } catch (IOException e) {
        throw new IllegalArgumentException("truncated state", e);
      }
    }

    public byte[] raw(int n) {
      byte[] b = new byte[n];
      try {
        data.readFully(b);
      } catch (IOException e) {
        throw new IllegalArgumentException("truncated state", e);
      }
      return b;
    }

    public String string() {
      try {
        return data.readUTF();
      } catch (IOException e) {
        throw new IllegalArgumentException("truncated state", e);
      }
    }

    public int u8() {
      try {
        return data.readUnsignedByte();
      } catch (IOException e) {
        throw new IllegalArgumentException("truncated state", e);
      }
    }

    public boolean atEnd() {
      try {
        return data.available() == 0;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
