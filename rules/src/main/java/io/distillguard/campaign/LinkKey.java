package io.distillguard.campaign;

import java.util.Objects;

/**
 * One piece of link evidence: a type and a keyed hash of the raw value (16 hex digits, see {@link
 * LinkHasher}). Raw values (IPs, user agents, payment fingerprints) never appear in a key, so link
 * keys may be stored, journaled and shown in webhooks.
 *
 * @param type what the key was derived from (its {@link LinkKind} follows)
 * @param value the keyed hash of the raw value
 */
public record LinkKey(LinkType type, String value) implements Comparable<LinkKey> {
  public LinkKey {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }

  public LinkKind kind() {
    return type.kind();
  }

  /** {@code type:value}, e.g. {@code ip_prefix:3f9a0c1d22b4e871}; read back with {@link #parse}. */
  public String wire() {
    return type.wireName() + ":" + value;
  }

  /** The key written by {@link #wire()}. */
  public static LinkKey parse(String wire) {
    int colon = wire.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("not a link key: " + wire);
    }
    return new LinkKey(LinkType.ofWireName(wire.substring(0, colon)), wire.substring(colon + 1));
  }

  @Override
  public int compareTo(LinkKey o) {
    int c = type.compareTo(o.type);
    return c != 0 ? c : value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return wire();
  }
}
