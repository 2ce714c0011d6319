package io.distillguard.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContractCodecTest {

  private final ContractCodec codec = new ContractCodec(ContractLimits.DEFAULT);

  @Test
  void parsesAFullEvent() {
    String line =
        "{\"event_id\":\"e-2\",\"account_id\":\"acct-1\",\"timestamp\":\"2026-10-05T02:00:19+02:00\","
            + "\"prompt\":\"Translate to French: the cat\",\"api_key_id\":\"k-9\",\"model\":\"m\","
            + "\"prompt_tokens\":7,\"completion_tokens\":12,\"response_entropy\":1.25,"
            + "\"client\":{\"ip\":\"203.0.113.7\",\"user_agent\":\"curl/8.5\"},\"unknown\":[1]}";
    QueryEvent e = ok(codec.parseEvent(line));
    assertThat(e.eventId()).isEqualTo("e-2");
    assertThat(e.accountId()).isEqualTo("acct-1");
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-10-05T00:00:19Z"));
    assertThat(e.prompt()).isEqualTo("Translate to French: the cat");
    assertThat(e.embedding()).isNull();
    assertThat(e.apiKeyId()).isEqualTo("k-9");
    assertThat(e.model()).isEqualTo("m");
    assertThat(e.promptTokens()).isEqualTo(7);
    assertThat(e.completionTokens()).isEqualTo(12);
    assertThat(e.responseEntropy()).isEqualTo(1.25);
    assertThat(e.client()).isEqualTo(new QueryEvent.ClientInfo("203.0.113.7", "curl/8.5"));
  }

  @Test
  void timestampsAcceptOffsetsAndFractionsAndNormaliseToUtc() {
    assertThat(ContractCodec.parseTimestamp("2026-10-05T00:00:19.291Z"))
        .isEqualTo(Instant.parse("2026-10-05T00:00:19.291Z"));
    assertThat(ContractCodec.parseTimestamp("2026-10-05T02:00:19+02:00"))
        .isEqualTo(Instant.parse("2026-10-05T00:00:19Z"));
    assertThat(ContractCodec.parseTimestamp("2026-10-04T19:30:19.5-04:30"))
        .isEqualTo(Instant.parse("2026-10-05T00:00:19.5Z"));
    assertThat(ContractCodec.parseTimestamp("2026-10-05t00:00:19z")).isNotNull();
    for (String bad :
        List.of(
            "2026-13-01",
            "2026-10-05",
            "2026-10-05T00:00Z",
            "2026-10-05T00:00:19",
            "2026-10-05T00:00:19+0200",
            "2026-10-05T00:00:19.1234567891Z",
            "2026-02-29T00:00:00Z",
            "1791158419",
            "")) {
      assertThat(ContractCodec.parseTimestamp(bad)).as(bad).isNull();
    }
    assertThat(ContractCodec.formatTimestamp(Instant.parse("2026-10-05T00:00:19.291Z")))
        .isEqualTo("2026-10-05T00:00:19.291Z");
    assertThat(ContractCodec.formatTimestamp(Instant.parse("2026-10-05T00:00:19Z")))
        .isEqualTo("2026-10-05T00:00:19Z");
  }

  @Test
  void eventRoundTripsWithEveryFieldAndBitExactEmbedding() {
    Random random = new Random(7);
    float[] embedding = new float[384];
    for (int i = 0; i < embedding.length; i++) {
      embedding[i] = (float) random.nextGaussian() / 19.6f;
    }
    embedding[0] = Float.MIN_VALUE;
    embedding[1] = -Float.MAX_VALUE;
    embedding[2] = 1.0E-38f;
    QueryEvent full =
        new QueryEvent(
            "e-1",
            "acct-\u00e9",
            Instant.parse("2026-10-05T00:00:19.291123Z"),
            "Quote \" backslash \\ newline \n tab \t emoji \uD83D\uDE00",
            embedding,
            "k",
            "m",
            0,
            2_147_483_647,
            0.125,
            new QueryEvent.ClientInfo(null, "ua"));
    String line = codec.writeEvent(full);
    assertThat(line).doesNotContain("\n").contains("\"timestamp\":\"2026-10-05T00:00:19.291123Z\"");
    assertThat(line).contains("\"api_key_id\":\"k\"").contains("\"user_agent\":\"ua\"");
    assertThat(line).doesNotContain("\"ip\"");
    QueryEvent back = ok(codec.parseEvent(line));
    assertSameEvent(back, full);
    assertThat(codec.writeEvent(back)).isEqualTo(line);
  }

  @Test
  void writeOmitsAbsentOptionalsAndNormalisesTheOffset() {
    QueryEvent event =
        ok(
            codec.parseEvent(
                "{\"event_id\":\"e\",\"account_id\":\"a\",\"timestamp\":\"2026-10-05T02:00:19+02:00\","
                    + "\"prompt\":\"p\",\"model\":null}"));
    assertThat(codec.writeEvent(event))
        .isEqualTo(
            "{\"event_id\":\"e\",\"account_id\":\"a\",\"timestamp\":\"2026-10-05T00:00:19Z\","
                + "\"prompt\":\"p\"}");
  }

  @Test
  void profileRoundTrips() {
    AccountProfile full =
        new AccountProfile(
            "acct-1",
            "Customer support bot for our airline",
            "org-1",
            "pro",
            Instant.parse("2026-09-01T10:00:00Z"),
            Instant.parse("2026-09-02T11:30:00.5Z"));
    String line = codec.writeProfile(full);
    assertThat(line)
        .isEqualTo(
            "{\"account_id\":\"acct-1\",\"stated_use\":\"Customer support bot for our airline\","
                + "\"org_id\":\"org-1\",\"tier\":\"pro\",\"created_at\":\"2026-09-01T10:00:00Z\","
                + "\"verified_at\":\"2026-09-02T11:30:00.500Z\"}");
    assertThat(ok(codec.parseProfile(line))).isEqualTo(full);
    AccountProfile minimal = new AccountProfile("a", "general assistant", null, null, null, null);
    assertThat(codec.writeProfile(minimal))
        .isEqualTo("{\"account_id\":\"a\",\"stated_use\":\"general assistant\"}");
    assertThat(ok(codec.parseProfile(codec.writeProfile(minimal)))).isEqualTo(minimal);
  }

  @Test
  void theOptionalSignUpFieldsRoundTripAndAreLimited() {
    AccountProfile p =
        new AccountProfile(
            "acct-2",
            "Exam preparation app",
            null,
            null,
            Instant.parse("2026-09-01T10:00:00Z"),
            null,
            "198.51.100.4",
            "card_fp_9f8e",
            "example.org");
    String line = codec.writeProfile(p);
    assertThat(line)
        .contains(
            "\"signup_ip\":\"198.51.100.4\"",
            "\"payment_fingerprint\":\"card_fp_9f8e\"",
            "\"email_domain\":\"example.org\"");
    assertThat(ok(codec.parseProfile(line))).isEqualTo(p);
    Parsed<AccountProfile> tooLong =
        codec.parseProfile(
            "{\"account_id\":\"a\",\"stated_use\":\"x\",\"email_domain\":\""
                + "d".repeat(129)
                + "\"}");
    assertThat(tooLong).isInstanceOf(Parsed.Rejected.class);
    assertThat(((Parsed.Rejected<AccountProfile>) tooLong).reason()).contains("email_domain");
  }

  @Test
  void everySampleGetsItsExactReason() {
    for (var s : ContractSchemaTest.samples("contract/events.samples", true)) {
      Parsed<QueryEvent> p = codec.parseEvent(s.line());
      if (s.ok()) {
        assertThat(p).as(s.line()).isInstanceOf(Parsed.Ok.class);
        // accepted lines survive a write/parse round trip unchanged
        QueryEvent e = ok(p);
        assertSameEvent(ok(codec.parseEvent(codec.writeEvent(e))), e);
      } else {
        assertThat(p).as(s.line()).isEqualTo(new Parsed.Rejected<QueryEvent>(s.reason(), s.line()));
      }
    }
  }

  @Test
  void syntaxErrorsAndEmptyInputAreRejectedAsNotJson() {
    for (String bad :
        List.of(
            "{",
            "{\"event_id\":}",
            "{\"event_id\":\"e\"} trailing",
            "{\"a\":1}{\"b\":2}",
            "{'event_id':'e'}",
            "NaN",
            "{\"x\":01}",
            "\u0000")) {
      Parsed<QueryEvent> p = codec.parseEvent(bad);
      assertThat(p).as(bad).isInstanceOf(Parsed.Rejected.class);
      assertThat(((Parsed.Rejected<QueryEvent>) p).reason()).as(bad).startsWith("not JSON: ");
      assertThat(((Parsed.Rejected<QueryEvent>) p).line()).isEqualTo(bad);
    }
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThat(reason(codec.parseEvent(deep))).startsWith("not JSON: ");
    String deepObject = "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000);
    assertThat(reason(codec.parseEvent(deepObject))).startsWith("not JSON: ");
    assertThat(codec.parseEvent("")).isEqualTo(new Parsed.Rejected<>("not JSON: empty line", ""));
    assertThat(codec.parseEvent("   "))
        .isEqualTo(new Parsed.Rejected<>("not JSON: empty line", "   "));
    assertThat(codec.parseEvent(null)).isEqualTo(new Parsed.Rejected<>("not JSON: no input", null));
    assertThat(codec.parseProfile(null)).isInstanceOf(Parsed.Rejected.class);
  }

  @Test
  void duplicateKeysAreAmbiguousAndRejected() {
    String line =
        "{\"event_id\":\"e\",\"event_id\":\"f\",\"account_id\":\"a\","
            + "\"timestamp\":\"2026-10-05T00:00:19Z\",\"prompt\":\"p\"}";
    Parsed.Rejected<QueryEvent> r = (Parsed.Rejected<QueryEvent>) codec.parseEvent(line);
    assertThat(r.reason()).startsWith("not JSON: Duplicate field 'event_id'");
  }

  @Test
  void idsWithInvalidUnicodeAreRefusedAndReservedCharactersAreKept() {
    String tail = "\"timestamp\":\"2026-10-05T00:00:19Z\",\"prompt\":\"p\"}";
    assertThat(reason(codec.parseEvent("{\"event_id\":\"e\",\"account_id\":\"ab\\uD800\"," + tail)))
        .isEqualTo("field account_id contains an unpaired surrogate (position 3)");
    assertThat(reason(codec.parseEvent("{\"event_id\":\"\\uDC00e\",\"account_id\":\"a\"," + tail)))
        .isEqualTo("field event_id contains an unpaired surrogate (position 1)");
    assertThat(
            reason(
                codec.parseEvent(
                    "{\"event_id\":\"e\",\"account_id\":\"a\","
                        + "\"timestamp\":\"2026-10-05T00:00:19Z\",\"prompt\":\"p\\uDFFF\"}")))
        .isEqualTo("field prompt contains an unpaired surrogate (position 2)");
    // A surrogate pair is one character and allowed; so are characters frameworks reserve.
    String reserved = "a|b/c\\\\d\\\"e' %f\\uD83D\\uDE00*?#&=:";
    QueryEvent e =
        ok(
            codec.parseEvent(
                "{\"event_id\":\"" + reserved + "\",\"account_id\":\"" + reserved + "\"," + tail));
    assertThat(e.accountId()).isEqualTo("a|b/c\\d\"e' %f\uD83D\uDE00*?#&=:");
    assertThat(e.eventId()).isEqualTo(e.accountId());
  }

  @Test
  void limitsComeFromConfiguration() {
    ContractCodec small = new ContractCodec(new ContractLimits(3, 5, 120));
    String base =
        "{\"event_id\":\"e\",\"account_id\":\"a\",\"timestamp\":\"2026-10-05T00:00:19Z\",";
    assertThat(ok(small.parseEvent(base + "\"embedding\":[1,2.5,-3e-2]}")).embedding())
        .containsExactly(1f, 2.5f, -0.03f);
    assertThat(small.parseEvent(base + "\"embedding\":[1,2]}"))
        .isEqualTo(
            new Parsed.Rejected<>(
                "embedding has 2 dimensions, expected 3", base + "\"embedding\":[1,2]}"));
    assertThat(reason(small.parseEvent(base + "\"prompt\":\"123456\"}")))
        .isEqualTo("prompt is 6 characters, limit 5");
    assertThat(reason(small.parseEvent(base + "\"prompt\":\"12345\"}"))).isNull();
    String longLine = base + "\"prompt\":\"1\",\"pad\":\"" + "x".repeat(100) + "\"}";
    assertThat(reason(small.parseEvent(longLine)))
        .isEqualTo("line is " + longLine.length() + " characters, limit 120");
    assertThat(reason(small.parseEvent(base + "\"embedding\":[1,2,1e39]}")))
        .isEqualTo("embedding contains a non-finite number");
    assertThat(reason(small.parseEvent(base + "\"embedding\":[1,2,1e400]}")))
        .isEqualTo("embedding contains a non-finite number");
  }

  @Test
  void codecIsSerializableAndKeepsItsLimits() throws Exception {
    ContractCodec original = new ContractCodec(new ContractLimits(8, 100, 1000));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(original);
    }
    ContractCodec copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (ContractCodec) in.readObject();
    }
    assertThat(copy.limits()).isEqualTo(original.limits());
    assertThat(reason(copy.parseEvent("{}"))).isEqualTo("missing field: event_id");
  }

  /**
   * Property: whatever the input, parsing returns a result (never throws), a rejection carries a
   * non-blank reason and the unchanged line, and an acceptance round-trips through writeEvent.
   */
  @Test
  void neverThrowsOnMutatedLines() throws IOException {
    List<String> seeds = new ArrayList<>();
    for (var s : ContractSchemaTest.samples("contract/events.samples", true)) {
      seeds.add(s.line());
    }
    for (var s : ContractSchemaTest.samples("contract/profiles.samples", true)) {
      seeds.add(s.line());
    }
    seeds.add(ContractSchemaTest.event("\"embedding\":" + ContractSchemaTest.vector(384, "0.01")));
    String alphabet = "{}[]\":,.-+eE0123456789 \\ntrufalsn\u00e9\uD83D\uDE00\u0000\t";
    Random random = new Random(20261005L);
    int accepted = 0;
    int rejected = 0;
    for (int i = 0; i < 8_000; i++) {
      String line = mutate(seeds.get(random.nextInt(seeds.size())), random, alphabet);
      Parsed<QueryEvent> e = codec.parseEvent(line);
      Parsed<AccountProfile> p = codec.parseProfile(line);
      assertThat(e).isNotNull();
      assertThat(p).isNotNull();
      if (e instanceof Parsed.Rejected<QueryEvent> r) {
        assertThat(r.reason()).isNotBlank();
        assertThat(r.line()).isSameAs(line);
        rejected++;
      } else {
        QueryEvent ev = ok(e);
        assertSameEvent(ok(codec.parseEvent(codec.writeEvent(ev))), ev);
        accepted++;
      }
      if (p instanceof Parsed.Ok<AccountProfile> ok) {
        assertThat(ok(codec.parseProfile(codec.writeProfile(ok.value())))).isEqualTo(ok.value());
      }
    }
    // the mutations are mild enough that both outcomes are exercised
    assertThat(accepted).isGreaterThan(200);
    assertThat(rejected).isGreaterThan(2_000);
  }

  private static String mutate(String seed, Random random, String alphabet) {
    StringBuilder sb = new StringBuilder(seed);
    int edits = 1 + random.nextInt(3);
    for (int k = 0; k < edits && sb.length() > 0; k++) {
      int at = random.nextInt(sb.length());
      switch (random.nextInt(6)) {
        case 0 -> sb.deleteCharAt(at);
        case 1 -> sb.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
        case 2 -> sb.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
        case 3 -> sb.setLength(at);
        case 4 -> sb.insert(at, sb.substring(at, Math.min(sb.length(), at + random.nextInt(20))));
        default -> {
          // leave this edit out: keeps a share of lines valid
        }
      }
    }
    return sb.toString();
  }

  static void assertSameEvent(QueryEvent actual, QueryEvent expected) {
    assertThat(actual.eventId()).isEqualTo(expected.eventId());
    assertThat(actual.accountId()).isEqualTo(expected.accountId());
    assertThat(actual.timestamp()).isEqualTo(expected.timestamp());
    assertThat(actual.prompt()).isEqualTo(expected.prompt());
    assertThat(actual.embedding()).isEqualTo(expected.embedding());
    assertThat(actual.apiKeyId()).isEqualTo(expected.apiKeyId());
    assertThat(actual.model()).isEqualTo(expected.model());
    assertThat(actual.promptTokens()).isEqualTo(expected.promptTokens());
    assertThat(actual.completionTokens()).isEqualTo(expected.completionTokens());
    assertThat(actual.responseEntropy()).isEqualTo(expected.responseEntropy());
    assertThat(actual.client()).isEqualTo(expected.client());
  }

  private static <T> T ok(Parsed<T> parsed) {
    if (parsed instanceof Parsed.Rejected<T> r) {
      throw new AssertionError("rejected: " + r.reason() + " <- " + r.line());
    }
    return ((Parsed.Ok<T>) parsed).value();
  }

  private static String reason(Parsed<?> parsed) {
    return parsed instanceof Parsed.Rejected<?> r ? r.reason() : null;
  }
}
