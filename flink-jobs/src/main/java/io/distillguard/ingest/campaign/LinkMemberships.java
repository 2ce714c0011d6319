package io.distillguard.ingest.campaign;

import io.distillguard.campaign.LinkSettings;
import io.distillguard.observe.AccountObservation;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Builds the campaign branch on the observation stream: one {@link LinkSighting} per link key an
 * observation carries, keyed by the key into {@link LinkMembershipFunction}, out come memberships.
 */
public final class LinkMemberships {

  /** Stable operator uids (a redeploy keeps the key tables). */
  public static final String SIGHTINGS_UID = "campaign-link-sightings";

  public static final String MEMBERSHIPS_UID = "campaign-link-memberships";

  private LinkMemberships() {}

  /** The memberships of {@code observations}' link keys under {@code settings}. */
  public static DataStream<LinkMembership> of(
      DataStream<AccountObservation> observations, LinkSettings settings) {
    return observations
        .flatMap(
            (AccountObservation o, org.apache.flink.util.Collector<LinkSighting> out) -> {
              if (o.linkKeys() != null) {
                for (String k : o.linkKeys()) {
                  out.collect(new LinkSighting(k, o.accountId(), o.eventTimeMillis()));
                }
              }
            })
        .returns(TypeInformation.of(LinkSighting.class))
        .uid(SIGHTINGS_UID)
        .name("campaign link sightings")
        .keyBy(LinkSighting::linkKey, Types.STRING)
        .process(new LinkMembershipFunction(settings))
        .returns(TypeInformation.of(LinkMembership.class))
        .uid(MEMBERSHIPS_UID)
        .name("campaign link memberships");
  }
}
