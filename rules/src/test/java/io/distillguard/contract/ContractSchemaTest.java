package io.distillguard.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The published JSON Schema files and {@link ContractCodec} must tell users the same thing: every
 * sample line is accepted by both or rejected by both, and the codec gives the expected reason.
 */
class ContractSchemaTest {

  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final ContractCodec CODEC = new ContractCodec(ContractLimits.DEFAULT);

  record Sample(boolean ok, String reason, String line) {}

  @Test
  void eventSchemaAndCodecAgreeOnEverySample() {
    List<Sample> samples = new ArrayList<>(samples("contract/events.samples", true));
    samples.addAll(generatedEventSamples());
    assertAgreement("schema/query-event.v1.schema.json", samples, CODEC::parseEvent);
  }

  @Test
  void profileSchemaAndCodecAgreeOnEverySample() {
    List<Sample> samples = new ArrayList<>(samples("contract/profiles.samples", true));
    samples.addAll(generatedProfileSamples());
    assertAgreement("schema/account-profile.v1.schema.json", samples, CODEC::parseProfile);
  }

  private static List<Sample> generatedProfileSamples() {
    String b64 = EmbeddingBase64.encode(new float[384]);
    String profile = "{\"account_id\":\"acct-9\",\"stated_use\":\"math tutor\",";
    return List.of(
        new Sample(true, null, profile + "\"stated_use_embedding_b64\":\"" + b64 + "\"}"),
        new Sample(true, null, profile + "\"stated_use_embedding_b64\":null}"),
        new Sample(
            false,
            "stated_use_embedding_b64 is not valid base64: Illegal base64 character 5f",
            profile + "\"stated_use_embedding_b64\":\"_" + b64.substring(1) + "\"}"),
        new Sample(
            false,
            "stated_use_embedding_b64 holds 1533 bytes, expected 1536 (384 little-endian float32)",
            profile + "\"stated_use_embedding_b64\":\"" + b64.substring(4) + "\"}"),
        new Sample(
            false,
            "stated_use_embedding_b64 must be a base64 string",
            profile + "\"stated_use_embedding_b64\":[0.5]}"),
        new Sample(
            false,
            "missing field: stated_use",
            "{\"account_id\":\"acct-9\",\"stated_use_embedding_b64\":\"" + b64 + "\"}"));
  }

  @Test
  void webhookSchemaAcceptsTheContractExamplesAndRejectsBrokenBodies() {
    Schema schema = schema("schema/escalation-webhook.v1.schema.json");
    List<Sample> samples = samples("contract/webhooks.samples", false);
    assertThat(samples).hasSizeGreaterThanOrEqualTo(10);
    for (Sample s : samples) {
      List<Error> errors = validate(schema, s.line());
      if (s.ok()) {
        assertThat(errors).as("schema errors for %s", s.line()).isEmpty();
      } else {
        assertThat(errors).as("schema should reject %s", s.line()).isNotEmpty();
      }
    }
  }

  @Test
  void codecOnlyRulesAreDocumentedInTheSchemaDescription() throws IOException {
    // Finite 32-bit floats and the configurable limits cannot be expressed exactly in JSON Schema;
    // the schema says so, and the codec enforces them.
    String text = resource("schema/query-event.v1.schema.json");
    assertThat(text).contains("finite 32-bit float").contains("configured");
    String huge = event("\"embedding\":" + vector(384, "1e39"));
    assertThat(validate(schema("schema/query-event.v1.schema.json"), huge)).isEmpty();
    assertThat(CODEC.parseEvent(huge))
        .isEqualTo(new Parsed.Rejected<QueryEvent>("embedding contains a non-finite number", huge));
  }

  private static void assertAgreement(
      String schemaResource, List<Sample> samples, Function<String, Parsed<?>> codec) {
    Schema schema = schema(schemaResource);
    assertThat(samples).hasSizeGreaterThanOrEqualTo(10);
    int accepted = 0;
    int rejected = 0;
    for (Sample s : samples) {
      List<Error> errors = validate(schema, s.line());
      Parsed<?> parsed = codec.apply(s.line());
      String shown = s.line().length() > 200 ? s.line().substring(0, 200) + "..." : s.line();
      if (s.ok()) {
        assertThat(errors).as("schema errors for %s", shown).isEmpty();
        assertThat(parsed).as("codec result for %s", shown).isInstanceOf(Parsed.Ok.class);
        accepted++;
      } else {
        assertThat(errors).as("schema should reject %s", shown).isNotEmpty();
        assertThat(parsed).as("codec result for %s", shown).isInstanceOf(Parsed.Rejected.class);
        assertThat(((Parsed.Rejected<?>) parsed).reason())
            .as("reason for %s", shown)
            .isEqualTo(s.reason());
        assertThat(((Parsed.Rejected<?>) parsed).line()).isEqualTo(s.line());
        rejected++;
      }
    }
    assertThat(accepted).isPositive();
    assertThat(rejected).isPositive();
  }

  private static List<Sample> generatedEventSamples() {
    String tooLong = "x".repeat(ContractLimits.DEFAULT.maxPromptChars() + 1);
    // 32,000 characters, each a code point outside the BMP: 64,000 UTF-16 units, still accepted.
    String astral = "\uD83D\uDE00".repeat(ContractLimits.DEFAULT.maxPromptChars());
    String b64 = EmbeddingBase64.encode(new float[384]);
    return List.of(
        new Sample(true, null, event("\"embedding\":" + vector(384, "0.0125"))),
        new Sample(true, null, event("\"prompt\":\"both\",\"embedding\":" + vector(384, "-3"))),
        new Sample(
            false,
            "embedding has 383 dimensions, expected 384",
            event("\"embedding\":" + vector(383, "0.5"))),
        new Sample(
            false,
            "embedding must be an array of numbers",
            event("\"embedding\":" + vector(384, "\"0.5\""))),
        new Sample(true, null, event("\"embedding_b64\":\"" + b64 + "\"")),
        new Sample(
            true,
            null,
            event("\"embedding\":" + vector(384, "0") + ",\"embedding_b64\":\"" + b64 + "\"")),
        new Sample(
            false,
            "embedding_b64 is not valid base64: Illegal base64 character 5f",
            event("\"embedding_b64\":\"_" + b64.substring(1) + "\"")),
        new Sample(
            false,
            "embedding_b64 holds 1533 bytes, expected 1536 (384 little-endian float32)",
            event("\"embedding_b64\":\"" + b64.substring(4) + "\"")),
        new Sample(
            false,
            "embedding_b64 must be a base64 string",
            event("\"prompt\":\"p\",\"embedding_b64\":7")),
        new Sample(true, null, event("\"prompt\":\"" + astral + "\"")),
        new Sample(
            false,
            "prompt is 32001 characters, limit 32000",
            event("\"prompt\":\"" + tooLong + "\"")));
  }

  static String event(String body) {
    return "{\"event_id\":\"g-1\",\"account_id\":\"acct-g\",\"timestamp\":\"2026-10-05T00:00:19Z\","
        + body
        + "}";
  }

  static String vector(int n, String value) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append(value);
    }
    return sb.append(']').toString();
  }

  private static List<Error> validate(Schema schema, String line) {
    JsonNode node;
    try {
      node = PLAIN.readTree(line);
    } catch (IOException e) {
      return List.of(); // not reached: every sample here is syntactically valid JSON
    }
    return schema.validate(
        node, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(Boolean.TRUE)));
  }

  private static Schema schema(String resource) {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    try (InputStream in = ContractSchemaTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return registry.getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Sample> samples(String resource, boolean withReasons) {
    List<Sample> out = new ArrayList<>();
    for (String raw : resource(resource).split("\n")) {
      if (raw.isBlank() || raw.startsWith("#")) {
        continue;
      }
      String[] parts = raw.split("\t", withReasons ? 3 : 2);
      boolean ok = parts[0].toUpperCase(Locale.ROOT).equals("OK");
      if (ok || !withReasons) {
        out.add(new Sample(ok, null, raw.substring(raw.indexOf('\t') + 1)));
      } else {
        out.add(new Sample(false, parts[1], parts[2]));
      }
    }
    return out;
  }

  static String resource(String name) {
    try (InputStream in = ContractSchemaTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
