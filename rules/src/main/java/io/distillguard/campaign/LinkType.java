package io.distillguard.campaign;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@link LinkKey} was derived from, with its {@link LinkKind} and base weight (the weight of
 * the link when the key is rare; {@link KeyMembers#weight} lowers it as more accounts share the
 * key). The wire name (snake_case) appears in webhooks, the HTTP API and link-key strings.
 */
public enum LinkType {
  /** The client IP of a query (hashed; may already be hashed upstream). */
  IP(LinkKind.INFRASTRUCTURE, 0.9),
  /** The client IP's /24 (IPv4) or /64 (IPv6) prefix. */
  IP_PREFIX(LinkKind.INFRASTRUCTURE, 0.6),
  /**
   * The client's user agent, trimmed and lower-cased. A weak link (base weight 0.3): it counts only
   * while very few accounts share it, since SDKs and HTTP libraries send the same one.
   */
  USER_AGENT(LinkKind.INFRASTRUCTURE, 0.3),
  /** The API key id with its digit and hex runs masked: keys minted by one script share it. */
  API_KEY_PATTERN(LinkKind.INFRASTRUCTURE, 0.3),
  /** The hour (and the hour shifted by 30 minutes) the account was created in. */
  SIGNUP_BURST(LinkKind.REGISTRATION, 0.6),
  /**
   * The three-hour window (and the same shifted by half) the account was created in: a burst spread
   * over an hour or two. Everyone who signs up in those hours shares it, a campus in its first week
   * of term as much as a campaign's sign-up machinery, so it only corroborates: it counts towards
   * an edge only beside a key of another type of how the two accounts came to be or reach the
   * service ({@link #corroboratesOnly()}).
   */
  SIGNUP_WINDOW(LinkKind.REGISTRATION, 0.6),
  /**
   * The three-hour sign-up window (and the same shifted by half) together with an address block
   * ({@link #IP_PREFIX}) the account's queries come from: accounts opened in one burst that reach
   * the service from one block. A provider signs up hundreds of accounts an hour, so the window
   * alone is shared by hundreds; within one block it is shared only by those of the block that
   * signed up in those hours, and its weight says how rare that is. Derived by the detector from
   * the account's sign-up time and the block keys of its queries ({@link
   * LinkExtractor#signupBlock}); it lives as long as the account queries from the block.
   */
  SIGNUP_BLOCK(LinkKind.REGISTRATION, 0.8),
  /** The sign-up hour together with the minutes from creation to verification (log buckets). */
  VERIFY_LATENCY(LinkKind.REGISTRATION, 0.5),
  /** A MinHash band of the stated use's words: templated stated uses share bands. */
  STATED_USE_TEMPLATE(LinkKind.REGISTRATION, 0.7),
  /** The optional profile field {@code signup_ip}. */
  SIGNUP_IP(LinkKind.REGISTRATION, 0.9),
  /** The optional profile field {@code payment_fingerprint}. */
  PAYMENT_FINGERPRINT(LinkKind.REGISTRATION, 1.0),
  /** The optional profile field {@code email_domain}. */
  EMAIL_DOMAIN(LinkKind.REGISTRATION, 0.5),
  /** The account's dominant prompt scaffold ({@code TemplateFingerprint}, payload masked). */
  SCAFFOLD(LinkKind.CONTENT, 1.0),
  /** One MinHash band of a prompt's word shingles: near-duplicate payloads share bands. */
  PAYLOAD_MINHASH_BAND(LinkKind.CONTENT, 0.8);

  private final LinkKind kind;
  private final double baseWeight;

  LinkType(LinkKind kind, double baseWeight) {
    this.kind = kind;
    this.baseWeight = baseWeight;
  }

  public LinkKind kind() {
    return kind;
  }

  /** The weight of a link through a key of this type that very few accounts share (0..1). */
  public double baseWeight() {
    return baseWeight;
  }

  /**
   * Whether the key says what an account is for (its stated use, prompt scaffold, payloads) rather
   * than how it came to be and reaches the service (infrastructure, sign-up machinery). Apps built
   * for the same purpose share these without coordination, so they never make an edge on their own
   * ({@link CampaignGrouper#isEdge}).
   */
  public boolean describesPurpose() {
    return this == STATED_USE_TEMPLATE || this == SCAFFOLD || this == PAYLOAD_MINHASH_BAND;
  }

  /**
   * Whether a key of this type is evidence only beside another key of how the accounts came to be
   * or reach the service ({@link PairEvidence#isEdge}): two accounts that signed up within the same
   * three hours and asked the same questions are a coincidence of two common things (a campus
   * signing up over a week next to a campaign's sign-up burst, two campaigns sweeping one dataset),
   * not a link; with a shared address or card beside it, the window says the two came in one burst.
   * Such a key never ties a group for a join by one edge either ({@link JoinRule}).
   */
  public boolean corroboratesOnly() {
    return this == SIGNUP_WINDOW;
  }

  /** The snake_case name used on the wire, e.g. {@code ip_prefix}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  private static final Map<String, LinkType> BY_WIRE_NAME = new HashMap<>();

  static {
    for (LinkType t : values()) {
      BY_WIRE_NAME.put(t.wireName(), t);
    }
  }

  /**
   * The type with this wire name (any case; every link key read back from an observation names one,
   * so the lower-case names are looked up before anything is upper-cased).
   */
  public static LinkType ofWireName(String name) {
    LinkType t = BY_WIRE_NAME.get(name);
    return t != null ? t : valueOf(name.toUpperCase(Locale.ROOT));
  }
}
