package io.distillguard.ingest.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.distillguard.contract.Json;
import io.distillguard.observe.AccountObservation;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * The observation channel's Kafka encoding: the record key is the account id (so one account's
 * observations stay in one partition, in order) and the value is the observation as JSON from
 * {@link Json#mapper()} (snake_case, nulls omitted).
 */
public final class ObservationSerialization {

  private ObservationSerialization() {}

  /** The observation as one JSON document. */
  public static String toJson(AccountObservation o) {
    try {
      return Json.mapper().writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("observation of event " + o.eventId() + " not encodable", e);
    }
  }

  /** Reads an observation written by {@link #toJson}. */
  public static AccountObservation fromJson(String json) {
    try {
      return Json.mapper().readValue(json, AccountObservation.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not an observation: " + e.getOriginalMessage(), e);
    }
  }

  /** Kafka record value: the JSON observation. */
  public static final class Value implements SerializationSchema<AccountObservation> {
    @Override
    public byte[] serialize(AccountObservation o) {
      return toJson(o).getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Kafka record key: the account id. */
  public static final class Key implements SerializationSchema<AccountObservation> {
    @Override
    public byte[] serialize(AccountObservation o) {
      return o.accountId().getBytes(StandardCharsets.UTF_8);
    }
  }
}
