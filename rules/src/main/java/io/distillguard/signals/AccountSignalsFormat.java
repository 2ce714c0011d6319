package io.distillguard.signals;

import java.util.List;

/**
 * The compact binary form of {@link AccountSignals} (format 4; format 3, written before the 24 h
 * category-fit fields, and format 2, written before the daily off-use twice-masks, are still read):
 * deterministic (equal states, equal bytes), and the one place that knows the order in which its
 * parts are written.
 */
final class AccountSignalsFormat {

  private static final int FORMAT = 4;
  private static final int FORMAT_3 = 3;
  private static final int FORMAT_2 = 2;

  private AccountSignalsFormat() {}

  static void write(AccountSignals s, StateIO.Out out) {
    SignalWindows w = s.windows;
    VerificationRate v = s.verification;
    CategoryBaseline b = s.baseline;
    out.varint(FORMAT).varint(s.categories().size());
    for (String c : s.categories()) {
      out.string(c);
    }
    out.varint(s.queries)
        .signed(w.firstEventMillis)
        .signed(w.newestEventMillis)
        .signed(v.lastVerifiedAtMillis)
        .varint(v.preVerification)
        .varint(v.postVerification)
        .varint(w.lateEvents)
        .signed(w.futureDatedEvents)
        .signed(w.endBeforeJump)
        .f64(s.evidence)
        .f32(b.recentMass);
    for (float f : b.recentCats) {
      out.f32(f);
    }
    out.varint(b.statedShares == null ? 0 : 1);
    if (b.statedShares != null) {
      for (float f : b.statedShares) {
        out.f32(f);
      }
    }
    s.sketches.write(out);
    w.days.write(out);
    w.w10m.write(out);
    w.w1h.write(out);
    w.w24h.write(out);
    w.w24hOff.write(out);
  }

  static AccountSignals read(StateIO.In in) {
    int format = in.varintInt();
    if (format != FORMAT && format != FORMAT_3 && format != FORMAT_2) {
      throw new IllegalArgumentException("unsupported signals format " + format);
    }
    int k = in.varintInt();
    if (k > 31) {
      throw new IllegalArgumentException("too many categories: " + k);
    }
    String[] names = new String[k];
    for (int i = 0; i < k; i++) {
      names[i] = in.string();
    }
    long queries = in.varint();
    long first = in.signed();
    long newest = in.signed();
    long verified = in.signed();
    long pre = in.varint();
    long post = in.varint();
    long late = in.varint();
    long future = in.signed();
    long beforeJump = in.signed();
    double evidence = in.f64();
    float recentMass = in.f32();
    float[] recentCats = new float[k + 1];
    for (int i = 0; i <= k; i++) {
      recentCats[i] = in.f32();
    }
    float[] shares = null;
    if (in.varint() == 1) {
      shares = new float[k];
      for (int i = 0; i < k; i++) {
        shares[i] = in.f32();
      }
    }
    PromptSketches sketches = PromptSketches.read(in);
    LongHorizon days = format == FORMAT_2 ? LongHorizon.readFormat2(in) : LongHorizon.read(in);
    AccountSignals s = new AccountSignals(List.of(names), sketches, days);
    s.queries = queries;
    s.evidence = evidence;
    SignalWindows w = s.windows;
    w.firstEventMillis = first;
    w.newestEventMillis = newest;
    w.lateEvents = late;
    w.futureDatedEvents = future;
    w.endBeforeJump = beforeJump;
    VerificationRate v = s.verification;
    v.lastVerifiedAtMillis = verified;
    v.preVerification = pre;
    v.postVerification = post;
    CategoryBaseline b = s.baseline;
    b.recentMass = recentMass;
    System.arraycopy(recentCats, 0, b.recentCats, 0, k + 1);
    b.restoreStatedUse(shares);
    w.w10m.read(in);
    w.w1h.read(in);
    // Before format 4 the 24 h ring had no category-fit fields: they start at zero (no samples).
    w.w24h.read(in, format == FORMAT ? w.w24h.stride : SignalWindows.fitField(k));
    w.w24hOff.read(in);
    return s;
  }
}
