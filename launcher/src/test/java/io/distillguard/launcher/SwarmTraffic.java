package io.distillguard.launcher;

import io.distillguard.campaign.LinkHasher;
import io.distillguard.campaign.LinkType;
import io.distillguard.observe.AccountObservation;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The coordinated traffic the launcher's campaign ITs feed the actor side. */
final class SwarmTraffic {

  private SwarmTraffic() {}

  /**
   * A swarm: member {@code m} ({@code swarm-m}) asks the categories whose index is m modulo the
   * member count, one query a minute from {@code t0}; every member shares one scaffold and one
   * signup burst, members share {@code ips} addresses round robin, and with a {@code userAgent}
   * every member also shares it. Sorted by event time.
   */
  static List<AccountObservation> swarm(
      long t0, int members, int queriesEach, int ips, String userAgent, String apiKeyPrefix) {
    LinkHasher hasher = LinkHasher.localDefault();
    List<String> categories = CapabilityTaxonomy.loadDefault().names();
    List<AccountObservation> out = new ArrayList<>();
    for (int m = 0; m < members; m++) {
      List<String> slice = new ArrayList<>();
      for (int c = m; c < categories.size(); c += members) {
        slice.add(categories.get(c));
      }
      String ip = hasher.key(LinkType.IP, "203.0.113." + (10 + m % ips)).value();
      List<String> keys = new ArrayList<>();
      keys.add(hasher.key(LinkType.SCAFFOLD, "Practice item for the study bank: %s").wire());
      keys.add(hasher.key(LinkType.IP, "203.0.113." + (10 + m % ips)).wire());
      if (userAgent != null) {
        keys.add(hasher.key(LinkType.USER_AGENT, userAgent).wire());
      }
      keys.add(hasher.key(LinkType.SIGNUP_BURST, "h493000").wire());
      for (int q = 0; q < queriesEach; q++) {
        String id = "swarm-" + m + "-e" + q;
        out.add(
            new AccountObservation(
                    id,
                    "swarm-" + m,
                    t0 + q * 60_000L + m * 1_000L,
                    slice.get(q % slice.size()),
                    0.8f,
                    0.1f,
                    id.hashCode() * 0x9E3779B97F4A7C15L,
                    id.hashCode(),
                    120,
                    40,
                    200,
                    1.2,
                    apiKeyPrefix + m,
                    ip,
                    null,
                    null,
                    null,
                    null)
                .withLinkKeys(keys.toArray(String[]::new), ip)
                // The sign-up time behind the SIGNUP_BURST key, as the ingest job carries it.
                .withSignupMillis(493_000L * 3_600_000L));
      }
    }
    out.sort(Comparator.comparingLong(AccountObservation::eventTimeMillis));
    return out;
  }
}
