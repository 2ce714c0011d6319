package io.distillguard.actors.metrics;

import io.distillguard.actors.account.AccountIndex;
import io.distillguard.actors.escalation.CampaignEffectsProjection;
import io.distillguard.actors.escalation.Delivery;
import io.distillguard.actors.escalation.EffectsProjection;
import io.distillguard.actors.escalation.JournalTail;
import io.distillguard.actors.escalation.MemberFlags;
import io.distillguard.actors.escalation.Outbox;
import io.distillguard.actors.escalation.WebhookDispatcher;
import java.util.List;

/** Connects the {@link ServiceMetrics} to the parts of a node that feed them. */
public final class ServiceMetricsWiring {

  private ServiceMetricsWiring() {}

  /**
   * Metrics over {@code index} and {@code outbox} (read per scrape), counting the decisions {@code
   * projection} commits and the deliveries {@code dispatcher} settles (null: this node delivers
   * nothing), with how far both effects projections are behind the journal and the campaign flags
   * waiting for their members ({@code memberFlags}).
   */
  public static ServiceMetrics wire(
      AccountIndex index,
      Outbox outbox,
      EffectsProjection projection,
      CampaignEffectsProjection campaignProjection,
      MemberFlags memberFlags,
      WebhookDispatcher dispatcher) {
    ServiceMetrics metrics = new ServiceMetrics(index::counts, outbox::counts);
    projection.onLevelChanged(e -> metrics.levelChanged(e.to(), e.decision().reasons()));
    for (JournalTail tail : List.of(projection.tail(), campaignProjection.tail())) {
      metrics.projection(tail.name(), tail::lag, tail::failures);
    }
    metrics.memberFlags(memberFlags::pending);
    if (dispatcher != null) {
      dispatcher.listen(
          new WebhookDispatcher.Listener() {
            @Override
            public void delivered(Delivery d, long nowMillis) {
              metrics.delivered(d, nowMillis);
            }

            @Override
            public void exhausted(Delivery d) {
              metrics.exhausted();
            }
          });
    }
    return metrics;
  }
}
