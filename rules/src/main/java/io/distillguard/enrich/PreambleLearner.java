package io.distillguard.enrich;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Learns one account's constant scaffold — the system preamble an app resends with every call —
 * from its recent prompts, and splits each prompt into that scaffold and the payload after it.
 *
 * <p><b>What counts as a scaffold.</b> A prefix of the prompt that ends with a line break, is at
 * least {@value #MIN_CHARS} and at most {@value #MAX_CHARS} characters long, leaves a non-blank
 * payload, and begins at least {@value #MIN_SHARED} of the account's last {@value #WINDOW} prompts
 * (this one included). The longest such prefix wins. A system preamble is a block of its own (chat
 * templates put it before a line break), so a one-line request template such as "Translate to
 * French: {text}" is never taken for a scaffold: its text stays in the payload and keeps its
 * template fingerprint.
 *
 * <p><b>Stable versions.</b> Once learned, a scaffold is kept for every prompt that starts with it;
 * only a prompt that does not start with it lets a new one be learned (a new version, marked {@link
 * PromptSplit#newVersion}). So an app's preamble is embedded and stored once per version, not once
 * per call.
 *
 * <p><b>Bounded and deterministic.</b> The state is the current scaffold text and, for each of the
 * last {@value #WINDOW} prompts, the 64-bit hashes of at most {@value #MAX_BOUNDARIES} of its
 * line-ended prefixes (~2 KB whatever the traffic): never the prompts themselves. The split of a
 * prompt depends only on the account's sequence of prompts, and a scaffold is only ever applied to
 * a prompt that starts with its exact text. Not thread-safe: one instance per account (Flink keyed
 * state, kept as an object on the heap and written through {@link #toBytes} and {@link #fromBytes}
 * in checkpoints).
 */
public final class PreambleLearner {

  /** Recent prompts remembered. */
  public static final int WINDOW = 8;

  /** Prompts among the recent ones, the current one included, that must share a scaffold. */
  public static final int MIN_SHARED = 3;

  /** The shortest scaffold. */
  public static final int MIN_CHARS = 16;

  /** The longest scaffold (characters); line breaks further in are not considered. */
  public static final int MAX_CHARS = 8192;

  /** Line-ended prefixes remembered per prompt. */
  public static final int MAX_BOUNDARIES = 32;

  private static final int FORMAT = 1;
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private final long[][] recent = new long[WINDOW][];
  private int next;
  private String preamble;
  private String preambleId;

  /**
   * Splits a prompt and learns from it.
   *
   * @param prompt the prompt text; {@code null} (an event that carries only an embedding) is
   *     returned whole and teaches nothing
   */
  public PromptSplit split(String prompt) {
    if (prompt == null) {
      return PromptSplit.whole(null);
    }
    Boundaries mine = boundaries(prompt);
    PromptSplit out;
    if (preamble != null
        && prompt.startsWith(preamble)
        && !isBlankFrom(prompt, preamble.length())) {
      out = new PromptSplit(preamble, preambleId, prompt.substring(preamble.length()), false);
    } else {
      int learned = longestShared(mine);
      if (learned > 0) {
        preamble = prompt.substring(0, learned);
        preambleId = preambleId(preamble);
        out = new PromptSplit(preamble, preambleId, prompt.substring(learned), true);
      } else {
        out = PromptSplit.whole(prompt);
      }
    }
    recent[next] = mine.hashes;
    next = (next + 1) % WINDOW;
    return out;
  }

  /**
   * A deep copy: splits the same prompts the same way as this learner, independently of it (for a
   * store that keeps objects, such as Flink's heap state backend during a snapshot).
   */
  public PreambleLearner copy() {
    PreambleLearner c = new PreambleLearner();
    for (int i = 0; i < WINDOW; i++) {
      // The hash arrays are never written after a split stored them: sharing them is safe.
      c.recent[i] = recent[i];
    }
    c.next = next;
    c.preamble = preamble;
    c.preambleId = preambleId;
    return c;
  }

  /** The scaffold applied now, or {@code null}. */
  public String preamble() {
    return preamble;
  }

  /**
   * The content address of a scaffold: the first 64 bits of the SHA-256 of its UTF-8 bytes, as 16
   * lower-case hex digits. The same scaffold text has the same id in every account and JVM.
   */
  public static String preambleId(String preamble) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(preamble.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** The state, for a store that keeps bytes (Flink keyed state); at most a few KB. */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeByte(next);
      out.writeBoolean(preamble != null);
      if (preamble != null) {
        byte[] text = preamble.getBytes(StandardCharsets.UTF_8);
        out.writeInt(text.length);
        out.write(text);
      }
      for (long[] hashes : recent) {
        out.writeByte(hashes == null ? -1 : hashes.length);
        if (hashes != null) {
          for (long h : hashes) {
            out.writeLong(h);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * The learner {@link #toBytes} wrote; a fresh one for {@code null}.
   *
   * @throws IllegalArgumentException if the bytes are not such a state
   */
  public static PreambleLearner fromBytes(byte[] state) {
    PreambleLearner learner = new PreambleLearner();
    if (state == null) {
      return learner;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
      int format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("unknown preamble state format " + format);
      }
      learner.next = in.readByte();
      if (in.readBoolean()) {
        byte[] text = new byte[in.readInt()];
        in.readFully(text);
        learner.preamble = new String(text, StandardCharsets.UTF_8);
        learner.preambleId = preambleId(learner.preamble);
      }
      for (int i = 0; i < WINDOW; i++) {
        int n = in.readByte();
        if (n >= 0) {
          long[] hashes = new long[n];
          for (int j = 0; j < n; j++) {
            hashes[j] = in.readLong();
          }
          learner.recent[i] = hashes;
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a preamble state: " + e, e);
    }
    if (learner.next < 0 || learner.next >= WINDOW) {
      throw new IllegalArgumentException("not a preamble state: position " + learner.next);
    }
    return learner;
  }

  /** The longest of this prompt's candidate prefixes that enough recent prompts share; 0: none. */
  private int longestShared(Boundaries mine) {
    for (int b = mine.hashes.length - 1; b >= 0; b--) {
      long h = mine.hashes[b];
      int sharing = 1; // this prompt
      for (long[] other : recent) {
        if (other != null && contains(other, h)) {
          sharing++;
        }
      }
      if (sharing >= MIN_SHARED) {
        return mine.ends[b];
      }
    }
    return 0;
  }

  private static boolean contains(long[] hashes, long h) {
    for (long x : hashes) {
      if (x == h) {
        return true;
      }
    }
    return false;
  }

  /**
   * The line-ended prefixes a scaffold could be: their end positions and hashes, shortest first.
   */
  private record Boundaries(int[] ends, long[] hashes) {}

  private static Boundaries boundaries(String prompt) {
    int[] ends = new int[MAX_BOUNDARIES];
    long[] hashes = new long[MAX_BOUNDARIES];
    int n = 0;
    long h = FNV_OFFSET;
    int limit = Math.min(prompt.length(), MAX_CHARS);
    for (int i = 0; i < limit && n < MAX_BOUNDARIES; i++) {
      char c = prompt.charAt(i);
      h ^= c;
      h *= FNV_PRIME;
      int end = i + 1;
      if (c == '\n'
          && end >= MIN_CHARS
          && (end == prompt.length() || prompt.charAt(end) != '\n')
          && !isBlankFrom(prompt, end)) {
        // Mixing in the length keeps prefixes of different lengths apart even on a collision.
        ends[n] = end;
        hashes[n] = h ^ ((long) end * 0x9E3779B97F4A7C15L);
        n++;
      }
    }
    return new Boundaries(java.util.Arrays.copyOf(ends, n), java.util.Arrays.copyOf(hashes, n));
  }

  private static boolean isBlankFrom(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (!Character.isWhitespace(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
