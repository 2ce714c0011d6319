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
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    private final DataOutputStream data = new DataOutputStream(bytes);

    public Out varint(long v) {
      // The data stream writes through to the same buffer: the bytes stay in order.
      VarInts.write(bytes, v);
      return this;
    }

    public Out signed(long v) {
      return varint(VarInts.zigZag(v));
    }

    public Out f64(double v) {
      try {
        data.writeDouble(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    public Out i64(long v) {
      try {
        data.writeLong(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    public Out f32(float v) {
      try {
        data.writeFloat(v);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    public Out raw(byte[] b) {
      bytes.write(b, 0, b.length);
      return this;
    }

    public Out string(String s) {
      try {
        data.writeUTF(s);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
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
