package io.distillguard.actors.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading the small JSON bodies of the API's actions, refusing anything else with its usage. */
final class RequestBodies {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RequestBodies() {}

  /**
   * {@code body} as a JSON object with exactly one field.
   *
   * @throws IllegalArgumentException with {@code usage} otherwise
   */
  static JsonNode oneFieldObject(String body, String usage) {
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(usage, e);
    }
    if (n == null || !n.isObject() || n.size() != 1) {
      throw new IllegalArgumentException(usage);
    }
    return n;
  }

  /**
   * {@code n} as an array of 1 to {@code max} items.
   *
   * @throws IllegalArgumentException with {@code usage} otherwise
   */
  static JsonNode items(JsonNode n, int max, String usage) {
    if (!n.isArray() || n.isEmpty() || n.size() > max) {
      throw new IllegalArgumentException(usage);
    }
    return n;
  }
}
