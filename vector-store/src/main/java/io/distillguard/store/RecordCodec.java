package io.distillguard.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The binary form of one log entry payload of the embedded store.
 *
 * <p>PUT: {@code type=1, eventId, accountId, timestampMillis, category, statedUseSimilarity,
 * prompt, dim, dim floats, metadata count, (key, value)*}. DELETE_ACCOUNT: {@code type=2,
 * accountId}. Strings are an int byte length followed by UTF-8. Big-endian throughout.
 */
final class RecordCodec {

  static final byte PUT = 1;
  static final byte DELETE_ACCOUNT = 2;

  private RecordCodec() {}

  /** The exact payload size of a PUT of this record. */
  static int putSize(QueryRecord r, byte[][] strings) {
    int size = 1 + 8 + 4 + 4 + 4 * r.embedding().length + 4;
    for (byte[] s : strings) {
      size += 4 + s.length;
    }
    return size;
  }

  /** The UTF-8 strings of a PUT in write order: ids, category, prompt, then metadata pairs. */
  static byte[][] putStrings(QueryRecord r) {
    byte[][] out = new byte[4 + 2 * r.metadata().size()][];
    out[0] = utf8(r.eventId());
    out[1] = utf8(r.accountId());
    out[2] = utf8(r.category());
    out[3] = utf8(r.prompt());
    int i = 4;
    for (Map.Entry<String, String> e : r.metadata().entrySet()) {
      out[i++] = utf8(e.getKey());
      out[i++] = utf8(e.getValue() == null ? "" : e.getValue());
    }
    return out;
  }

  static void writePut(ByteBuffer b, QueryRecord r, byte[][] strings) {
    b.put(PUT);
    putString(b, strings[0]);
    putString(b, strings[1]);
    b.putLong(r.timestampMillis());
    putString(b, strings[2]);
    b.putFloat(r.statedUseSimilarity());
    putString(b, strings[3]);
    float[] v = r.embedding();
    b.putInt(v.length);
    for (float f : v) {
      b.putFloat(f);
    }
    b.putInt(r.metadata().size());
    for (int i = 4; i < strings.length; i++) {
      putString(b, strings[i]);
    }
  }

  static byte[] deleteAccount(String accountId) {
    byte[] id = utf8(accountId);
    ByteBuffer b = ByteBuffer.allocate(1 + 4 + id.length);
    b.put(DELETE_ACCOUNT);
    putString(b, id);
    return b.array();
  }

  /** Decodes a full PUT payload (the buffer is positioned after the type byte). */
  static QueryRecord readPut(ByteBuffer b) {
    String eventId = getString(b);
    String accountId = getString(b);
    long ts = b.getLong();
    String category = getString(b);
    float sus = b.getFloat();
    String prompt = getString(b);
    float[] v = new float[b.getInt()];
    for (int i = 0; i < v.length; i++) {
      v[i] = b.getFloat();
    }
    int n = b.getInt();
    Map<String, String> meta = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      meta.put(getString(b), getString(b));
    }
    return new QueryRecord(eventId, accountId, ts, category, sus, prompt, v, meta);
  }

  /** The fields of a PUT the in-memory index needs; skips prompt and metadata. */
  record IndexFields(
      String eventId, String accountId, long timestampMillis, String category, float[] vector) {}

  static IndexFields readIndexFields(ByteBuffer b) {
    String eventId = getString(b);
    String accountId = getString(b);
    long ts = b.getLong();
    String category = getString(b);
    b.getFloat();
    int promptLen = b.getInt();
    b.position(b.position() + promptLen);
    float[] v = new float[b.getInt()];
    b.asFloatBuffer().get(v);
    return new IndexFields(eventId, accountId, ts, category, v);
  }

  /** Reads only the vector of a PUT (for exact re-ranking). */
  static float[] readVector(ByteBuffer b) {
    b.get();
    skipString(b);
    skipString(b);
    b.getLong();
    skipString(b);
    b.getFloat();
    skipString(b);
    float[] v = new float[b.getInt()];
    b.asFloatBuffer().get(v);
    return v;
  }

  static String getString(ByteBuffer b) {
    int len = b.getInt();
    if (len < 0 || len > b.remaining()) {
      throw new IllegalStateException("corrupt string length " + len);
    }
    String s = new String(b.array(), b.arrayOffset() + b.position(), len, StandardCharsets.UTF_8);
    b.position(b.position() + len);
    return s;
  }

  private static void skipString(ByteBuffer b) {
    int len = b.getInt();
    b.position(b.position() + len);
  }

  private static void putString(ByteBuffer b, byte[] s) {
    b.putInt(s.length);
    b.put(s);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
