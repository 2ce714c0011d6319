package io.distillguard.contract;

import java.time.Instant;

/**
 * One API call as the gateway reported it: the v1 query event (see {@code
 * schema/query-event.v1.schema.json}). Built only by {@link ContractCodec}, which enforces the
 * rules of the contract; fields that the contract marks optional are {@code null} when absent.
 *
 * <p>A concrete public record so Flink serializes it without Kryo.
 */
public record QueryEvent(
    String eventId,
    String accountId,
    Instant timestamp,
    String prompt,
    float[] embedding,
    String apiKeyId,
    String model,
    Integer promptTokens,
    Integer completionTokens,
    Double responseEntropy,
    ClientInfo client) {

  /** The client that sent the call; either part may be absent. */
  public record ClientInfo(String ip, String userAgent) {}

  /** This event carrying {@code vector} as its embedding (or none, for {@code null}). */
  public QueryEvent withEmbedding(float[] vector) {
    return new QueryEvent(
        eventId,
        accountId,
        timestamp,
        prompt,
        vector,
        apiKeyId,
        model,
        promptTokens,
        completionTokens,
        responseEntropy,
        client);
  }
}
