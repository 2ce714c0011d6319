package io.distillguard.signals;

import static org.assertj.core.api.Assertions.assertThat;

/** Helpers for tests that write an account state in an older serialized format. */
final class StateFormats {
  private StateFormats() {}

  /**
   * Copies a state's format byte (as {@code to} instead of {@code from}) and every field up to and
   * including the prompt sketches, which no format change so far has touched; returns the number of
   * categories.
   */
  static int copyHeader(StateIO.In in, StateIO.Out out, int from, int to) {
    assertThat(in.varintInt()).isEqualTo(from);
    out.varint(to);
    int k = in.varintInt();
    out.varint(k);
    for (int i = 0; i < k; i++) {
      out.string(in.string());
    }
    out.varint(in.varint()).signed(in.signed()).signed(in.signed()).signed(in.signed());
    out.varint(in.varint()).varint(in.varint()).varint(in.varint());
    out.signed(in.signed()).signed(in.signed()).f64(in.f64()).f32(in.f32());
    for (int i = 0; i <= k; i++) {
      out.f32(in.f32());
    }
    long hasShares = in.varint();
    out.varint(hasShares);
    for (int i = 0; hasShares == 1 && i < k; i++) {
      out.f32(in.f32());
    }
    PromptSketches.read(in).write(out);
    return k;
  }
}
