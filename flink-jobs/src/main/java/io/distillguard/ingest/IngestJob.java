package io.distillguard.ingest;

import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.QueryEvent;
import io.distillguard.ingest.Descriptors.Uids;
import io.distillguard.ingest.embed.EmbedPromptsFunction;
import io.distillguard.ingest.embed.EmbeddedEvent;
import io.distillguard.ingest.enrich.EnrichFunction;
import io.distillguard.ingest.enrich.EnrichedQuery;
import io.distillguard.ingest.observe.ToObservationFunction;
import io.distillguard.ingest.parse.ParseEventsFunction;
import io.distillguard.ingest.parse.ParseProfilesFunction;
import io.distillguard.ingest.preamble.SplitPreambleFunction;
import io.distillguard.ingest.profile.JoinProfileFunction;
import io.distillguard.ingest.profile.JoinProfileOperator;
import io.distillguard.ingest.profile.ProfileUpdate;
import io.distillguard.ingest.profile.ProfiledEvent;
import io.distillguard.ingest.store.StoreRecordsOperator;
import io.distillguard.observe.AccountObservation;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ingest pipeline: parse + validate (dead letters with reasons) → join the account profile →
 * split the prompt into the account's scaffold and its payload → embed the payload (async, batched,
 * in-JVM model) → enrich → store a {@code QueryRecord} per event (one the store refuses becomes a
 * dead letter) and emit an {@code AccountObservation} per event, keyed by account.
 *
 * <p>The job takes its sources and sinks as constructor arguments, so the same pipeline runs from
 * {@link #main}, inside the local launcher and in MiniCluster tests.
 */
public final class IngestJob {

  public static final String NAME = "distillguard-ingest";

  private final IngestSources sources;
  private final IngestSinks sinks;
  private final IngestSettings settings;

  public IngestJob(IngestSources sources, IngestSinks sinks, IngestSettings settings) {
    this.sources = Objects.requireNonNull(sources, "sources");
    this.sinks = Objects.requireNonNull(sinks, "sinks");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** How long the start-up check waits for Kafka. */
  static final Duration KAFKA_CHECK_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Reads the job config (see {@link IngestConfig#load}), checks that its Kafka topics exist (or
   * creates them with {@code kafka.create-topics=true}) and runs the job until it finishes. Missing
   * topics fail the submission once, with their names and how to create them, instead of a job that
   * restarts forever.
   */
  public static void main(String[] args) throws Exception {
    IngestConfig config = IngestConfig.load(args);
    if (config.kafkaTopics().isPresent()) {
      config.kafkaTopics().get().ensure(KAFKA_CHECK_TIMEOUT);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(config.flink());
    new IngestJob(config.sources(), config.sinks(), config.settings()).execute(env);
  }

  /**
   * The Flink settings every run of this job uses, set on an environment's configuration: no silent
   * Kryo fallback (every stream element must have a Flink serializer), and object reuse.
   *
   * <p><b>Object reuse.</b> Without it, every hand-off between two chained operators (join → split
   * → embed → enrich → the two maps and the store sink) deep-copies the element through its
   * serializer, the 384-float embedding included, several times per event. Reuse is safe here
   * because no function of this job changes an element it received or one it emitted: every stream
   * type is an immutable record (whose arrays nobody writes after construction), each function
   * emits new objects, and the elements that are kept (the join's held events, the store sink's
   * batch, the async operator's queue, the observations the in-process channel hands to the actor
   * side) are either read from the network (a fresh object per record), made for that element by
   * the function before (each observation is a new record), or copied by Flink itself (the async
   * operator copies its input under reuse). {@code ObjectReuseOutputsIT} runs the job with and
   * without it over the same samples and compares every output.
   */
  public static Configuration flinkConfiguration() {
    Configuration conf = new Configuration();
    conf.setString("pipeline.generic-types", "false");
    conf.setString(OBJECT_REUSE, "true");
    return conf;
  }

  /** The Flink option {@link #flinkConfiguration} sets to {@code true}. */
  public static final String OBJECT_REUSE = "pipeline.object-reuse";

  /**
   * Builds the job into {@code env}, runs it and, once every subtask has finished successfully,
   * tells the sinks ({@link IngestSinks#onJobFinished}: the in-process channel is completed then).
   * For bounded inputs this returns when all input is processed.
   */
  public JobExecutionResult execute(StreamExecutionEnvironment env) throws Exception {
    build(env);
    JobExecutionResult result = env.execute(NAME);
    sinks.onJobFinished();
    return result;
  }

  /**
   * Builds the job into {@code env} and submits it without waiting for it (the caller can start
   * other things while the job deploys): {@link Submitted#await} then waits for it like {@link
   * #execute} does, and tells the sinks when it has finished.
   */
  public Submitted submit(StreamExecutionEnvironment env) throws Exception {
    build(env);
    return new Submitted(env.executeAsync(NAME), sinks);
  }

  /** A submitted run of the job. */
  public static final class Submitted {
    private final JobClient client;
    private final IngestSinks sinks;

    private Submitted(JobClient client, IngestSinks sinks) {
      this.client = client;
      this.sinks = sinks;
    }

    /**
     * Waits until the job has finished, then tells the sinks ({@link IngestSinks#onJobFinished}).
     *
     * @throws Exception the job's failure (wrapped by the job client)
     */
    public JobExecutionResult await() throws Exception {
      JobExecutionResult result = client.getJobExecutionResult().get();
      sinks.onJobFinished();
      return result;
    }

    /** Cancels the job (when what it feeds could not start); returns without waiting. */
    public void cancel() {
      client.cancel();
    }
  }

  /** Adds the pipeline to {@code env} without running it. */
  public void build(StreamExecutionEnvironment env) {
    env.configure(flinkConfiguration());
    if (settings.parallelism() > 0) {
      env.setParallelism(settings.parallelism());
    }
    if (!settings.checkpointInterval().isZero()) {
      env.enableCheckpointing(settings.checkpointInterval().toMillis());
    }

    // parse + validate
    SingleOutputStreamOperator<QueryEvent> events =
        sources
            .events(env, settings)
            .process(
                new ParseEventsFunction(
                    sources.eventsName(), settings.contractLimits(), settings.eventTimeRange()))
            .uid(Uids.PARSE_EVENTS)
            .name("parse events");
    SingleOutputStreamOperator<ProfileUpdate> profiles =
        sources
            .profiles(env, settings)
            .process(new ParseProfilesFunction(sources.profilesName(), settings.contractLimits()))
            .uid(Uids.PARSE_PROFILES)
            .name("parse profiles");

    // event time: here, unless the source assigns it per partition (Kafka)
    DataStream<QueryEvent> timedEvents =
        sources
            .eventWatermarks(settings)
            .<DataStream<QueryEvent>>map(
                w ->
                    events
                        .assignTimestampsAndWatermarks(w)
                        .uid(Uids.EVENT_WATERMARKS)
                        .name("event time"))
            .orElse(events);
    DataStream<ProfileUpdate> timedProfiles =
        sources
            .profileWatermarks(settings)
            .<DataStream<ProfileUpdate>>map(
                w ->
                    profiles
                        .assignTimestampsAndWatermarks(w)
                        .uid(Uids.PROFILE_WATERMARKS)
                        .name("profile time"))
            .orElse(profiles);

    // join the account profile; the operator releases what it holds when its inputs end (a
    // drained stop), whatever the watermark
    SingleOutputStreamOperator<ProfiledEvent> joined =
        timedEvents
            .keyBy(QueryEvent::accountId, Types.STRING)
            .connect(timedProfiles.keyBy(ProfileUpdate::accountId, Types.STRING))
            .transform(
                "join profile",
                TypeInformation.of(ProfiledEvent.class),
                new JoinProfileOperator(
                    new JoinProfileFunction(settings.embedder(), settings.profileTtl())))
            .uid(Uids.JOIN_PROFILE)
            .name("join profile");

    // split each prompt into the account's scaffold and its payload (still keyed by account: no
    // shuffle, the join's output partitioning is reused)
    SingleOutputStreamOperator<ProfiledEvent> split =
        DataStreamUtils.reinterpretAsKeyedStream(joined, e -> e.event().accountId(), Types.STRING)
            .process(new SplitPreambleFunction(settings.profileTtl()))
            .uid(Uids.SPLIT_PREAMBLE)
            .name("split preamble");

    // embed (ordered: an account's events leave in the order they entered)
    long timeoutMillis = settings.embedTimeout().toMillis() * settings.embedAttempts();
    SingleOutputStreamOperator<EmbeddedEvent> embedded =
        AsyncDataStream.orderedWaitWithRetry(
                split,
                new EmbedPromptsFunction(settings.embedder(), settings.embedTimeout()),
                timeoutMillis,
                TimeUnit.MILLISECONDS,
                settings.embedCapacity(),
                EmbedPromptsFunction.retryStrategy(
                    settings.embedAttempts(), settings.embedRetryDelay()))
            .uid(Uids.EMBED_PROMPTS)
            .name("embed prompts");

    // enrich
    SingleOutputStreamOperator<EnrichedQuery> enriched =
        embedded
            .process(
                new EnrichFunction(
                    settings.embedder(),
                    settings.contractLimits(),
                    settings.taxonomyFile(),
                    settings.taxonomyCheckInterval()))
            .uid(Uids.ENRICH)
            .name("enrich");

    // store; a record the store refuses on its own leaves as a dead letter
    SingleOutputStreamOperator<DeadLetter> storeRefusals =
        enriched
            .transform(
                "vector store",
                Descriptors.DEAD_LETTERS.getTypeInfo(),
                new StoreRecordsOperator(
                    sinks.store(), settings.storeBatchSize(), settings.storeFlushInterval()))
            .uid(Uids.STORE_RECORDS)
            .name("vector store");

    // observe: still partitioned by account since the join (every stage after it is forward), so
    // one account's observations leave through one writer, in order, with no second shuffle (the
    // sink is chained to the enrichment, the observations are never serialised in the job)
    SingleOutputStreamOperator<AccountObservation> observations =
        enriched
            .map(new ToObservationFunction())
            .returns(TypeInformation.of(AccountObservation.class))
            .uid(Uids.TO_OBSERVATIONS)
            .name("to observations");
    DataStreamUtils.reinterpretAsKeyedStream(
            observations, AccountObservation::accountId, Types.STRING)
        .sinkTo(sinks.observations())
        .uid(Uids.OBSERVATION_SINK)
        .name("observation channel");

    // dead letters from every stage
    DataStream<DeadLetter> deadLetters =
        events
            .getSideOutput(Descriptors.DEAD_LETTERS)
            .union(
                profiles.getSideOutput(Descriptors.DEAD_LETTERS),
                joined.getSideOutput(Descriptors.DEAD_LETTERS),
                enriched.getSideOutput(Descriptors.DEAD_LETTERS),
                storeRefusals);
    DataStreamSink<DeadLetter> deadLetterSink =
        deadLetters.sinkTo(sinks.deadLetters()).uid(Uids.DEAD_LETTER_SINK).name("dead letters");
    if (sinks.deadLetterParallelism() > 0) {
      deadLetterSink.setParallelism(sinks.deadLetterParallelism());
    }
  }
}
