package io.distillguard.embedding;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A bounded, content-addressed map from the exact text of a prompt to its embedding, so that each
 * distinct text is run through the model once while it stays in the cache.
 *
 * <p>The key is the SHA-256 of the text's UTF-16 code units (not of an encoding of it, so two
 * strings that differ only in an unpaired surrogate, which UTF-8 would replace by {@code ?}, never
 * share a key); all 256 bits are kept. Nothing else goes into the key: no normalisation, no
 * trimming, no case folding. The value is the future of the vector, so a text that is asked for
 * again while its first embedding is still running waits for that one instead of queueing a second
 * model call. A failed embedding is removed, so the next request tries again.
 *
 * <p>Bounded by entry count, least recently used first out. An entry costs about 1.7 KB of heap for
 * a 384-d vector (the float array, the 32-byte key, the map entry and the future).
 *
 * <p>The cache never changes a vector: a hit returns a copy of exactly the floats the model
 * returned for that text. With one text per model call (the default) that is the vector a fresh
 * call would return, bit for bit; with batching it pins the first batch's result for the text.
 *
 * <p>Thread-safe (one lock around the map; hashing happens outside it).
 */
public final class EmbeddingCache {

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(EmbeddingCache::newDigest);

  private final int maxEntries;
  private final Map<Key, CompletableFuture<float[]>> entries;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  /**
   * @param maxEntries the most texts kept; at least 1
   * @throws IllegalArgumentException if maxEntries is below 1
   */
  public EmbeddingCache(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1, was " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, CompletableFuture<float[]>> eldest) {
            return size() > EmbeddingCache.this.maxEntries;
          }
        };
  }

  /**
   * Whether {@link #lookup} found the text (done or in flight) rather than starting a model call.
   */
  public record Lookup(CompletableFuture<float[]> vector, boolean hit) {}

  /**
   * The vector for this text: the cached one (or the one being computed) when there is one, else
   * the one {@code embed} starts, which is then cached. Each caller gets its own copy of the
   * floats.
   *
   * @throws IllegalArgumentException if text is null
   */
  public Lookup lookup(String text, Function<String, CompletableFuture<float[]>> embed) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    Key key = Key.of(text);
    CompletableFuture<float[]> placeholder = new CompletableFuture<>();
    CompletableFuture<float[]> existing;
    synchronized (entries) {
      existing = entries.putIfAbsent(key, placeholder);
    }
    if (existing != null) {
      hits.increment();
      return new Lookup(existing.thenApply(float[]::clone), true);
    }
    misses.increment();
    CompletableFuture<float[]> started;
    try {
      started = embed.apply(text);
    } catch (RuntimeException | Error e) {
      forget(key, placeholder);
      placeholder.completeExceptionally(e);
      throw e;
    }
    started.whenComplete(
        (vector, error) -> {
          if (error != null) {
            forget(key, placeholder);
            placeholder.completeExceptionally(error);
          } else {
            placeholder.complete(vector);
          }
        });
    return new Lookup(placeholder.thenApply(float[]::clone), false);
  }

  private void forget(Key key, CompletableFuture<float[]> placeholder) {
    synchronized (entries) {
      entries.remove(key, placeholder);
    }
  }

  /** Texts held now (done or in flight). */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  /** The most texts held. */
  public int maxEntries() {
    return maxEntries;
  }

  /** Lookups that found their text. */
  public long hits() {
    return hits.sum();
  }

  /** Lookups that started a model call. */
  public long misses() {
    return misses.sum();
  }

  /** The 256-bit SHA-256 of a text's UTF-16 code units. */
  record Key(long a, long b, long c, long d) {
    static Key of(String text) {
      MessageDigest digest = SHA256.get();
      byte[] units = new byte[text.length() * 2];
      for (int i = 0; i < text.length(); i++) {
        char ch = text.charAt(i);
        units[2 * i] = (byte) (ch >>> 8);
        units[2 * i + 1] = (byte) ch;
      }
      byte[] h = digest.digest(units); // digest() also resets it for the next use
      return new Key(word(h, 0), word(h, 8), word(h, 16), word(h, 24));
    }

    private static long word(byte[] h, int from) {
      long w = 0;
      for (int i = from; i < from + 8; i++) {
        w = (w << 8) | (h[i] & 0xFF);
      }
      return w;
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
