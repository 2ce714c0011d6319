package io.distillguard.actors.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.distillguard.actors.api.access.Role;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's endpoint table, the OpenAPI description and the endpoints the routes enforce ({@link
 * ApiEndpoint#ALL}) list the same endpoints with the same query parameters and the same role.
 * {@code HttpApiIT} checks over real sockets that the routes serve exactly {@link ApiEndpoint#ALL};
 * together they keep the three from drifting apart. README is read from the repository (this
 * module's working directory is {@code actors/}).
 */
class ApiDocsTest {

  private static final Path README = Path.of("..", "README.md");
  // A row of the endpoint table: | `GET /v1/accounts?level=&limit=` | reviewer | what |
  private static final Pattern ROW =
      Pattern.compile(
          "^\\| `(GET|POST|PUT|DELETE|PATCH) (/v1/[^`?]*)(\\?[^`]*)?` \\| ([a-z]+) \\|");

  @Test
  void readmeListsEveryEndpointWithItsQueryParameters() throws IOException {
    assertThat(readmeEndpoints()).containsExactlyInAnyOrderElementsOf(ApiEndpoint.ALL);
  }

  @Test
  void openApiDescribesEveryEndpointWithItsQueryParameters() throws IOException {
    assertThat(openApiEndpoints()).containsExactlyInAnyOrderElementsOf(ApiEndpoint.ALL);
  }

  @Test
  void anUnknownParameterIsNamedWithTheAcceptedOnes() {
    assertThat(ApiEndpoint.ACCOUNTS.unknown(List.of("level", "state", "limit", "Level")))
        .containsExactly("Level", "state");
    assertThat(ApiEndpoint.CASES.unknown(List.of())).isEmpty();
  }

  /** The endpoint table under "## HTTP API" in README. */
  static List<ApiEndpoint> readmeEndpoints() throws IOException {
    List<String> lines = Files.readAllLines(README);
    int start = lines.indexOf("## HTTP API");
    assertThat(start).as("README has a '## HTTP API' section").isNotNegative();
    List<ApiEndpoint> out = new ArrayList<>();
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      Matcher m = ROW.matcher(lines.get(i));
      if (!m.find()) {
        continue;
      }
      List<String> params = new ArrayList<>();
      if (m.group(3) != null) {
        for (String pair : m.group(3).substring(1).split("&")) {
          int eq = pair.indexOf('=');
          params.add(eq < 0 ? pair : pair.substring(0, eq));
        }
      }
      out.add(new ApiEndpoint(m.group(1), m.group(2), params, role(m.group(4))));
    }
    assertThat(out).as("endpoint rows in README's HTTP API table").isNotEmpty();
    return out;
  }

  /** Every operation of {@code openapi.yaml} with its query parameters ($refs resolved). */
  static List<ApiEndpoint> openApiEndpoints() throws IOException {
    JsonNode spec;
    try (InputStream in = HttpApi.class.getResourceAsStream("/openapi.yaml")) {
      spec = new YAMLMapper().readTree(in);
    }
    List<ApiEndpoint> out = new ArrayList<>();
    for (Iterator<String> paths = spec.path("paths").fieldNames(); paths.hasNext(); ) {
      String path = paths.next();
      JsonNode item = spec.path("paths").path(path);
      for (Iterator<String> methods = item.fieldNames(); methods.hasNext(); ) {
        String method = methods.next();
        List<String> params = new ArrayList<>();
        for (JsonNode p : item.path(method).path("parameters")) {
          JsonNode resolved = resolve(spec, p);
          if (resolved.path("in").asText().equals("query")) {
            params.add(resolved.path("name").asText());
          }
        }
        out.add(
            new ApiEndpoint(
                method.toUpperCase(Locale.ROOT),
                path,
                params,
                role(item.path(method).path("x-role").asText("missing"))));
      }
    }
    return out;
  }

  private static Role role(String name) {
    return Role.valueOf(name.toUpperCase(Locale.ROOT));
  }

  private static JsonNode resolve(JsonNode spec, JsonNode node) {
    String ref = node.path("$ref").asText("");
    if (ref.isEmpty()) {
      return node;
    }
    assertThat(ref).startsWith("#/");
    JsonNode target = spec.at(ref.substring(1));
    assertThat(target.isMissingNode()).as("OpenAPI $ref %s resolves", ref).isFalse();
    return target;
  }
}
