package io.distillguard.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The shared varints keep the bytes both formats on disk have always had: LEB128 groups, least
 * significant first, and zig-zag signed values; and the detection state's helpers write exactly
 * those bytes around their other primitives.
 */
class VarIntsTest {

  private static byte[] varint(long v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
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
