package io.distillguard.ingest.profile;

import io.distillguard.contract.QueryEvent;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link JoinProfileFunction} and releases every event it still holds once both of its inputs
 * have ended: at the end of bounded inputs and on a drained stop ({@code flink stop --drain}), the
 * two cases in which Flink ends an operator's inputs.
 *
 * <p>Why the end of input and not only the final watermark: the join holds each event until the
 * watermark passes it, and a drained stop is meant to release them with the {@code MAX_WATERMARK}
 * its sources send. But a source that has announced itself idle (no record for {@code
 * watermark.idleness}) drops that final watermark in Flink 2.2 (FLINK-40499), and an idle input is
 * the normal state of the profiles topic and of a quiet events topic. The last seconds of event
 * time (the out-of-orderness) then stayed in the join's state and never reached the sinks, although
 * the job had accepted them and the stop completed. When no more input can come, no profile can
 * come either: the events are joined with the profile they have now, exactly as the final watermark
 * would have joined them.
 *
 * <p>The operator then passes the end of event time on itself, announced active first so that Flink
 * forwards it, for any event-time operator downstream.
 */
public final class JoinProfileOperator
    extends KeyedCoProcessOperator<String, QueryEvent, ProfileUpdate, ProfiledEvent>
    implements BoundedMultiInput {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(JoinProfileOperator.class);

  // Not state: after a restore both inputs are open again.
  private transient boolean eventsEnded;
  private transient boolean profilesEnded;

  public JoinProfileOperator(JoinProfileFunction function) {
    super(function);
  }

  @Override
  public void endInput(int inputId) throws Exception {
    switch (inputId) {
      case 1 -> eventsEnded = true;
      case 2 -> profilesEnded = true;
      default -> throw new IllegalArgumentException("the join has two inputs, not " + inputId);
    }
    if (eventsEnded && profilesEnded) {
      LOG.info("both inputs ended: releasing the events still held for the watermark");
      // Fires every event-time timer: JoinProfileFunction.onTimer releases what it holds.
      getTimeServiceManager()
          .orElseThrow(() -> new IllegalStateException("keyed join without timers"))
          .advanceWatermark(Watermark.MAX_WATERMARK);
      output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
      output.emitWatermark(Watermark.MAX_WATERMARK);
    }
  }
}
