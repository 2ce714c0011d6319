package io.distillguard.campaign;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.observe.AccountObservation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * {@link #attach} with the keys of recent inputs kept: an account's profile and client give the
   * same registration and infrastructure keys with each of its queries, and a resent prompt the
   * same content keys, so each distinct input is hashed (keyed HMACs, MinHash bands) once while it
   * stays among the most recent {@code capacity} of its kind. The keys are those {@link #attach}
   * gives, in the same order, bit for bit. Not thread-safe: one per operator instance.
   */
  public static final class Memo {
    private final LinkExtractor x;
    private final Lru<AccountProfile, Keys> profiles;
    private final Lru<List<String>, Keys> clients;
    private final Lru<String, Keys> prompts;

    public Memo(LinkExtractor x, int capacity) {
      this.x = x;
      this.profiles = new Lru<>(capacity);
      this.clients = new Lru<>(capacity);
      this.prompts = new Lru<>(capacity);
    }

    /**
     * {@code o} with the link keys of {@code event} and {@code profileOrNull}, as {@link #attach}.
     */
    public AccountObservation attach(
        AccountObservation o, QueryEvent event, AccountProfile profileOrNull) {
      String ip = event.client() == null ? null : event.client().ip();
      String userAgent = event.client() == null ? null : event.client().userAgent();
      Keys client =
          clients.computeIfAbsent(
              Arrays.asList(ip, userAgent, event.apiKeyId()),
              k -> Keys.of(x.infrastructure(ip, userAgent, event.apiKeyId())));
      Keys content =
          event.prompt() == null
              ? Keys.of(x.content(null))
              : prompts.computeIfAbsent(event.prompt(), p -> Keys.of(x.content(p)));
      Keys profile =
          profileOrNull == null
              ? Keys.NONE
              : profiles.computeIfAbsent(profileOrNull, p -> Keys.of(x.fromProfile(p)));
      String[] wire = new String[client.wire.length + content.wire.length + profile.wire.length];
      System.arraycopy(client.wire, 0, wire, 0, client.wire.length);
      System.arraycopy(content.wire, 0, wire, client.wire.length, content.wire.length);
      System.arraycopy(
          profile.wire, 0, wire, client.wire.length + content.wire.length, profile.wire.length);
      // The hashed IP is the last IP key (only a client has one).
      String hashedIp =
          profile.hashedIp != null
              ? profile.hashedIp
              : content.hashedIp != null ? content.hashedIp : client.hashedIp;
      return o.withLinkKeys(wire, hashedIp);
    }
  }

  /** Keys as they travel: their wire form, and the value of the last IP key among them. */
  private record Keys(String[] wire, String hashedIp) {
    static final Keys NONE = new Keys(new String[0], null);

    static Keys of(List<LinkKey> keys) {
      String hashedIp = null;
      String[] wire = new String[keys.size()];
      for (int i = 0; i < wire.length; i++) {
        LinkKey k = keys.get(i);
        wire[i] = k.wire();
        if (k.type() == LinkType.IP) {
          hashedIp = k.value();
        }
      }
      return new Keys(wire, hashedIp);
    }
  }

  /** A map of at most {@code capacity} entries, the least recently used leaving first. */
  private static final class Lru<K, V> extends LinkedHashMap<K, V> {
    private final int capacity;

    Lru(int capacity) {
      super(16, 0.75f, true);
      this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
      return size() > capacity;
    }
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
