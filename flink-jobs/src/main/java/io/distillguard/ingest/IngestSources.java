package io.distillguard.ingest;

import io.distillguard.contract.QueryEvent;
import io.distillguard.ingest.parse.EventTimeOfLine;
import io.distillguard.ingest.parse.RawRecord;
import io.distillguard.ingest.profile.ProfileUpdate;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where the job's raw input lines come from: account profiles and query events, one JSON document
 * per line or record, plus how event time and watermarks are derived for each input. Two adapters:
 * {@link #files} (bounded JSONL replay) and {@link #kafka} (topics, optionally bounded).
 */
public interface IngestSources {

  /** Raw profile records: file lines, or Kafka keys and values (tombstones included). */
  DataStream<RawRecord> profiles(StreamExecutionEnvironment env, IngestSettings settings);

  /** Raw event lines. */
  DataStream<String> events(StreamExecutionEnvironment env, IngestSettings settings);

  /** Name recorded as the dead-letter source of refused profile lines. */
  String profilesName();

  /** Name recorded as the dead-letter source of refused event lines. */
  String eventsName();

  /**
   * Event time of parsed events: the event's own {@code timestamp}, with watermarks trailing the
   * newest timestamp by the configured out-of-orderness. Empty when the source itself assigns them
   * (Kafka: per partition, see {@link EventTimeOfLine}).
   */
  Optional<WatermarkStrategy<QueryEvent>> eventWatermarks(IngestSettings settings);

  /**
   * Watermarks of the profiles input. They decide when an event may be joined (see {@link
   * io.distillguard.ingest.profile.JoinProfileFunction}). Empty when the source assigns them.
   */
  Optional<WatermarkStrategy<ProfileUpdate>> profileWatermarks(IngestSettings settings);

  /**
   * Bounded JSONL files. The profiles input emits no watermark until it has been read completely,
   * so every event is joined with its account's profile from the file, whatever the interleaving.
   */
  static IngestSources files(Path profiles, Path events) {
    return new Files(profiles.toAbsolutePath().toString(), events.toAbsolutePath().toString());
  }

  /**
   * Kafka topics (record values are the JSON lines). Profiles take their Kafka record timestamp as
   * event time. Idle partitions stop holding the watermark back after the configured idleness.
   *
   * @param bounded read up to the offsets that are latest when the job starts, then finish (for
   *     tests and backfills); otherwise read forever
   */
  static IngestSources kafka(
      String bootstrapServers,
      String profilesTopic,
      String eventsTopic,
      String groupId,
      boolean bounded) {
    return new Kafka(bootstrapServers, profilesTopic, eventsTopic, groupId, bounded);
  }

  /** As {@link #kafka(String, String, String, String, boolean)}, with Kafka client properties. */
  static IngestSources kafka(
      String bootstrapServers,
      String profilesTopic,
      String eventsTopic,
      String groupId,
      boolean bounded,
      Map<String, String> clientProperties) {
    return new Kafka(
        bootstrapServers, profilesTopic, eventsTopic, groupId, bounded, clientProperties);
  }

  /** The event's own timestamp. */
  final class EventTimestamp implements SerializableTimestampAssigner<QueryEvent> {
    @Override
    public long extractTimestamp(QueryEvent event, long recordTimestamp) {
      return event.timestamp().toEpochMilli();
    }
  }

  /** See {@link IngestSources#files}. */
  record Files(String profilesFile, String eventsFile) implements IngestSources {

    @Override
    public DataStream<RawRecord> profiles(StreamExecutionEnvironment env, IngestSettings settings) {
      return env.fromSource(lines(profilesFile), WatermarkStrategy.noWatermarks(), "profiles file")
          .uid(Descriptors.Uids.PROFILES_SOURCE)
          .map(RawRecord::line)
          .returns(TypeInformation.of(RawRecord.class))
          .uid(Descriptors.Uids.PROFILE_LINES)
          .name("profile lines");
    }

    @Override
    public DataStream<String> events(StreamExecutionEnvironment env, IngestSettings settings) {
      return env.fromSource(lines(eventsFile), WatermarkStrategy.noWatermarks(), "events file")
          .uid(Descriptors.Uids.EVENTS_SOURCE);
    }

    @Override
    public String profilesName() {
      return Path.of(profilesFile).getFileName().toString();
    }

    @Override
    public String eventsName() {
      return Path.of(eventsFile).getFileName().toString();
    }

    @Override
    public Optional<WatermarkStrategy<QueryEvent>> eventWatermarks(IngestSettings settings) {
      return Optional.of(
          WatermarkStrategy.<QueryEvent>forBoundedOutOfOrderness(settings.outOfOrderness())
              .withTimestampAssigner(new EventTimestamp()));
    }

    @Override
    public Optional<WatermarkStrategy<ProfileUpdate>> profileWatermarks(IngestSettings settings) {
      // No watermark before the end of the file: the bounded source then emits the final one.
      return Optional.of(WatermarkStrategy.noWatermarks());
    }

    private static FileSource<String> lines(String file) {
      return FileSource.forRecordStreamFormat(
              new TextLineInputFormat(), new org.apache.flink.core.fs.Path(Path.of(file).toUri()))
          .build();
    }
  }

  /** See {@link IngestSources#kafka}. */
  record Kafka(
      String bootstrapServers,
      String profilesTopic,
      String eventsTopic,
      String groupId,
      boolean bounded,
      Map<String, String> clientProperties)
      implements IngestSources {

    public Kafka(
        String bootstrapServers,
        String profilesTopic,
        String eventsTopic,
        String groupId,
        boolean bounded) {
      this(bootstrapServers, profilesTopic, eventsTopic, groupId, bounded, Map.of());
    }

    public Kafka {
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      Objects.requireNonNull(profilesTopic, "profilesTopic");
      Objects.requireNonNull(eventsTopic, "eventsTopic");
      Objects.requireNonNull(groupId, "groupId");
      clientProperties = Map.copyOf(clientProperties);
    }

    @Override
    public DataStream<RawRecord> profiles(StreamExecutionEnvironment env, IngestSettings settings) {
      // The record timestamp the Kafka source attaches (publish time) is the profile's event time;
      // watermarks per partition, idle partitions stop holding them back after the idleness.
      return env.fromSource(
              source(profilesTopic, new KafkaRawRecords()),
              WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(settings.outOfOrderness())
                  .withIdleness(settings.sourceIdleness()),
              "profiles topic")
          .uid(Descriptors.Uids.PROFILES_SOURCE);
    }

    @Override
    public DataStream<String> events(StreamExecutionEnvironment env, IngestSettings settings) {
      // Event time read from each record at the source, so watermarks are generated per
      // partition: one partition far ahead cannot make another partition's events late.
      return env.fromSource(
              source(eventsTopic, new KafkaRawRecords.Values()),
              WatermarkStrategy.<String>forBoundedOutOfOrderness(settings.outOfOrderness())
                  .withTimestampAssigner(new EventTimeOfLine(settings.eventTimeRange()))
                  .withIdleness(settings.sourceIdleness()),
              "events topic")
          .uid(Descriptors.Uids.EVENTS_SOURCE);
    }

    @Override
    public String profilesName() {
      return profilesTopic;
    }

    @Override
    public String eventsName() {
      return eventsTopic;
    }

    @Override
    public Optional<WatermarkStrategy<QueryEvent>> eventWatermarks(IngestSettings settings) {
      return Optional.empty(); // per partition, at the source
    }

    @Override
    public Optional<WatermarkStrategy<ProfileUpdate>> profileWatermarks(IngestSettings settings) {
      return Optional.empty(); // per partition, at the source
    }

    /** The source of one topic (package-visible for the client configuration test). */
    <T> KafkaSource<T> source(String topic, KafkaRecordDeserializationSchema<T> records) {
      KafkaSourceBuilder<T> b = KafkaSource.<T>builder();
      // The operator's client properties first (security), then the job's own, which win.
      clientProperties.forEach(b::setProperty);
      b.setBootstrapServers(bootstrapServers)
          .setTopics(topic)
          .setGroupId(groupId)
          .setStartingOffsets(OffsetsInitializer.earliest())
          .setDeserializer(records);
      if (bounded) {
        b.setBounded(OffsetsInitializer.latest());
      }
      return b.build();
    }
  }
}
