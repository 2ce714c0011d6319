package io.distillguard.actors.account;

import io.distillguard.signals.GrowingBytes;
import io.distillguard.signals.VarInts;
import java.nio.charset.StandardCharsets;

/**
 * The primitives of the account journal's binary events: unsigned and zig-zag varints (the
 * detection state's, {@link VarInts}), fixed-width little-endian floats, doubles and longs,
 * length-prefixed UTF-8 strings and byte blocks. Floats and doubles are written as their raw bits,
 * so a value reads back bit for bit (NaN payloads and negative zero included).
 */
final class JournalBytes {

  private JournalBytes() {}

  /** Appends to a growing buffer. Not thread-safe. */
  static final class Out {
    private final GrowingBytes bytes = new GrowingBytes(384);

    Out varint(long v) {
      VarInts.write(bytes, v);
      return this;
    }

    Out signed(long v) {
      return varint(VarInts.zigZag(v));
    }

    Out fixed64(long v) {
      for (int i = 0; i < 8; i++) {
        bytes.write((int) (v >>> (8 * i)));
      }
      return this;
    }

    Out float32(float v) {
      int bits = Float.floatToRawIntBits(v);
      for (int i = 0; i < 4; i++) {
        bytes.write(bits >>> (8 * i));
      }
      return this;
    }

    Out float64(double v) {
      return fixed64(Double.doubleToRawLongBits(v));
    }

    Out string(String s) {
      return block(s.getBytes(StandardCharsets.UTF_8));
    }

    Out block(byte[] b) {
      varint(b.length);
      bytes.write(b, 0, b.length);
      return this;
    }

    byte[] toByteArray() {
      return bytes.toByteArray();
    }
  }

  /** Reads what {@link Out} wrote; a truncated or malformed input throws. */
  static final class In {
    private final byte[] b;
    private int pos;

    In(byte[] bytes) {
      this.b = bytes;
    }

    long varint() {
      return VarInts.read(this::next);
    }

    int varint32() {
      long v = varint();
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("count out of range: " + v);
      }
      return (int) v;
    }

    long signed() {
      return VarInts.unZigZag(varint());
    }

    long fixed64() {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v |= (long) next() << (8 * i);
      }
      return v;
    }

    float float32() {
      int bits = 0;
      for (int i = 0; i < 4; i++) {
        bits |= next() << (8 * i);
      }
      return Float.intBitsToFloat(bits);
    }

    double float64() {
      return Double.longBitsToDouble(fixed64());
    }

    String string() {
      int n = varint32();
      check(n);
      String s = new String(b, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    byte[] block() {
      int n = varint32();
      check(n);
      byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
      pos += n;
      return out;
    }

    /** Throws unless every byte was read. */
    void end() {
      if (pos != b.length) {
        throw new IllegalArgumentException((b.length - pos) + " bytes left after the event");
      }
    }

    private void check(int n) {
      if (n > b.length - pos) {
        throw new IllegalArgumentException("truncated: " + n + " bytes announced");
      }
    }

    private int next() {
      if (pos >= b.length) {
        throw new IllegalArgumentException("truncated event");
      }
      return b[pos++] & 0xFF;
    }
  }
}
