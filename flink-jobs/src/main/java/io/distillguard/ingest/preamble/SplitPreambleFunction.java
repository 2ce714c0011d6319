package io.distillguard.ingest.preamble;

import io.distillguard.enrich.PreambleLearner;
import io.distillguard.enrich.PromptSplit;
import io.distillguard.ingest.Descriptors;
import io.distillguard.ingest.metrics.IngestMetrics;
import io.distillguard.ingest.profile.ProfiledEvent;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Cuts each prompt into its account's constant scaffold (the app's system preamble) and the payload
 * after it, with one {@link PreambleLearner} per account kept in keyed state (a few KB, forgotten
 * after {@code ttl} without traffic). Downstream, the payload is embedded on its own within the
 * model's token budget and the scaffold once per version, and the template signals read the
 * payload.
 *
 * <p>Keyed by account. The split depends only on the account's sequence of prompts, so a replay or
 * a restore from a checkpoint splits the same way. The learner is kept as an object (on the heap
 * state backend it is neither read from nor written to bytes per event); a savepoint of an earlier
 * release, which held it as bytes under another state name, restores into that name and each
 * account's learner is converted on its next event (same operator uid).
 */
public final class SplitPreambleFunction
    extends KeyedProcessFunction<String, ProfiledEvent, ProfiledEvent> {

  private final Duration ttl;
  private transient ValueState<PreambleLearner> learnerState;
  private transient ValueState<byte[]> learnerBytes;
  private transient Counter split;
  private transient Counter versions;

  public SplitPreambleFunction(Duration ttl) {
    this.ttl = Objects.requireNonNull(ttl, "ttl");
  }

  @Override
  public void open(OpenContext openContext) {
    learnerState = getRuntimeContext().getState(Descriptors.preambleLearner(ttl));
    learnerBytes = getRuntimeContext().getState(Descriptors.preambleLearnerBytes(ttl));
    split =
        IngestMetrics.group(getRuntimeContext().getMetricGroup())
            .counter(IngestMetrics.PREAMBLE_SPLIT);
    versions =
        IngestMetrics.group(getRuntimeContext().getMetricGroup())
            .counter(IngestMetrics.PREAMBLE_VERSIONS);
  }

  @Override
  public void processElement(ProfiledEvent in, Context ctx, Collector<ProfiledEvent> out)
      throws Exception {
    String prompt = in.event().prompt();
    if (prompt == null) {
      out.collect(in); // an embedding without text: nothing to split, nothing to learn
      return;
    }
    PreambleLearner learner = learnerState.value();
    if (learner == null) {
      learner = restoredOrNew();
    }
    PromptSplit s = learner.split(prompt);
    // On the heap backend the learner was changed in place: the update renews its TTL.
    learnerState.update(learner);
    if (s.hasPreamble()) {
      split.inc();
      if (s.newVersion()) {
        versions.inc();
      }
    }
    out.collect(in.withSplit(s));
  }

  /**
   * The account's learner as a savepoint of an earlier release held it (its bytes, under the old
   * state name), which then is cleared; a new learner when there is none.
   */
  private PreambleLearner restoredOrNew() throws Exception {
    byte[] bytes = learnerBytes.value();
    if (bytes == null) {
      return new PreambleLearner();
    }
    learnerBytes.clear();
    return PreambleLearner.fromBytes(bytes);
  }
}
