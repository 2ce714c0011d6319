package io.distillguard.ingest.parse;

import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.Parsed;
import io.distillguard.contract.QueryEvent;
import io.distillguard.ingest.Descriptors;
import io.distillguard.ingest.metrics.IngestMetrics;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses and validates one JSON line into a {@link QueryEvent}. A line the contract refuses goes to
 * {@link Descriptors#DEAD_LETTERS} with the codec's reason and the original line; nothing a line
 * contains can fail the job.
 */
public final class ParseEventsFunction extends ProcessFunction<String, QueryEvent> {

  private final String source;
  private final ContractLimits limits;
  private final EventTimeRange eventTimes;
  private transient ContractCodec codec;
  private transient Counter eventsIn;
  private transient Counter deadLettered;

  /**
   * @param source where the lines come from (a file or topic name), recorded in dead letters
   */
  public ParseEventsFunction(String source, ContractLimits limits) {
    this(source, limits, EventTimeRange.DEFAULT);
  }

  /**
   * @param eventTimes events stamped outside this range are dead-lettered as implausible
   */
  public ParseEventsFunction(String source, ContractLimits limits, EventTimeRange eventTimes) {
    this.source = source;
    this.limits = limits;
    this.eventTimes = eventTimes;
  }

  @Override
  public void open(OpenContext openContext) {
    codec = new ContractCodec(limits);
    MetricGroup metrics = IngestMetrics.group(getRuntimeContext().getMetricGroup());
    eventsIn = metrics.counter(IngestMetrics.EVENTS_IN);
    deadLettered = metrics.counter(IngestMetrics.DEAD_LETTERED);
  }

  @Override
  public void processElement(String line, Context ctx, Collector<QueryEvent> out) {
    eventsIn.inc();
    Parsed<QueryEvent> parsed;
    try {
      parsed = codec.parseEvent(line);
    } catch (RuntimeException e) {
      // The codec reports every contract violation as Rejected; anything thrown is a codec defect,
      // which still must not take the stream down with it.
      deadLettered.inc();
      ctx.output(Descriptors.DEAD_LETTERS, ParseFailures.unexpected(source, line, e));
      return;
    }
    if (parsed instanceof Parsed.Ok<QueryEvent> ok) {
      long now = System.currentTimeMillis();
      String implausible = eventTimes.problem(ok.value().timestamp(), now);
      if (implausible != null) {
        deadLettered.inc();
        ctx.output(Descriptors.DEAD_LETTERS, new DeadLetter(source, implausible, line, now));
        return;
      }
      out.collect(ok.value());
    } else if (parsed instanceof Parsed.Rejected<QueryEvent> rejected) {
      deadLettered.inc();
      ctx.output(
          Descriptors.DEAD_LETTERS, rejected.toDeadLetter(source, System.currentTimeMillis()));
    }
  }
}
