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
 * a restore from a checkpoint splits the same way.
 */
public final class SplitPreambleFunction
    extends KeyedProcessFunction<String, ProfiledEvent, ProfiledEvent> {

  private final Duration ttl;
  private transient ValueState<byte[]> learnerState;
  private transient Counter split;
  private transient Counter versions;

  public SplitPreambleFunction(Duration ttl) {
    this.ttl = Objects.requireNonNull(ttl, "ttl");
  }

  @Override
  public void open(OpenContext openContext) {
    learnerState = getRuntimeContext().getState(Descriptors.preambleLearner(ttl));
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
    PreambleLearner learner = PreambleLearner.fromBytes(learnerState.value());
    PromptSplit s = learner.split(prompt);
    learnerState.update(learner.toBytes());
    if (s.hasPreamble()) {
      split.inc();
      if (s.newVersion()) {
        versions.inc();
      }
    }
    out.collect(in.withSplit(s));
  }
}
