package io.distillguard.campaign;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How link keys are tracked and weighed (the {@code campaign_rules.links} section of the policy).
 *
 * @param ttl a member not seen on a key for this long (event time) leaves the key
 * @param maxMembersPerKey members a key keeps at most (the least recently seen leaves first); the
 *     key's account count goes on in a fixed-size sketch, so memory per key is bounded
 * @param minLinkWeight a link counts towards a group only at this weight or above (0..1)
 * @param stopWordAccounts per kind: a key shared by this many accounts is a stop-word (weight 0,
 *     members dropped, only the count kept): a cloud NAT, a popular SDK's user agent
 */
public record LinkSettings(
    Duration ttl,
    int maxMembersPerKey,
    double minLinkWeight,
    Map<LinkKind, Integer> stopWordAccounts)
    implements java.io.Serializable {

  /** The defaults: 7 days, 256 members, weight 0.25, stop-words at 1,000 / 5,000 / 20,000. */
  public static final LinkSettings DEFAULT =
      new LinkSettings(
          Duration.ofDays(7),
          256,
          0.25,
          Map.of(
              LinkKind.INFRASTRUCTURE, 1000, LinkKind.REGISTRATION, 5000, LinkKind.CONTENT, 20000));

  public LinkSettings {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    if (maxMembersPerKey < 2) {
      throw new IllegalArgumentException("max_members_per_key must be at least 2");
    }
    if (minLinkWeight < 0 || minLinkWeight > 1) {
      throw new IllegalArgumentException("min_link_weight must be in 0..1");
    }
    EnumMap<LinkKind, Integer> stops = new EnumMap<>(LinkKind.class);
    for (LinkKind k : LinkKind.values()) {
      Integer v = stopWordAccounts.get(k);
      if (v == null || v < 3) {
        throw new IllegalArgumentException("stop_word_accounts." + k + " must be at least 3");
      }
      stops.put(k, v);
    }
    stopWordAccounts = Map.copyOf(stops);
  }

  /** Accounts at which a key of this kind becomes a stop-word. */
  public int stopWordAccounts(LinkKind kind) {
    return stopWordAccounts.get(kind);
  }

  /**
   * The weight of a key of {@code type} shared by {@code accounts} accounts: its base weight for
   * two accounts, falling with the logarithm of the count to 0 at the kind's stop-word count
   * (IDF-like: a key shared by thousands says almost nothing).
   */
  public double weight(LinkType type, double accounts) {
    double stop = stopWordAccounts(type.kind());
    if (accounts >= stop) {
      return 0.0;
    }
    double rarity = accounts <= 2 ? 1.0 : 1.0 - Math.log(accounts / 2.0) / Math.log(stop / 2.0);
    return type.baseWeight() * Math.max(0.0, rarity);
  }
}
