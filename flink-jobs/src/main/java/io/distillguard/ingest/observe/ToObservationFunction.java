package io.distillguard.ingest.observe;

import io.distillguard.ingest.enrich.EnrichedQuery;
import io.distillguard.ingest.metrics.IngestMetrics;
import io.distillguard.observe.AccountObservation;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Takes the {@link AccountObservation} out of a processed query for the observation channel and
 * counts it ({@link IngestMetrics#OBSERVATIONS_OUT}).
 */
public final class ToObservationFunction
    extends RichMapFunction<EnrichedQuery, AccountObservation> {

  private transient Counter observationsOut;

  @Override
  public void open(OpenContext openContext) {
    observationsOut =
        IngestMetrics.group(getRuntimeContext().getMetricGroup())
            .counter(IngestMetrics.OBSERVATIONS_OUT);
  }

  @Override
  public AccountObservation map(EnrichedQuery query) {
    observationsOut.inc();
    return query.observation();
  }
}
