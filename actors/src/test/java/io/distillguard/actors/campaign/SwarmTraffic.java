package io.distillguard.actors.campaign;

import io.distillguard.actors.TestFixtures;
import io.distillguard.campaign.LinkHasher;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.LinkType;
import io.distillguard.observe.AccountObservation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Observations as the ingest job emits them (hashed link keys attached), for a swarm that splits a
 * sweep of the taxonomy between its members through one prompt scaffold, and for a NAT organisation
 * whose members share an IP, a user agent and a sign-up burst but each ask about their own topic.
 * The same two crowds as the rules' {@code CampaignDetectorTest}, reduced to their link keys. The
 * launcher's campaign tests feed the same swarm ({@link #swarm(long, int, int, int, String,
 * String)}), through this module's test jar.
 */
public final class SwarmTraffic {

  static final LinkHasher HASHER = LinkHasher.localDefault();
  static final List<String> CATEGORIES = TestFixtures.CATEGORIES;

  /** A day after {@link TestFixtures#T0}: traffic that follows within the link TTL. */
  static final long T1 = TestFixtures.T0 + 86_400_000L;

  /** The swarm's link keys: its scaffold, a /24 of four addresses, a user agent, a sign-up hour. */
  static List<String> swarmKeys(int m) {
    return keys("Practice item for the study bank: %s", "203.0.113.", m, 493_000);
  }

  /** Another operation's keys of the same shape (its own scaffold, addresses, sign-up hour). */
  static List<String> twinKeys(int m) {
    return keys("Drill card number %s for the exam deck", "192.0.2.", m, 493_100);
  }

  private static List<String> keys(String scaffold, String net, int m, int signupHour) {
    return keys(scaffold, net + (10 + m % 4), "Mozilla/5.0 (X11; Linux) sb/1.2", signupHour);
  }

  /** A scaffold, an address, a user agent (none when null) and a sign-up hour, in that order. */
  private static List<String> keys(String scaffold, String ip, String userAgent, long signupHour) {
    List<String> keys = new ArrayList<>();
    keys.add(HASHER.key(LinkType.SCAFFOLD, scaffold).wire());
    keys.add(HASHER.key(LinkType.IP, ip).wire());
    if (userAgent != null) {
      keys.add(HASHER.key(LinkType.USER_AGENT, userAgent).wire());
    }
    keys.add(signupKey(signupHour));
    return List.copyOf(keys);
  }

  private SwarmTraffic() {}

  // The sign-up time each SIGNUP_BURST key was derived from: the ingest job carries the profile's
  // created_at on every observation next to the hashed key, so the observations here do too.
  private static final Map<String, Long> SIGNUP_OF_KEY = new ConcurrentHashMap<>();

  /** The sign-up key of hour {@code hour} (hours since the epoch), remembering its time. */
  private static String signupKey(long hour) {
    String wire = HASHER.key(LinkType.SIGNUP_BURST, "h" + hour).wire();
    SIGNUP_OF_KEY.put(wire, hour * 3_600_000L);
    return wire;
  }

  /** Member m asks the categories whose index is m modulo the member count: each narrow. */
  public static List<AccountObservation> swarm(String prefix, int members, int queriesEach) {
    List<AccountObservation> out = new ArrayList<>();
    for (int m = 0; m < members; m++) {
      out.addAll(member(prefix, m, members, queriesEach, TestFixtures.T0));
    }
    out.sort(Comparator.comparingLong(AccountObservation::eventTimeMillis));
    return out;
  }

  /**
   * A swarm as the launcher's campaign tests feed it: member m is account {@code swarm-<m>} with
   * API key {@code apiKeyPrefix + m}, starting at {@code t0}; the members share the swarm's
   * scaffold and sign-up hour, {@code ips} addresses round robin and, when {@code userAgent} is not
   * null, that user agent. Sorted by event time.
   */
  public static List<AccountObservation> swarm(
      long t0, int members, int queriesEach, int ips, String userAgent, String apiKeyPrefix) {
    List<AccountObservation> out = new ArrayList<>();
    for (int m = 0; m < members; m++) {
      List<String> keys =
          keys(
              "Practice item for the study bank: %s",
              "203.0.113." + (10 + m % ips), userAgent, 493_000);
      out.addAll(
          memberWith("swarm-" + m, apiKeyPrefix + m, m, members, queriesEach, t0, "e", keys));
    }
    out.sort(Comparator.comparingLong(AccountObservation::eventTimeMillis));
    return out;
  }

  /** Member m of a swarm of {@code members} (its slice), from {@code startMillis} on. */
  public static List<AccountObservation> member(
      String prefix, int m, int members, int queriesEach, long startMillis) {
    return memberNamed(prefix + m, m, members, queriesEach, startMillis);
  }

  /** Member m of a swarm, as account {@code accountId} (event ids {@code accountId-e<q>}). */
  public static List<AccountObservation> memberNamed(
      String accountId, int m, int members, int queriesEach, long startMillis) {
    return memberWith(accountId, m, members, queriesEach, startMillis, "e", swarmKeys(m));
  }

  /**
   * Member m's slice as account {@code accountId} carrying {@code keys}, event ids {@code
   * accountId-<tag><q>} (a later batch of the same account takes another tag).
   */
  static List<AccountObservation> memberWith(
      String accountId,
      int m,
      int members,
      int queriesEach,
      long startMillis,
      String tag,
      List<String> keys) {
    return memberWith(
        accountId, "key-" + accountId, m, members, queriesEach, startMillis, tag, keys);
  }

  private static List<AccountObservation> memberWith(
      String accountId,
      String apiKeyId,
      int m,
      int members,
      int queriesEach,
      long startMillis,
      String tag,
      List<String> keys) {
    List<String> slice = new ArrayList<>();
    for (int c = m % members; c < CATEGORIES.size(); c += members) {
      slice.add(CATEGORIES.get(c));
    }
    List<AccountObservation> out = new ArrayList<>();
    for (int q = 0; q < queriesEach; q++) {
      out.add(
          observation(
              accountId + "-" + tag + q,
              accountId,
              apiKeyId,
              startMillis + q * 60_000L + m * 1_000L,
              slice.get(q % slice.size()),
              keys));
    }
    return out;
  }

  /**
   * The two crowds side by side, in event time: the swarm of eight members {@code swarm-<m>} and
   * the NAT organisation {@code nat-<i>}, twelve queries each.
   */
  public static List<AccountObservation> swarmBesideNatOrganisation() {
    List<AccountObservation> out = new ArrayList<>(swarm("swarm-", 8, 12));
    out.addAll(natOrganisation("nat-", 12));
    out.sort(Comparator.comparingLong(AccountObservation::eventTimeMillis));
    return out;
  }

  /** Ten accounts behind one NAT, onboarded within the hour, each with its own single topic. */
  public static List<AccountObservation> natOrganisation(String prefix, int queriesEach) {
    List<AccountObservation> out = new ArrayList<>();
    List<String> keys =
        List.of(
            HASHER.key(LinkType.IP, "198.51.100.80").wire(),
            HASHER.key(LinkType.USER_AGENT, "Mozilla/5.0 (Windows NT 10.0) Chrome/131.0").wire(),
            signupKey(492_880));
    for (int i = 0; i < 10; i++) {
      for (int q = 0; q < queriesEach; q++) {
        out.add(
            observation(
                prefix + i + "-e" + q,
                prefix + i,
                TestFixtures.T0 + q * 60_000L + i * 1_000L + 500L,
                CATEGORIES.get(i),
                keys));
      }
    }
    out.sort(Comparator.comparingLong(AccountObservation::eventTimeMillis));
    return out;
  }

  /**
   * Accounts {@code prefix<i>} of declared organisation {@code org}, each with its own address and
   * sign-up hour (linked to no one) and a stated use that expects one category of its own; when
   * {@code sweeping}, each asks round the whole taxonomy (the organisation, as one principal,
   * sweeps far beyond its stated uses), else only its own category. {@code queriesEach} a minute
   * apart, sorted by event time.
   */
  public static List<AccountObservation> declaredOrganisation(
      String prefix, String org, int members, int queriesEach, boolean sweeping, long t0) {
    return declaredOrganisation(prefix, org, members, queriesEach, sweeping, t0, null);
  }

  /**
   * {@link #declaredOrganisation(String, String, int, int, boolean, long)} whose accounts all wrap
   * their queries in {@code harness} (a prompt scaffold; null: none).
   */
  public static List<AccountObservation> declaredOrganisation(
      String prefix,
      String org,
      int members,
      int queriesEach,
      boolean sweeping,
      long t0,
      String harness) {
    List<AccountObservation> out = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      String account = prefix + i;
      float[] shares = new float[CATEGORIES.size()];
      java.util.Arrays.fill(shares, 0.1f / (CATEGORIES.size() - 1));
      shares[i % CATEGORIES.size()] = 0.9f;
      List<String> keys = new ArrayList<>();
      keys.add(HASHER.key(LinkType.IP, "100.64." + (org.hashCode() & 0xff) + "." + i).wire());
      keys.add(signupKey(480_000 + 24L * i + (org.hashCode() & 0x3ff)));
      if (harness != null) {
        keys.add(HASHER.key(LinkType.SCAFFOLD, harness).wire());
      }
      for (int q = 0; q < queriesEach; q++) {
        String category =
            sweeping ? CATEGORIES.get((i + q) % CATEGORIES.size()) : CATEGORIES.get(i);
        out.add(
            observation(
                account + "-e" + q,
                account,
                t0 + q * 60_000L + i * 1_000L,
                category,
                keys,
                org,
                shares));
      }
    }
    out.sort(Comparator.comparingLong(AccountObservation::eventTimeMillis));
    return out;
  }

  /** {@code o} as sent by an account that declares organisation {@code orgId} (null: none). */
  static AccountObservation declaring(AccountObservation o, String orgId) {
    return observation(
        o.eventId(),
        o.accountId(),
        o.eventTimeMillis(),
        o.category(),
        List.of(o.linkKeys()),
        orgId,
        o.statedUseCategoryShares());
  }

  /**
   * A fresh account of its own: its own scaffold, address, user agent and sign-up hour, asking the
   * whole taxonomy like a swarm member would, but linked to no one.
   */
  static List<AccountObservation> loner(String account, int queries, long startMillis) {
    List<String> keys =
        List.of(
            HASHER.key(LinkType.SCAFFOLD, "My own homework helper: %s").wire(),
            HASHER.key(LinkType.IP, "192.0.2.77").wire(),
            HASHER.key(LinkType.USER_AGENT, "curl/8.5.0").wire(),
            signupKey(493_500));
    List<AccountObservation> out = new ArrayList<>();
    for (int q = 0; q < queries; q++) {
      out.add(
          observation(
              account + "-e" + q,
              account,
              startMillis + q * 60_000L,
              CATEGORIES.get(q % CATEGORIES.size()),
              keys));
    }
    return out;
  }

  static AccountObservation observation(
      String eventId, String accountId, long at, String category, List<String> keys) {
    return observation(eventId, accountId, "key-" + accountId, at, category, keys, null, null);
  }

  /**
   * {@link #observation(String, String, long, String, List)} of an account in organisation {@code
   * orgId} whose stated use expects {@code statedUseShares} (either may be null).
   */
  static AccountObservation observation(
      String eventId,
      String accountId,
      long at,
      String category,
      List<String> keys,
      String orgId,
      float[] statedUseShares) {
    return observation(
        eventId, accountId, "key-" + accountId, at, category, keys, orgId, statedUseShares);
  }

  private static AccountObservation observation(
      String eventId,
      String accountId,
      String apiKeyId,
      long at,
      String category,
      List<String> keys) {
    return observation(eventId, accountId, apiKeyId, at, category, keys, null, null);
  }

  /**
   * One observation as the ingest job emits it: the link keys hashed, the address behind the IP key
   * and the sign-up time behind the SIGNUP_BURST key beside them.
   */
  private static AccountObservation observation(
      String eventId,
      String accountId,
      String apiKeyId,
      long at,
      String category,
      List<String> keys,
      String orgId,
      float[] statedUseShares) {
    Long signup = null;
    for (String k : keys) {
      signup = SIGNUP_OF_KEY.getOrDefault(k, signup);
    }
    String ip = null;
    for (String k : keys) {
      if (LinkKey.parse(k).type() == LinkType.IP) {
        ip = LinkKey.parse(k).value();
      }
    }
    return new AccountObservation(
            eventId,
            accountId,
            at,
            category,
            0.8f,
            0.1f,
            eventId.hashCode() * 0x9E3779B97F4A7C15L,
            eventId.hashCode(),
            120,
            40,
            200,
            1.2,
            apiKeyId,
            ip,
            null,
            orgId,
            null,
            statedUseShares,
            null,
            null,
            null)
        .withLinkKeys(keys.toArray(String[]::new), ip)
        .withSignupMillis(signup);
  }
}
