package io.distillguard.contract;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * The binary form of a precomputed embedding, the v1 field {@code embedding_b64}: the vector as
 * little-endian IEEE 754 float32 values, base64-encoded with the standard alphabet (RFC 4648 §4;
 * padding optional, no line breaks). A 384-d vector is 1,536 bytes, 2,048 characters: a third of
 * the same vector as JSON numbers, and decoding it costs no number parsing at all.
 */
public final class EmbeddingBase64 {

  private EmbeddingBase64() {}

  /** The field's value for this vector. */
  public static String encode(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES);
    bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(vector);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  /**
   * Decodes the field for a codec that expects {@code dimension} entries.
   *
   * @throws IllegalArgumentException with the dead-letter reason when the text is not valid base64,
   *     does not hold exactly {@code dimension} float32 values, or holds a non-finite one
   */
  static float[] decode(String text, int dimension) {
    return decode("embedding_b64", text, dimension);
  }

  /**
   * Decodes a field of this encoding named {@code field} (e.g. {@code stated_use_embedding_b64}),
   * expecting {@code dimension} entries.
   *
   * @throws IllegalArgumentException with the dead-letter reason, naming the field, when the text
   *     is not valid base64, does not hold exactly {@code dimension} float32 values, or holds a
   *     non-finite one
   */
  public static float[] decode(String field, String text, int dimension) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " is not valid base64: " + e.getMessage());
    }
    if (bytes.length != dimension * Float.BYTES) {
      throw new IllegalArgumentException(
          field
              + " holds "
              + bytes.length
              + " bytes, expected "
              + dimension * Float.BYTES
              + " ("
              + dimension
              + " little-endian float32)");
    }
    float[] out = new float[dimension];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    for (float f : out) {
      if (!Float.isFinite(f)) {
        throw new IllegalArgumentException(field + " contains a non-finite number");
      }
    }
    return out;
  }
}
