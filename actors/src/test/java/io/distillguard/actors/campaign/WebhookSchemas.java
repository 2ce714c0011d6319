package io.distillguard.actors.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The published webhook JSON Schemas ({@code rules/src/main/resources/schema/}), for checking real
 * deliveries: {@code campaign.review_requested} against {@code campaign-webhook.v1}, every {@code
 * account.*} message against {@code escalation-webhook.v1}.
 */
final class WebhookSchemas {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema CAMPAIGN = schema("schema/campaign-webhook.v1.schema.json");
  private static final Schema ACCOUNT = schema("schema/escalation-webhook.v1.schema.json");

  private WebhookSchemas() {}

  /** The schema errors of one delivered body (empty when it validates). */
  static List<Error> errors(String body) {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Schema schema = node.path("type").asText().startsWith("campaign.") ? CAMPAIGN : ACCOUNT;
    return schema.validate(
        node, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(Boolean.TRUE)));
  }

  private static Schema schema(String resource) {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    try (InputStream in = WebhookSchemas.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no " + resource + " on the classpath");
      }
      return registry.getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
