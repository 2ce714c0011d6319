package io.distillguard.campaign;

import java.util.Set;

/**
 * A link key that ties at least two members of one group, with its weight now.
 *
 * @param key the hashed key (its type and kind)
 * @param weight the key's current weight (0..1, see {@link LinkSettings#weight})
 * @param members the group's members seen on the key
 */
public record CampaignLink(LinkKey key, double weight, Set<String> members) {
  public CampaignLink {
    members = Set.copyOf(members);
  }

  public LinkKind kind() {
    return key.kind();
  }
}
