package io.distillguard.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The precomputed path: the streamed {@code embedding} array and the binary {@code embedding_b64}.
 */
class ContractCodecEmbeddingTest {

  private static final int DIM = ContractLimits.DEFAULT.embeddingDimension();
  private final ContractCodec codec = new ContractCodec(ContractLimits.DEFAULT);

  /**
   * The reading every release before the streamed array had: Jackson's tree with BigDecimal floats,
   * then {@link BigDecimal#floatValue()} (an integer token went through int, long or BigInteger,
   * all exact to float as well).
   */
  private static float previousReading(String decimal) {
    return new BigDecimal(decimal).floatValue();
  }

  @Test
  void everyEntryIsRoundedOnceFromItsDecimalTextAsBefore() {
    Random random = new Random(20261201L);
    int compared = 0;
    for (int line = 0; line < 400; line++) {
      List<String> texts = new ArrayList<>(DIM);
      for (int i = 0; i < DIM; i++) {
        texts.add(randomDecimal(random));
      }
      float[] parsed =
          ok(codec.parseEvent(event("\"embedding\":[" + String.join(",", texts) + "]")));
      for (int i = 0; i < DIM; i++) {
        float expected = previousReading(texts.get(i));
        if (expected == 0f && texts.get(i).startsWith("-")) {
          // The one intended difference: BigDecimal has no negative zero, a float does, and
          // writeEvent writes -0.0 as "-0.0"; it now reads back bit-exactly.
          expected = -0f;
        }
        assertThat(Float.floatToRawIntBits(parsed[i]))
            .as("entry %s", texts.get(i))
            .isEqualTo(Float.floatToRawIntBits(expected));
        compared++;
      }
    }
    assertThat(compared).isEqualTo(400 * DIM);
  }

  @Test
  void writtenVectorsReadBackBitExactlyAsJsonAndAsBase64() {
    Random random = new Random(7);
    for (int n = 0; n < 50; n++) {
      float[] v = new float[DIM];
      for (int i = 0; i < DIM; i++) {
        v[i] = (float) random.nextGaussian() / 20;
      }
      if (n == 0) {
        v[0] = -0f;
        v[1] = Float.MIN_VALUE;
        v[2] = -Float.MAX_VALUE;
      }
      String b64 = EmbeddingBase64.encode(v);
      assertThat(b64).hasSize(2048);
      float[] viaJson = ok(codec.parseEvent(codec.writeEvent(withEmbedding(v))));
      float[] viaBase64 = ok(codec.parseEvent(event("\"embedding_b64\":\"" + b64 + "\"")));
      float[] viaBoth =
          ok(
              codec.parseEvent(
                  event("\"embedding\":" + json(v) + ",\"embedding_b64\":\"" + b64 + "\"")));
      for (float[] read : List.of(viaJson, viaBase64, viaBoth)) {
        for (int i = 0; i < DIM; i++) {
          assertThat(Float.floatToRawIntBits(read[i])).isEqualTo(Float.floatToRawIntBits(v[i]));
        }
      }
    }
  }

  @Test
  void base64IsLittleEndianFloat32() {
    float[] v = new float[DIM];
    v[0] = 1f; // 0x3F800000: bytes 00 00 80 3F
    String b64 = EmbeddingBase64.encode(v);
    assertThat(java.util.Base64.getDecoder().decode(b64)).startsWith(0, 0, (byte) 0x80, 0x3F);
  }

  @Test
  void badBase64GetsAPreciseReason() {
    float[] v = new float[DIM];
    v[3] = 0.5f;
    String good = EmbeddingBase64.encode(v);
    float[] shorter = new float[DIM - 1];
    float[] nan = v.clone();
    nan[7] = Float.NaN;
    float[] inf = v.clone();
    inf[0] = Float.NEGATIVE_INFINITY;
    float[] other = v.clone();
    other[3] = 0.25f;
    assertRejected(
        "\"embedding_b64\":\"" + good.substring(0, 2047) + "-\"",
        "embedding_b64 is not valid base64: Illegal base64 character 2d");
    assertRejected(
        "\"embedding_b64\":\"" + EmbeddingBase64.encode(shorter) + "\"",
        "embedding_b64 holds 1532 bytes, expected 1536 (384 little-endian float32)");
    assertRejected(
        "\"embedding_b64\":\"" + EmbeddingBase64.encode(nan) + "\"",
        "embedding_b64 contains a non-finite number");
    assertRejected(
        "\"embedding_b64\":\"" + EmbeddingBase64.encode(inf) + "\"",
        "embedding_b64 contains a non-finite number");
    assertRejected("\"embedding_b64\":[1,2]", "embedding_b64 must be a base64 string");
    assertRejected(
        "\"embedding\":" + json(other) + ",\"embedding_b64\":\"" + good + "\"",
        "embedding and embedding_b64 are both given and differ");
    // The JSON array's own rules come first, in contract order.
    assertRejected(
        "\"embedding\":[1,2],\"embedding_b64\":\"" + good + "\"",
        "embedding has 2 dimensions, expected 384");
    assertRejected(
        "\"embedding_b64\":null",
        "missing field: prompt (required unless embedding or embedding_b64 is given)");
  }

  @Test
  void theStreamedArrayKeepsEveryReasonOfTheTreeReading() {
    assertRejected("\"embedding\":" + vector(DIM, "\"1\""), EmbeddingArray.NOT_NUMBERS);
    assertRejected("\"embedding\":" + vector(DIM, "[1]"), EmbeddingArray.NOT_NUMBERS);
    assertRejected("\"embedding\":" + vector(DIM, "{\"a\":1}"), EmbeddingArray.NOT_NUMBERS);
    assertRejected("\"embedding\":" + vector(DIM, "null"), EmbeddingArray.NOT_NUMBERS);
    assertRejected("\"embedding\":" + vector(DIM, "3.5e38"), EmbeddingArray.NON_FINITE);
    assertRejected(
        "\"embedding\":" + vector(DIM + 1, "[1,\"x\"]"),
        "embedding has 385 dimensions, expected 384");
    assertRejected("\"embedding\":\"1,2\"", EmbeddingArray.NOT_NUMBERS);
    // A field checked before the embedding keeps its reason.
    String line =
        "{\"event_id\":\"\",\"account_id\":\"a\",\"timestamp\":\"2026-10-05T00:00:19Z\","
            + "\"embedding\":"
            + vector(DIM, "0.5")
            + "}";
    assertThat(codec.parseEvent(line))
        .isEqualTo(
            new Parsed.Rejected<QueryEvent>("field event_id must be a non-empty string", line));
    // A syntax error after the array is still a syntax error, worded as before.
    String broken = event("\"embedding\":" + vector(DIM, "0.5") + ",\"model\":tru");
    assertThat(((Parsed.Rejected<QueryEvent>) codec.parseEvent(broken)).reason())
        .startsWith("not JSON: ");
    String duplicate = event("\"embedding\":" + vector(DIM, "0.5") + ",\"embedding\":null");
    assertThat(((Parsed.Rejected<QueryEvent>) codec.parseEvent(duplicate)).reason())
        .startsWith("not JSON: Duplicate field 'embedding'");
    String trailing = event("\"embedding\":" + vector(DIM, "0.5")) + " {}";
    assertThat(((Parsed.Rejected<QueryEvent>) codec.parseEvent(trailing)).reason())
        .startsWith("not JSON: ");
  }

  /** Decimals of every shape: shortest floats, 17-digit doubles, long digit strings, near-ties. */
  private static String randomDecimal(Random random) {
    switch (random.nextInt(7)) {
      case 0:
        return Float.toString((float) random.nextGaussian() / 10);
      case 1:
        return Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(20) - 12));
      case 2:
        {
          StringBuilder digits = new StringBuilder(random.nextBoolean() ? "-" : "");
          digits.append(random.nextInt(9) + 1).append('.');
          int n = 1 + random.nextInt(30);
          for (int i = 0; i < n; i++) {
            digits.append(random.nextInt(10));
          }
          return digits.append('e').append(random.nextInt(88) - 50).toString();
        }
      case 3:
        {
          // Exactly halfway between two adjacent floats, or a hair off it either way.
          float f = Float.intBitsToFloat(random.nextInt(0x7F000000));
          BigDecimal lo = new BigDecimal(f);
          BigDecimal mid = lo.add(new BigDecimal(Math.nextUp(f))).divide(BigDecimal.valueOf(2));
          BigDecimal hair = mid.ulp().max(BigDecimal.ONE.movePointLeft(60));
          int way = random.nextInt(3) - 1;
          return mid.add(hair.multiply(BigDecimal.valueOf(way)), MathContext.UNLIMITED).toString();
        }
      case 4:
        return Long.toString(random.nextLong() >> random.nextInt(64));
      case 5:
        return random.nextBoolean() ? "-0.0" : "0e7";
      default:
        return Float.toString(Float.intBitsToFloat(random.nextInt(0x7F000000)));
    }
  }

  private void assertRejected(String body, String reason) {
    String line = event(body);
    assertThat(codec.parseEvent(line)).isEqualTo(new Parsed.Rejected<QueryEvent>(reason, line));
  }

  private static float[] ok(Parsed<QueryEvent> parsed) {
    assertThat(parsed).isInstanceOf(Parsed.Ok.class);
    return ((Parsed.Ok<QueryEvent>) parsed).value().embedding();
  }

  private static QueryEvent withEmbedding(float[] v) {
    return new QueryEvent(
        "e-1",
        "acct-1",
        java.time.Instant.parse("2026-10-05T00:00:19Z"),
        null,
        v,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  private static String json(float[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ",").append(v[i]);
    }
    return sb.append(']').toString();
  }

  private static String event(String body) {
    return ContractSchemaTest.event(body);
  }

  private static String vector(int n, String value) {
    return ContractSchemaTest.vector(n, value);
  }

  @Test
  void aProfileCarriesItsStatedUseEmbeddingBitExactlyAndItsProblemsAsReasons() {
    Random random = new Random(11);
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) random.nextGaussian();
    }
    AccountProfile written =
        new AccountProfile("acct-1", "math tutor", null, null, null, null)
            .withStatedUseEmbedding(v);
    String line = codec.writeProfile(written);
    assertThat(line).contains("\"stated_use_embedding_b64\":\"" + EmbeddingBase64.encode(v));
    Parsed<AccountProfile> read = codec.parseProfile(line);
    assertThat(read).isInstanceOf(Parsed.Ok.class);
    float[] back = ((Parsed.Ok<AccountProfile>) read).value().statedUseEmbedding();
    for (int i = 0; i < DIM; i++) {
      assertThat(Float.floatToRawIntBits(back[i])).isEqualTo(Float.floatToRawIntBits(v[i]));
    }
    // without the field: no embedding, and nothing written
    AccountProfile plain = new AccountProfile("acct-2", "tutor", null, null, null, null);
    assertThat(codec.writeProfile(plain)).doesNotContain("stated_use_embedding_b64");
    assertThat(
            ((Parsed.Ok<AccountProfile>) codec.parseProfile(codec.writeProfile(plain)))
                .value()
                .statedUseEmbedding())
        .isNull();

    float[] nan = v.clone();
    nan[3] = Float.NaN;
    String bad =
        "{\"account_id\":\"acct-3\",\"stated_use\":\"x\",\"stated_use_embedding_b64\":\""
            + EmbeddingBase64.encode(nan)
            + "\"}";
    assertThat(codec.parseProfile(bad))
        .isEqualTo(
            new Parsed.Rejected<AccountProfile>(
                "stated_use_embedding_b64 contains a non-finite number", bad));
  }
}
