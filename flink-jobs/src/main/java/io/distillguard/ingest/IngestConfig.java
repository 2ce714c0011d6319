package io.distillguard.ingest;

import io.distillguard.contract.ContractLimits;
import io.distillguard.ingest.parse.EventTimeRange;
import io.distillguard.store.StoreSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * The job's typed configuration: a {@code .properties} file given as {@code --config FILE},
 * overridden by {@code key=value} arguments, read into {@link IngestSources}, {@link IngestSinks}
 * and {@link IngestSettings}. Every key is one of the typed constants below.
 *
 * <p>Example (cluster):
 *
 * <pre>
 * source = kafka
 * sink = kafka
 * kafka.bootstrap-servers = kafka:9092
 * store.data-dir = /var/lib/distillguard   # or MILVUS_URI in the environment
 * parallelism = 4
 * checkpoint.interval = 30 s
 * </pre>
 *
 * The vector store comes from {@link StoreSettings#fromEnvironment}: Milvus when {@code MILVUS_URI}
 * is set, otherwise the embedded store under {@code store.data-dir}.
 *
 * <p>With {@code checkpoint.interval} set, the Kafka sinks are exactly-once (transactions committed
 * on checkpoints, {@code kafka.transactional-id-prefix}) unless {@code kafka.delivery-guarantee =
 * at-least-once}; without, at-least-once.
 *
 * <p>Before the job starts, {@link IngestJob#main} checks that the Kafka topics it reads and writes
 * exist ({@link #kafkaTopics}), and creates missing ones only with {@code
 * kafka.create-topics=true}.
 *
 * @param flink Flink settings the job applies to its environment (checkpoint storage)
 * @param kafkaTopics the Kafka topics of the configured source and sink; empty when neither is
 *     Kafka
 */
public record IngestConfig(
    IngestSources sources,
    IngestSinks sinks,
    IngestSettings settings,
    Configuration flink,
    Optional<KafkaTopics> kafkaTopics) {

  /** {@code files} or {@code kafka}. */
  public static final ConfigOption<String> SOURCE =
      ConfigOptions.key("source").stringType().defaultValue("files");

  /** {@code in-process} (launcher only: the channel must be open in this JVM) or {@code kafka}. */
  public static final ConfigOption<String> SINK =
      ConfigOptions.key("sink").stringType().defaultValue("kafka");

  public static final ConfigOption<String> PROFILES_FILE =
      ConfigOptions.key("files.profiles").stringType().noDefaultValue();
  public static final ConfigOption<String> EVENTS_FILE =
      ConfigOptions.key("files.events").stringType().noDefaultValue();
  public static final ConfigOption<String> DEAD_LETTER_FILE =
      ConfigOptions.key("files.dead-letters").stringType().defaultValue("dead-letters.jsonl");
  public static final ConfigOption<String> OBSERVATION_CHANNEL =
      ConfigOptions.key("observation-channel").stringType().defaultValue("observations");

  public static final ConfigOption<String> KAFKA_BOOTSTRAP =
      ConfigOptions.key("kafka.bootstrap-servers").stringType().noDefaultValue();
  public static final ConfigOption<String> KAFKA_GROUP_ID =
      ConfigOptions.key("kafka.group-id").stringType().defaultValue("distillguard-ingest");
  public static final ConfigOption<String> KAFKA_PROFILES_TOPIC =
      ConfigOptions.key("kafka.topic.profiles").stringType().defaultValue("account-profiles");
  public static final ConfigOption<String> KAFKA_EVENTS_TOPIC =
      ConfigOptions.key("kafka.topic.events").stringType().defaultValue("query-events");
  public static final ConfigOption<String> KAFKA_OBSERVATIONS_TOPIC =
      ConfigOptions.key("kafka.topic.observations")
          .stringType()
          .defaultValue("account-observations");
  public static final ConfigOption<String> KAFKA_DEAD_LETTERS_TOPIC =
      ConfigOptions.key("kafka.topic.dead-letters").stringType().defaultValue("dead-letters");
  public static final ConfigOption<Boolean> KAFKA_BOUNDED =
      ConfigOptions.key("kafka.bounded").booleanType().defaultValue(false);

  /**
   * With checkpointing on, the Kafka sinks write exactly-once in transactions with ids starting
   * with this prefix: unique per job on the Kafka cluster, unchanged across redeploys.
   */
  public static final ConfigOption<String> KAFKA_TRANSACTIONAL_ID_PREFIX =
      ConfigOptions.key("kafka.transactional-id-prefix")
          .stringType()
          .defaultValue("distillguard-ingest");

  /**
   * How the Kafka sinks deliver: {@code exactly-once} (transactions committed with each checkpoint:
   * a {@code read_committed} consumer sees a record once, but only after the checkpoint that
   * follows it) or {@code at-least-once} (visible at once; after a failure the records since the
   * last checkpoint are written again). Unset: exactly-once with checkpointing, at-least-once
   * without (exactly-once needs checkpointing). The actor service deduplicates observations by
   * event id, so at-least-once gives it the same decisions, seconds after the events instead of a
   * checkpoint interval after them.
   */
  public static final ConfigOption<String> KAFKA_DELIVERY_GUARANTEE =
      ConfigOptions.key("kafka.delivery-guarantee").stringType().noDefaultValue();

  /** Create missing topics at start (otherwise the job fails once, naming them). */
  public static final ConfigOption<Boolean> KAFKA_CREATE_TOPICS =
      ConfigOptions.key("kafka.create-topics").booleanType().defaultValue(false);

  /** Replication of topics the job creates; -1: the broker's default. */
  public static final ConfigOption<Integer> KAFKA_CREATE_TOPICS_REPLICATION =
      ConfigOptions.key("kafka.create-topics.replication-factor").intType().defaultValue(-1);

  /** Producer transaction timeout; at most the broker's transaction.max.timeout.ms. */
  public static final ConfigOption<Duration> KAFKA_TRANSACTION_TIMEOUT =
      ConfigOptions.key("kafka.transaction-timeout")
          .durationType()
          .defaultValue(IngestSinks.Kafka.DEFAULT_TRANSACTION_TIMEOUT);

  public static final ConfigOption<String> STORE_DATA_DIR =
      ConfigOptions.key("store.data-dir").stringType().defaultValue("data");
  public static final ConfigOption<Integer> STORE_BATCH_SIZE =
      ConfigOptions.key("store.batch-size").intType().defaultValue(256);
  public static final ConfigOption<Duration> STORE_FLUSH_INTERVAL =
      ConfigOptions.key("store.flush-interval").durationType().defaultValue(Duration.ofSeconds(1));

  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOptions.key("parallelism").intType().defaultValue(0);
  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      ConfigOptions.key("checkpoint.interval").durationType().defaultValue(Duration.ZERO);

  /**
   * Where checkpoints go (a file system URI, e.g. {@code s3://bucket/distillguard/checkpoints});
   * unset leaves it to the cluster's {@code execution.checkpointing.dir}.
   */
  public static final ConfigOption<String> CHECKPOINT_DIR =
      ConfigOptions.key("checkpoint.dir").stringType().noDefaultValue();

  public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
      ConfigOptions.key("watermark.out-of-orderness")
          .durationType()
          .defaultValue(Duration.ofSeconds(5));
  public static final ConfigOption<Duration> IDLENESS =
      ConfigOptions.key("watermark.idleness").durationType().defaultValue(Duration.ofSeconds(30));

  /** Events stamped before this RFC 3339 instant are dead-lettered as implausible. */
  public static final ConfigOption<String> EVENT_TIME_NOT_BEFORE =
      ConfigOptions.key("event-time.not-before")
          .stringType()
          .defaultValue(EventTimeRange.DEFAULT.notBefore().toString());

  /** Events stamped further than this ahead of the TaskManager's clock are dead-lettered. */
  public static final ConfigOption<Duration> EVENT_TIME_MAX_FUTURE =
      ConfigOptions.key("event-time.max-future")
          .durationType()
          .defaultValue(EventTimeRange.DEFAULT.maxFuture());

  public static final ConfigOption<Duration> PROFILE_TTL =
      ConfigOptions.key("profile.ttl").durationType().defaultValue(Duration.ofDays(30));

  /**
   * A capability taxonomy file (format of the built-in {@code taxonomy/capabilities.yaml}) at this
   * path on every TaskManager, e.g. a mounted ConfigMap. The enrich operator reads it instead of
   * the built-in taxonomy and rebuilds its centroids when the file's content changes, without a
   * redeploy. Unset: the built-in taxonomy, fixed.
   */
  public static final ConfigOption<String> TAXONOMY_FILE =
      ConfigOptions.key("taxonomy.file").stringType().noDefaultValue();

  public static final ConfigOption<Duration> TAXONOMY_CHECK_INTERVAL =
      ConfigOptions.key("taxonomy.check-interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(10));

  public static final ConfigOption<Integer> EMBED_THREADS =
      ConfigOptions.key("embed.threads").intType().noDefaultValue();
  public static final ConfigOption<Integer> EMBED_MAX_TOKENS =
      ConfigOptions.key("embed.max-tokens").intType().noDefaultValue();
  public static final ConfigOption<Integer> EMBED_BATCH_SIZE =
      ConfigOptions.key("embed.batch-size").intType().noDefaultValue();
  public static final ConfigOption<Duration> EMBED_TIMEOUT =
      ConfigOptions.key("embed.timeout").durationType().defaultValue(Duration.ofSeconds(30));
  public static final ConfigOption<Integer> EMBED_ATTEMPTS =
      ConfigOptions.key("embed.attempts").intType().defaultValue(3);

  public static final ConfigOption<Integer> MAX_PROMPT_CHARS =
      ConfigOptions.key("contract.max-prompt-chars")
          .intType()
          .defaultValue(ContractLimits.DEFAULT.maxPromptChars());
  public static final ConfigOption<Integer> MAX_LINE_CHARS =
      ConfigOptions.key("contract.max-line-chars")
          .intType()
          .defaultValue(ContractLimits.DEFAULT.maxLineChars());

  /** Reads {@code --config FILE} (optional) and {@code key=value} overrides. */
  public static IngestConfig load(String[] args) throws IOException {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--config")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--config needs a file");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[++i]))) {
          p.load(r);
        }
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).trim()));
      } else if (a.contains("=")) {
        int eq = a.indexOf('=');
        values.put(a.substring(0, eq).replaceFirst("^--", ""), a.substring(eq + 1));
      } else {
        throw new IllegalArgumentException(
            "unexpected argument '" + a + "' (use --config FILE and key=value)");
      }
    }
    List<String> unknown = unknownKeys(values.keySet());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown configuration key"
              + (unknown.size() == 1 ? " " : "s ")
              + String.join(", ", unknown)
              + " (the job's keys are listed in README, \"Running on a cluster\"; Kafka client"
              + " properties go under "
              + KafkaClientProperties.PREFIX
              + ")");
    }
    return read(Configuration.fromMap(values));
  }

  /**
   * The keys of {@code keys} that name none of this job's options (a misspelt key would otherwise
   * be ignored, and its default used without a word), sorted; {@code kafka.client.*} entries are
   * passed to the Kafka clients as they are.
   */
  static List<String> unknownKeys(java.util.Collection<String> keys) {
    java.util.Set<String> known = new java.util.HashSet<>();
    for (java.lang.reflect.Field f : IngestConfig.class.getDeclaredFields()) {
      if (java.lang.reflect.Modifier.isStatic(f.getModifiers())
          && ConfigOption.class.isAssignableFrom(f.getType())) {
        try {
          known.add(((ConfigOption<?>) f.get(null)).key());
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return keys.stream()
        .filter(k -> !known.contains(k) && !k.startsWith(KafkaClientProperties.PREFIX))
        .sorted()
        .toList();
  }

  /** Builds the job's parts from a configuration; fails with the offending key when incomplete. */
  public static IngestConfig read(Configuration c) {
    IngestSettings d = IngestSettings.defaults();
    IngestSettings settings =
        new IngestSettings(
            c.get(PARALLELISM),
            c.getOptional(EMBED_THREADS).orElse(d.embedderThreads()),
            c.getOptional(EMBED_MAX_TOKENS).orElse(d.embedderMaxTokens()),
            c.getOptional(EMBED_BATCH_SIZE).orElse(d.embedderBatchSize()),
            new ContractLimits(
                ContractLimits.DEFAULT.embeddingDimension(),
                c.get(MAX_PROMPT_CHARS),
                c.get(MAX_LINE_CHARS)),
            c.get(OUT_OF_ORDERNESS),
            c.get(IDLENESS),
            c.get(EMBED_TIMEOUT),
            c.get(EMBED_ATTEMPTS),
            d.embedRetryDelay(),
            c.get(STORE_BATCH_SIZE),
            c.get(STORE_FLUSH_INTERVAL),
            c.get(PROFILE_TTL),
            c.get(CHECKPOINT_INTERVAL),
            c.getOptional(TAXONOMY_FILE).orElse(null),
            c.get(TAXONOMY_CHECK_INTERVAL),
            new EventTimeRange(
                java.time.Instant.parse(c.get(EVENT_TIME_NOT_BEFORE)),
                c.get(EVENT_TIME_MAX_FUTURE)));

    IngestSources sources =
        switch (c.get(SOURCE)) {
          case "files" ->
              IngestSources.files(
                  Path.of(required(c, PROFILES_FILE)), Path.of(required(c, EVENTS_FILE)));
          case "kafka" ->
              IngestSources.kafka(
                  required(c, KAFKA_BOOTSTRAP),
                  c.get(KAFKA_PROFILES_TOPIC),
                  c.get(KAFKA_EVENTS_TOPIC),
                  c.get(KAFKA_GROUP_ID),
                  c.get(KAFKA_BOUNDED),
                  KafkaClientProperties.from(c));
          default ->
              throw new IllegalArgumentException(
                  SOURCE.key() + " must be files or kafka: " + c.get(SOURCE));
        };

    StoreSettings store = StoreSettings.fromEnvironment(Path.of(c.get(STORE_DATA_DIR)));
    IngestSinks sinks =
        switch (c.get(SINK)) {
          case "in-process" ->
              IngestSinks.inProcess(
                  c.get(OBSERVATION_CHANNEL), Path.of(c.get(DEAD_LETTER_FILE)), store);
          case "kafka" ->
              withClient(
                  !exactlyOnce(c, settings)
                      ? IngestSinks.kafka(
                          required(c, KAFKA_BOOTSTRAP),
                          c.get(KAFKA_OBSERVATIONS_TOPIC),
                          c.get(KAFKA_DEAD_LETTERS_TOPIC),
                          store)
                      : IngestSinks.kafkaExactlyOnce(
                          required(c, KAFKA_BOOTSTRAP),
                          c.get(KAFKA_OBSERVATIONS_TOPIC),
                          c.get(KAFKA_DEAD_LETTERS_TOPIC),
                          store,
                          c.get(KAFKA_TRANSACTIONAL_ID_PREFIX),
                          c.get(KAFKA_TRANSACTION_TIMEOUT)),
                  KafkaClientProperties.from(c));
          default ->
              throw new IllegalArgumentException(
                  SINK.key() + " must be in-process or kafka: " + c.get(SINK));
        };
    Configuration flink = new Configuration();
    c.getOptional(CHECKPOINT_DIR)
        .ifPresent(
            dir -> {
              flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
              flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
            });
    return new IngestConfig(sources, sinks, settings, flink, kafkaTopics(c));
  }

  private static Optional<KafkaTopics> kafkaTopics(Configuration c) {
    List<KafkaTopics.Topic> topics = new ArrayList<>();
    if (c.get(SOURCE).equals("kafka")) {
      topics.add(KafkaTopics.events(c.get(KAFKA_EVENTS_TOPIC)));
      topics.add(KafkaTopics.profiles(c.get(KAFKA_PROFILES_TOPIC)));
    }
    if (c.get(SINK).equals("kafka")) {
      topics.add(KafkaTopics.observations(c.get(KAFKA_OBSERVATIONS_TOPIC)));
      topics.add(KafkaTopics.deadLetters(c.get(KAFKA_DEAD_LETTERS_TOPIC)));
    }
    if (topics.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new KafkaTopics(
            required(c, KAFKA_BOOTSTRAP),
            topics,
            c.get(KAFKA_CREATE_TOPICS),
            c.get(KAFKA_CREATE_TOPICS_REPLICATION).shortValue(),
            KafkaClientProperties.from(c)));
  }

  private static IngestSinks withClient(IngestSinks sinks, Map<String, String> properties) {
    return sinks instanceof IngestSinks.Kafka k ? k.withClientProperties(properties) : sinks;
  }

  /** Whether the Kafka sinks write exactly-once ({@link #KAFKA_DELIVERY_GUARANTEE}). */
  private static boolean exactlyOnce(Configuration c, IngestSettings settings) {
    boolean checkpointing = !settings.checkpointInterval().isZero();
    return switch (c.getOptional(KAFKA_DELIVERY_GUARANTEE).orElse("")) {
      case "" -> checkpointing;
      case "at-least-once" -> false;
      case "exactly-once" -> {
        if (!checkpointing) {
          throw new IllegalArgumentException(
              KAFKA_DELIVERY_GUARANTEE.key()
                  + " = exactly-once needs checkpointing: set checkpoint.interval");
        }
        yield true;
      }
      default ->
          throw new IllegalArgumentException(
              KAFKA_DELIVERY_GUARANTEE.key()
                  + " must be exactly-once or at-least-once: "
                  + c.get(KAFKA_DELIVERY_GUARANTEE));
    };
  }

  private static String required(Configuration c, ConfigOption<String> option) {
    return c.getOptional(option)
        .orElseThrow(() -> new IllegalArgumentException("missing config key: " + option.key()));
  }
}
