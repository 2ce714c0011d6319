package io.distillguard.campaign;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * What two accounts share, and when that makes an edge of {@link CampaignGrouper}: a few keys per
 * link type (the heaviest {@value #KEYS_PER_TYPE} of each), and how many payload bands in all. A
 * pair is an <em>edge</em> once its keys span at least two link kinds whose strongest current
 * weight reaches the minimum, one of them content or registration, and one of its keys says how the
 * accounts came to be or reach the service; it links <em>strongly</em> with a content link and such
 * a key ({@link #isStrong}). Payload near-duplicates count as content only from {@value
 * #MIN_PAYLOAD_BANDS} shared band keys; the sign-up window counts only beside another key of how
 * the accounts came ({@link LinkType#corroboratesOnly()}). Not thread-safe.
 */
final class PairEvidence {

  static final int MAX_PAIR_KEYS = 16;
  static final int KEYS_PER_TYPE = 2;

  /** Payload band keys a pair must share before they count: more than one payload's bands. */
  static final int MIN_PAYLOAD_BANDS = MinHash.PAYLOAD.bands() + 1;

  private final Set<LinkKey> keys = new HashSet<>();
  private final long seq;
  private int payloadBands;

  PairEvidence(long seq) {
    this.seq = seq;
  }

  /**
   * How much the pair's evidence is worth keeping when an account holds too many partners: a key of
   * how the accounts came to be or reach the service (infrastructure, sign-up machinery; not the
   * sign-up window, which only corroborates) counts most, a content link that can make an edge (a
   * scaffold, or payloads beyond one question's bands) next; then the number of facts the pair
   * shares, where the sign-up hour, the three-hour window and the verification latency are one
   * (when the accounts signed up: everyone who signed up in the same hour shares all three, and a
   * provider signs up hundreds an hour), and every other link type one; then the facts' current
   * weights (each its heaviest key's), so that of two pairs sharing one fact each, an address block
   * shared by a few outlasts a sign-up hour shared by many. Pairs of one shared question alone are
   * worth least.
   */
  double strength(ToDoubleFunction<LinkKey> weight) {
    boolean machinery = false;
    boolean content = false;
    Map<LinkType, Double> facts = new EnumMap<>(LinkType.class);
    for (LinkKey k : keys) {
      facts.merge(
          signupTime(k.type()) ? LinkType.SIGNUP_BURST : k.type(),
          Math.min(1.0, weight.applyAsDouble(k)),
          Math::max);
      if (k.type().corroboratesOnly()) {
        continue;
      }
      if (!k.type().describesPurpose()) {
        machinery = true;
      } else if (k.type() == LinkType.SCAFFOLD
          || (k.type() == LinkType.PAYLOAD_MINHASH_BAND && payloadBands >= MIN_PAYLOAD_BANDS)) {
        content = true;
      }
    }
    double weights = 0;
    for (double w : facts.values()) {
      weights += w;
    }
    // Each fact weighs at most 1 and there are fewer facts than link types, so the weights together
    // never outweigh one more fact, nor the facts one more class.
    double perFact = LinkType.values().length + 1.0;
    double perClass = perFact * (LinkType.values().length + 1);
    return ((machinery ? 2 : 0) + (content ? 1 : 0)) * perClass + facts.size() * perFact + weights;
  }

  private static boolean signupTime(LinkType t) {
    return t == LinkType.SIGNUP_BURST
        || t == LinkType.SIGNUP_WINDOW
        || t == LinkType.VERIFY_LATENCY;
  }

  /** The kept keys. */
  Set<LinkKey> keys() {
    return keys;
  }

  /** Payload band keys the pair shared in all (kept or not). */
  int payloadBands() {
    return payloadBands;
  }

  void add(LinkKey key, ToDoubleFunction<LinkKey> weight) {
    if (keys.contains(key)) {
      return;
    }
    if (key.type() == LinkType.PAYLOAD_MINHASH_BAND) {
      payloadBands++;
    }
    // At most KEYS_PER_TYPE keys of one type, the heaviest: the bands of one shared stated use or
    // payload must not crowd out the keys of other types that arrive later.
    LinkKey weakest = null;
    int ofType = 0;
    for (LinkKey k : keys) {
      if (k.type() == key.type()) {
        ofType++;
        if (weakest == null || weight.applyAsDouble(k) < weight.applyAsDouble(weakest)) {
          weakest = k;
        }
      }
    }
    if (ofType >= KEYS_PER_TYPE) {
      if (weight.applyAsDouble(key) <= weight.applyAsDouble(weakest)) {
        return;
      }
      keys.remove(weakest);
    }
    if (keys.size() < MAX_PAIR_KEYS) {
      keys.add(key);
    }
  }

  /** Creation order of the pair (the older of equally weak pairs is trimmed first). */
  long seq() {
    return seq;
  }

  /** Whether a pair's evidence makes an edge (see the class comment). */
  static boolean isEdge(PairEvidence pair, ToDoubleFunction<LinkKey> weight, double minLinkWeight) {
    return isEdge(pair.keys, weight, minLinkWeight, pair.payloadBands);
  }

  /**
   * Whether a pair's evidence links strongly (see {@link #isStrong(Set, ToDoubleFunction,
   * double)}).
   */
  static boolean isStrong(
      PairEvidence pair, ToDoubleFunction<LinkKey> weight, double minLinkWeight) {
    return isStrong(pair.keys, weight, minLinkWeight, pair.payloadBands);
  }

  /**
   * Whether a pair's keys make an edge (see the class comment), given how many payload band keys
   * the pair shared in all.
   */
  static boolean isEdge(
      Set<LinkKey> keys, ToDoubleFunction<LinkKey> weight, double minLinkWeight, int payloadBands) {
    int kinds = linkedKinds(keys, weight, minLinkWeight, payloadBands, false);
    return Integer.bitCount(kinds) >= 2
        && (kinds & ~(1 << LinkKind.INFRASTRUCTURE.ordinal())) != 0
        && linkedKinds(keys, weight, minLinkWeight, payloadBands, true) != 0;
  }

  /**
   * The kinds (bit per ordinal) with a key at the minimum weight or above; with {@code machinery},
   * only keys of how accounts came to be and reach the service ({@link LinkType#describesPurpose()}
   * false). A key that only corroborates ({@link LinkType#corroboratesOnly()}: the sign-up window)
   * counts only when the pair also holds a key of another such type at the minimum weight: the
   * window and a shared question are two common coincidences, the window and a shared address one
   * burst.
   */
  private static int linkedKinds(
      Set<LinkKey> keys,
      ToDoubleFunction<LinkKey> weight,
      double minLinkWeight,
      int payloadBands,
      boolean machinery) {
    boolean corroborated = false;
    for (LinkKey k : keys) {
      if (!k.type().describesPurpose()
          && !k.type().corroboratesOnly()
          && weight.applyAsDouble(k) >= minLinkWeight
          && weight.applyAsDouble(k) > 0) {
        corroborated = true;
        break;
      }
    }
    int kinds = 0;
    for (LinkKey k : keys) {
      int bit = 1 << k.kind().ordinal();
      if ((kinds & bit) != 0
          || (machinery && k.type().describesPurpose())
          || (k.type().corroboratesOnly() && !corroborated)
          || (k.type() == LinkType.PAYLOAD_MINHASH_BAND && payloadBands < MIN_PAYLOAD_BANDS)) {
        continue;
      }
      double w = weight.applyAsDouble(k);
      if (w >= minLinkWeight && w > 0) {
        kinds |= bit;
      }
    }
    return kinds;
  }

  /**
   * Whether a pair's keys link strongly: a content link together with an infrastructure or
   * registration link of how the accounts came to be (not their stated use: see {@link
   * LinkType#describesPurpose()}), which flags a fresh account joining a confirmed campaign at
   * once; payload bands count as content only from {@link #MIN_PAYLOAD_BANDS} shared band keys.
   */
  static boolean isStrong(
      Set<LinkKey> keys, ToDoubleFunction<LinkKey> weight, double minLinkWeight, int payloadBands) {
    int kinds = linkedKinds(keys, weight, minLinkWeight, payloadBands, false);
    return (kinds & (1 << LinkKind.CONTENT.ordinal())) != 0
        && linkedKinds(keys, weight, minLinkWeight, payloadBands, true) != 0;
  }
}
