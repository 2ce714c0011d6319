package io.distillguard.ingest;

import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.QueryEvent;
import io.distillguard.enrich.PreambleLearner;
import io.distillguard.ingest.preamble.PreambleLearnerSerializer;
import io.distillguard.ingest.profile.ProfileVersion;
import java.time.Duration;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/**
 * The job's side-output tags, state descriptors and operator uids in one place, so every operator
 * that produces dead letters uses the same tag and every stateful operator keeps its state names
 * and uid across releases (changing either orphans state in a savepoint).
 */
public final class Descriptors {

  /** Refused records from every stage: parse, embed, enrich. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

  /** Profile join: events waiting for the watermark (and so for any profile still to come). */
  public static final ListStateDescriptor<QueryEvent> PENDING_EVENTS =
      new ListStateDescriptor<>("pending-events", TypeInformation.of(QueryEvent.class));

  /**
   * Profile join: the account's current profile with its derived stated use, forgotten when not
   * replaced for {@code ttl} (processing time), so accounts that go away do not leak state.
   */
  public static ValueStateDescriptor<ProfileVersion> profile(Duration ttl) {
    ValueStateDescriptor<ProfileVersion> d =
        new ValueStateDescriptor<>("profile", TypeInformation.of(ProfileVersion.class));
    d.enableTimeToLive(
        StateTtlConfig.newBuilder(ttl).updateTtlOnCreateAndWrite().neverReturnExpired().build());
    return d;
  }

  /**
   * Split preamble: the account's {@code PreambleLearner} (a few KB), an object on the heap state
   * backend (serialized only in checkpoints), forgotten when the account sends nothing for {@code
   * ttl} (processing time).
   */
  public static ValueStateDescriptor<PreambleLearner> preambleLearner(Duration ttl) {
    ValueStateDescriptor<PreambleLearner> d =
        new ValueStateDescriptor<>("preamble-learner-object", PreambleLearnerSerializer.INSTANCE);
    d.enableTimeToLive(
        StateTtlConfig.newBuilder(ttl).updateTtlOnCreateAndWrite().neverReturnExpired().build());
    return d;
  }

  /**
   * Split preamble, as savepoints of earlier releases hold it: the learner as its bytes, read
   * through and converted per account on its next event ({@code SplitPreambleFunction}), then
   * cleared. Kept so such a savepoint restores; same TTL.
   */
  public static ValueStateDescriptor<byte[]> preambleLearnerBytes(Duration ttl) {
    ValueStateDescriptor<byte[]> d =
        new ValueStateDescriptor<>(
            "preamble-learner", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    d.enableTimeToLive(
        StateTtlConfig.newBuilder(ttl).updateTtlOnCreateAndWrite().neverReturnExpired().build());
    return d;
  }

  /** Stable operator uids (savepoint compatibility). */
  public static final class Uids {
    public static final String EVENTS_SOURCE = "events-source";
    public static final String PROFILES_SOURCE = "profiles-source";
    public static final String PROFILE_LINES = "profile-lines";
    public static final String PARSE_EVENTS = "parse-events";
    public static final String PARSE_PROFILES = "parse-profiles";
    public static final String EVENT_WATERMARKS = "event-watermarks";
    public static final String PROFILE_WATERMARKS = "profile-watermarks";
    public static final String JOIN_PROFILE = "join-profile";
    public static final String SPLIT_PREAMBLE = "split-preamble";
    public static final String EMBED_PROMPTS = "embed-prompts";
    public static final String ENRICH = "enrich";
    public static final String STORE_RECORDS = "store-records";
    public static final String TO_OBSERVATIONS = "to-observations";
    public static final String OBSERVATION_SINK = "observation-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";

    private Uids() {}
  }

  private Descriptors() {}
}
