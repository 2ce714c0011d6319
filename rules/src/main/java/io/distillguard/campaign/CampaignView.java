package io.distillguard.campaign;

import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.distillguard.signals.SignalSnapshot;
import java.util.List;

/**
 * What is known about one campaign (or a declared organisation judged as one principal) at one
 * moment: what the API, the webhook and the benchmark show.
 *
 * @param id the campaign id ({@code cmp-...}) or the organisation principal's ({@code org-...})
 * @param kind how the group was formed
 * @param members member account ids, in the order they joined
 * @param level the campaign's level
 * @param levelSinceMillis event time the level was entered
 * @param reasons the rules behind the level
 * @param signals the campaign signals at the latest evaluation
 * @param links the keys tying members, strongest first (hashed values only)
 * @param createdAtMillis event time the group was formed
 * @param mergedIds ids of groups merged into this one
 */
public record CampaignView(
    String id,
    Kind kind,
    List<String> members,
    Level level,
    long levelSinceMillis,
    List<Reason> reasons,
    SignalSnapshot signals,
    List<LinkSummary> links,
    long createdAtMillis,
    List<String> mergedIds) {

  /** How a group was formed. */
  public enum Kind {
    /** Accounts linked by shared keys of at least two kinds. */
    LINKED,
    /** Accounts declaring the same {@code org_id}: one principal. */
    ORGANISATION
  }

  /**
   * One link of the campaign as shown to reviewers.
   *
   * @param kind infrastructure, registration or content
   * @param type what the key was derived from
   * @param value the keyed hash (never the raw value)
   * @param weight the key's current weight
   * @param members members seen on the key
   */
  public record LinkSummary(
      LinkKind kind, LinkType type, String value, double weight, int members) {}

  public CampaignView {
    members = List.copyOf(members);
    reasons = List.copyOf(reasons);
    links = List.copyOf(links);
    mergedIds = List.copyOf(mergedIds);
  }

  /** Summaries of {@code links}, strongest first (then by hashed value), at most {@code max}. */
  static List<LinkSummary> strongest(List<CampaignLink> links, int max) {
    List<LinkSummary> out = new java.util.ArrayList<>(links.size());
    for (CampaignLink l : links) {
      out.add(
          new LinkSummary(
              l.kind(), l.key().type(), l.key().value(), l.weight(), l.members().size()));
    }
    out.sort(
        java.util.Comparator.comparingDouble(LinkSummary::weight)
            .reversed()
            .thenComparing(LinkSummary::value));
    return out.size() > max ? List.copyOf(out.subList(0, max)) : out;
  }
}
