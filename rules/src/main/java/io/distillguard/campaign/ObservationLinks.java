package io.distillguard.campaign;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.observe.AccountObservation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Carries campaign link keys on an {@link AccountObservation}: what the ingest job's enrich step
 * adds (the query's infrastructure and content keys, the profile's registration keys) and what the
 * actor side reads back. The observation's client IP is replaced by its keyed hash, so no raw IP
 * travels past the job.
 */
public final class ObservationLinks {

  private ObservationLinks() {}

  /** {@code o} with the link keys of {@code event} and {@code profileOrNull}. */
  public static AccountObservation attach(
      AccountObservation o, QueryEvent event, AccountProfile profileOrNull, LinkExtractor x) {
    List<LinkKey> keys = new ArrayList<>(x.fromQuery(event));
    if (profileOrNull != null) {
      keys.addAll(x.fromProfile(profileOrNull));
    }
    String hashedIp = null;
    String[] wire = new String[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      LinkKey k = keys.get(i);
      wire[i] = k.wire();
      if (k.type() == LinkType.IP) {
        hashedIp = k.value();
      }
    }
    return o.withLinkKeys(wire, hashedIp);
  }

  /** The link keys an observation carries (empty when none; unreadable entries are skipped). */
  public static List<LinkKey> keys(AccountObservation o) {
    if (o.linkKeys() == null) {
      return List.of();
    }
    List<LinkKey> out = new ArrayList<>(o.linkKeys().length);
    for (String w : o.linkKeys()) {
      try {
        out.add(LinkKey.parse(w));
      } catch (IllegalArgumentException e) {
        // A key type from a newer job: not evidence this reader can weigh.
      }
    }
    return out;
  }

  /**
   * The categories an observation's stated use makes likely: it carries the stated use as expected
   * shares in taxonomy order, and a category is expected from half the uniform share up (the
   * account signals' rule). Empty without shares or when they do not match {@code categories}.
   */
  public static Set<String> expectedCategories(AccountObservation o, List<String> categories) {
    float[] shares = o.statedUseCategoryShares();
    Set<String> expected = new HashSet<>();
    if (shares != null && shares.length == categories.size()) {
      for (int i = 0; i < shares.length; i++) {
        if (shares[i] >= 0.5 / shares.length) {
          expected.add(categories.get(i));
        }
      }
    }
    return expected;
  }
}
