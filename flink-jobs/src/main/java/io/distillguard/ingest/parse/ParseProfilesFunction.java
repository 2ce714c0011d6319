package io.distillguard.ingest.parse;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.Parsed;
import io.distillguard.ingest.Descriptors;
import io.distillguard.ingest.metrics.IngestMetrics;
import io.distillguard.ingest.profile.ProfileUpdate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses and validates one profile record into a {@link ProfileUpdate}; refused lines go to {@link
 * Descriptors#DEAD_LETTERS} with their reason, like {@link ParseEventsFunction}.
 *
 * <p>A tombstone (a Kafka record with a key and no value, how a compacted topic deletes a key)
 * deletes the account's profile, as the topic's semantics say, and is counted ({@value
 * IngestMetrics#PROFILES_DELETED}); a tombstone whose key is not a valid account id is
 * dead-lettered.
 */
public final class ParseProfilesFunction extends ProcessFunction<RawRecord, ProfileUpdate> {

  private final String source;
  private final ContractLimits limits;
  private transient ContractCodec codec;
  private transient Counter deadLettered;
  private transient Counter deleted;

  public ParseProfilesFunction(String source, ContractLimits limits) {
    this.source = source;
    this.limits = limits;
  }

  @Override
  public void open(OpenContext openContext) {
    codec = new ContractCodec(limits);
    MetricGroup metrics = IngestMetrics.group(getRuntimeContext().getMetricGroup());
    deadLettered = metrics.counter(IngestMetrics.DEAD_LETTERED);
    deleted = metrics.counter(IngestMetrics.PROFILES_DELETED);
  }

  @Override
  public void processElement(RawRecord record, Context ctx, Collector<ProfileUpdate> out) {
    if (record.isTombstone()) {
      String problem = record.key() == null ? "no key" : ContractCodec.idProblem(record.key());
      if (problem == null) {
        deleted.inc();
        out.collect(ProfileUpdate.delete(record.key()));
      } else {
        deadLettered.inc();
        ctx.output(
            Descriptors.DEAD_LETTERS,
            new DeadLetter(
                source,
                "tombstone without a valid account id key: " + problem,
                record.key(),
                System.currentTimeMillis()));
      }
      return;
    }
    String line = record.value();
    Parsed<AccountProfile> parsed;
    try {
      parsed = codec.parseProfile(line);
    } catch (RuntimeException e) {
      deadLettered.inc();
      ctx.output(Descriptors.DEAD_LETTERS, ParseFailures.unexpected(source, line, e));
      return;
    }
    if (parsed instanceof Parsed.Ok<AccountProfile> ok) {
      out.collect(ProfileUpdate.replace(ok.value()));
    } else if (parsed instanceof Parsed.Rejected<AccountProfile> rejected) {
      deadLettered.inc();
      ctx.output(
          Descriptors.DEAD_LETTERS, rejected.toDeadLetter(source, System.currentTimeMillis()));
    }
  }
}
