package io.distillguard.signals;

/** Deterministic 64-bit hashing for sketches (the same input hashes the same on every JVM). */
public final class Hashing {
  private Hashing() {}

  /** The SplitMix64 finaliser: a bijective, well-mixing function of a 64-bit value. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A 64-bit hash of a string (FNV-1a over its UTF-16 units, then mixed). */
  public static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix64(h ^ s.length());
  }
}
