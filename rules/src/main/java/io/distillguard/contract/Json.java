package io.distillguard.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one Jackson configuration for DistillGuard's wire formats: snake_case property names, unknown
 * properties ignored (readers are forward compatible), null properties omitted. No Java-time module
 * is registered: timestamps on the wire are RFC 3339 strings that {@link ContractCodec} writes and
 * reads itself, so they never depend on module configuration.
 *
 * <p>The returned mapper is shared and thread-safe; do not reconfigure it (derive an {@code
 * ObjectReader}/{@code ObjectWriter} or {@code copy()} it instead).
 */
public final class Json {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
          .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

  private Json() {}

  /** The shared, configured mapper. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
