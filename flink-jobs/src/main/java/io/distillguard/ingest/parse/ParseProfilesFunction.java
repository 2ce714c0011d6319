package io.distillguard.ingest.parse;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.Parsed;
import io.distillguard.ingest.Descriptors;
import io.distillguard.ingest.metrics.IngestMetrics;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses and validates one JSON line into an {@link AccountProfile}; refused lines go to {@link
 * Descriptors#DEAD_LETTERS} with their reason, like {@link ParseEventsFunction}.
 */
public final class ParseProfilesFunction extends ProcessFunction<String, AccountProfile> {

  private final String source;
  private final ContractLimits limits;
  private transient ContractCodec codec;
  private transient Counter deadLettered;

  public ParseProfilesFunction(String source, ContractLimits limits) {
    this.source = source;
    this.limits = limits;
  }

  @Override
  public void open(OpenContext openContext) {
    codec = new ContractCodec(limits);
    deadLettered =
        IngestMetrics.group(getRuntimeContext().getMetricGroup())
            .counter(IngestMetrics.DEAD_LETTERED);
  }

  @Override
  public void processElement(String line, Context ctx, Collector<AccountProfile> out) {
    Parsed<AccountProfile> parsed;
    try {
      parsed = codec.parseProfile(line);
    } catch (RuntimeException e) {
      deadLettered.inc();
      ctx.output(Descriptors.DEAD_LETTERS, ParseFailures.unexpected(source, line, e));
      return;
    }
    if (parsed instanceof Parsed.Ok<AccountProfile> ok) {
      out.collect(ok.value());
    } else if (parsed instanceof Parsed.Rejected<AccountProfile> rejected) {
      deadLettered.inc();
      ctx.output(
          Descriptors.DEAD_LETTERS, rejected.toDeadLetter(source, System.currentTimeMillis()));
    }
  }
}
