package io.distillguard.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * An event's {@code embedding} JSON array, read straight from the parser into floats: each entry is
 * rounded to a float once, from its decimal text, with no BigDecimal or tree node in between. With
 * {@code StreamReadFeature.USE_FAST_DOUBLE_PARSER} on the parser (as {@link ContractCodec} sets it)
 * Jackson's float parser does the rounding, correctly like {@link Float#parseFloat} and faster; an
 * integer entry goes through int, long or BigInteger, exact or correctly rounded as well. The array
 * is always read to its end, so a syntax error after a bad entry is still reported as one; the
 * verdict on the entries (count, first offending entry) is kept for {@link ContractCodec} to report
 * in contract order.
 *
 * @param size the number of entries
 * @param values the entries when there are exactly {@code dimension} of them and all are finite
 *     numbers; otherwise {@code null}
 * @param problem the reason for the first offending entry, {@code null} when there is none
 */
record EmbeddingArray(int size, float[] values, String problem) {

  static final String NOT_NUMBERS = "embedding must be an array of numbers";
  static final String NON_FINITE = "embedding contains a non-finite number";

  /**
   * Reads the array whose {@link JsonToken#START_ARRAY} is the parser's current token, up to and
   * including its {@link JsonToken#END_ARRAY}.
   */
  static EmbeddingArray read(JsonParser p, int dimension) throws IOException {
    float[] out = new float[dimension];
    int size = 0;
    String problem = null;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
        if (problem == null) {
          float f = p.getFloatValue();
          if (!Float.isFinite(f)) {
            problem = NON_FINITE;
          } else if (size < dimension) {
            out[size] = f;
          }
        }
      } else {
        if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
          p.skipChildren();
        }
        if (problem == null) {
          problem = NOT_NUMBERS;
        }
      }
      size++;
    }
    return new EmbeddingArray(size, size == dimension && problem == null ? out : null, problem);
  }
}
