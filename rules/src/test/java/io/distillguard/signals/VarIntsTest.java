package io.distillguard.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The shared varints keep the bytes both formats on disk have always had: LEB128 groups, least
 * significant first, and zig-zag signed values; and the detection state's helpers write exactly
 * those bytes around their other primitives.
 */
class VarIntsTest {

  private static byte[] varint(long v) {
    GrowingBytes out = new GrowingBytes(0);
    VarInts.write(out, v);
    return out.toByteArray();
  }

  private static long read(byte[] b) {
    AtomicInteger pos = new AtomicInteger();
    long v = VarInts.read(() -> b[pos.getAndIncrement()] & 0xFF);
    assertThat(pos.get()).isEqualTo(b.length);
    return v;
  }

  @Test
  void theBytesAreTheFormatsOnDisk() {
    assertThat(varint(0)).containsExactly(0x00);
    assertThat(varint(1)).containsExactly(0x01);
    assertThat(varint(127)).containsExactly(0x7F);
    assertThat(varint(128)).containsExactly(0x80, 0x01);
    assertThat(varint(300)).containsExactly(0xAC, 0x02);
    assertThat(varint(-1L)).hasSize(10).endsWith(0x01);
    assertThat(VarInts.zigZag(0)).isZero();
    assertThat(VarInts.zigZag(-1)).isEqualTo(1);
    assertThat(VarInts.zigZag(1)).isEqualTo(2);
    assertThat(VarInts.zigZag(-2)).isEqualTo(3);
    assertThat(VarInts.zigZag(Long.MIN_VALUE)).isEqualTo(-1L);
  }

  @Test
  void everyValueReadsBack() {
    long[] values = {
      0,
      1,
      -1,
      63,
      64,
      -64,
      -65,
      127,
      128,
      16_383,
      16_384,
      Integer.MAX_VALUE,
      Integer.MIN_VALUE,
      1_791_158_400_000L,
      -1_791_158_400_000L,
      Long.MAX_VALUE,
      Long.MIN_VALUE
    };
    for (long v : values) {
      assertThat(read(varint(v))).isEqualTo(v);
      assertThat(VarInts.unZigZag(read(varint(VarInts.zigZag(v))))).isEqualTo(v);
    }
    assertThatThrownBy(
            () ->
                read(
                    new byte[] {
                      (byte) 0x80,
                      (byte) 0x80,
                      (byte) 0x80,
                      (byte) 0x80,
                      (byte) 0x80,
                      (byte) 0x80,
                      (byte) 0x80,
                      (byte) 0x80,
                      (byte) 0x80,
                      (byte) 0x80
                    }))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stateIoWritesItsFixedWidthPrimitivesAsADataOutputStreamDoes() throws Exception {
    SplittableRandom random = new SplittableRandom(3);
    StateIO.Out out = new StateIO.Out();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(expected);
    double[] doubles = {0.0, -0.0, Double.NaN, Double.MIN_VALUE, Double.MAX_VALUE, -1e-300};
    float[] floats = {0f, -0f, Float.NaN, Float.MIN_VALUE, Float.MAX_VALUE, 1.5f};
    for (int i = 0; i < 2_000; i++) {
      double d = i < doubles.length ? doubles[i] : random.nextDouble(-1e6, 1e6);
      float f = i < floats.length ? floats[i] : (float) random.nextDouble(-1e3, 1e3);
      long l = random.nextLong();
      out.f64(d).f32(f).i64(l);
      data.writeDouble(d);
      data.writeFloat(f);
      data.writeLong(l);
    }
    data.writeUTF("Ünïcode \u0000 text");
    out.string("Ünïcode \u0000 text");
    assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
  }

  @Test
  void aGrowingBufferKeepsEveryByteInOrder() {
    GrowingBytes bytes = new GrowingBytes(0);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 5_000; i++) {
      if (random.nextInt(4) == 0) {
        byte[] block = new byte[random.nextInt(300)];
        random.nextBytes(block);
        int offset = block.length == 0 ? 0 : random.nextInt(block.length);
        bytes.write(block, offset, block.length - offset);
        expected.write(block, offset, block.length - offset);
      } else {
        int b = random.nextInt();
        bytes.write(b);
        expected.write(b);
      }
    }
    assertThat(bytes.size()).isEqualTo(expected.size());
    assertThat(bytes.toByteArray()).isEqualTo(expected.toByteArray());
  }

  @Test
  void stateIoWritesTheSameBytesAroundItsOtherPrimitives() {
    byte[] b = new StateIO.Out().varint(300).f32(1.5f).signed(-2).string("é").toByteArray();
    // varint 300, a big-endian float, zig-zag -2, a modified-UTF-8 string with its 2-byte length.
    assertThat(b).containsExactly(0xAC, 0x02, 0x3F, 0xC0, 0x00, 0x00, 0x03, 0x00, 0x02, 0xC3, 0xA9);
    StateIO.In in = new StateIO.In(b);
    assertThat(in.varint()).isEqualTo(300);
    assertThat(in.f32()).isEqualTo(1.5f);
    assertThat(in.signed()).isEqualTo(-2);
    assertThat(in.string()).isEqualTo("é");
    assertThat(in.atEnd()).isTrue();
  }
}
