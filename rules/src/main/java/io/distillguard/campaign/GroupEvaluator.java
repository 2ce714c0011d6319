package io.distillguard.campaign;

import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.signals.SignalSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Judges and shows the groups of a {@link CampaignDetector}: the members of a linked group or a
 * declared organisation, their campaign signals (the {@link CampaignState} fold over the members'
 * summaries and the group's links, weighed now), the campaign rules applied to them ({@link
 * CampaignDecider}, the decision state in {@link CampaignJudge}) and the {@link CampaignView} a
 * reviewer reads. Reads the detector's grouping; changes only decision state. Not thread-safe.
 */
final class GroupEvaluator {

  private final Supplier<Policy> policy;
  private final int categoryCount;
  private final CampaignGrouper grouper;
  private final Organisations organisations;
  private final CampaignJudge judge;
  private final LinkIndex index;
  private final Function<String, MemberSummary> summaries;

  GroupEvaluator(
      Supplier<Policy> policy,
      int categoryCount,
      CampaignGrouper grouper,
      Organisations organisations,
      CampaignJudge judge,
      LinkIndex index,
      Function<String, MemberSummary> summaries) {
    this.policy = policy;
    this.categoryCount = categoryCount;
    this.grouper = grouper;
    this.organisations = organisations;
    this.judge = judge;
    this.index = index;
    this.summaries = summaries;
  }

  /**
   * Counts a query of {@code accountId} towards its groups' next evaluations and evaluates every
   * group in {@code touched} (changed by the query, or due), adding level changes to {@code
   * updates}.
   */
  void evaluateTouched(
      String accountId, Set<String> touched, long atMillis, List<CampaignDetector.Update> updates) {
    CampaignGrouper.Group own = grouper.groupOf(accountId);
    if (own != null) {
      judge.count(own.id(), own.members().size(), touched);
    }
    String org = organisations.orgOf(accountId);
    if (org != null && organisations.size(org) >= 2) {
      judge.count(Organisations.principalId(org), organisations.size(org), touched);
    }
    for (String id : touched) {
      evaluate(id, atMillis, updates);
    }
  }

  private void evaluate(String id, long atMillis, List<CampaignDetector.Update> updates) {
    List<String> members = members(id);
    if (members.size() < 2) {
      return;
    }
    CampaignPolicy cp = policy.get().campaigns();
    SignalSnapshot signals = signals(id, members, cp.links());
    CampaignJudge.Judged j = judge.state(id);
    j.observationsSinceEvaluation = 0;
    j.signals = signals;
    SignalSnapshot at =
        new SignalSnapshot(
            signals.queriesObserved(),
            Math.max(atMillis, signals.eventTimeMillis()),
            signals.values());
    CampaignDecision d = CampaignDecider.evaluate(j.decision, cp, at);
    if (d.changed()) {
      updates.add(
          new CampaignDetector.Update(
              id, d.previous(), d.level(), members, d.reasons(), at.eventTimeMillis()));
    }
  }

  private SignalSnapshot signals(String id, List<String> members, LinkSettings settings) {
    List<MemberSummary> folded = new ArrayList<>(members.size());
    for (String m : members) {
      folded.add(summaries.apply(m));
    }
    return CampaignState.signals(
        folded, links(id, settings), categoryCount, settings.minLinkWeight());
  }

  /**
   * The keys tying members of the linked group {@code id}, weighed now; for an organisation's
   * principal, the scaffolds that dominate the traffic of two or more of its accounts (its accounts
   * share an office, a domain and a card by design, so only a shared wrapper is evidence).
   */
  List<CampaignLink> links(String id, LinkSettings settings) {
    Map<LinkKey, Set<String>> keys = keysOf(id);
    List<CampaignLink> links = new ArrayList<>(keys.size());
    keys.forEach((k, on) -> links.add(new CampaignLink(k, index.weight(k, settings), on)));
    return links;
  }

  /**
   * The links of {@link #links} that tie {@code accountId}, in the same order: only those are
   * weighed and copied (a member's links, asked for every member of a large group, are a few of the
   * group's).
   */
  List<CampaignLink> linksOf(String id, String accountId, LinkSettings settings) {
    List<CampaignLink> links = new ArrayList<>();
    keysOf(id)
        .forEach(
            (k, on) -> {
              if (on.contains(accountId)) {
                links.add(new CampaignLink(k, index.weight(k, settings), on));
              }
            });
    return links;
  }

  private Map<LinkKey, Set<String>> keysOf(String id) {
    if (Organisations.isPrincipal(id)) {
      return organisations.sharedScaffolds(id);
    }
    CampaignGrouper.Group g = grouper.group(id);
    return g == null ? Map.of() : g.links();
  }

  /** The members of a linked group or an organisation principal (empty for an unknown id). */
  List<String> members(String id) {
    if (Organisations.isPrincipal(id)) {
      return organisations.members(id);
    }
    CampaignGrouper.Group g = grouper.group(id);
    return g == null ? List.of() : List.copyOf(g.members());
  }

  /** The live id for {@code id}: a group merged into another resolves to the survivor. */
  String resolve(String id) {
    if (Organisations.isPrincipal(id)) {
      return id;
    }
    CampaignGrouper.Group g = grouper.group(id);
    return g == null ? id : g.id();
  }

  /** What a reviewer reads of group {@code id}: members, level, reasons, signals, links. */
  CampaignView view(String id) {
    List<String> members = members(id);
    LinkSettings settings = policy.get().campaigns().links();
    CampaignJudge.Judged j = judge.get(id);
    SignalSnapshot signals =
        j != null && j.signals != null ? j.signals : signals(id, members, settings);
    List<CampaignView.LinkSummary> links = CampaignView.strongest(links(id, settings), 50);
    CampaignGrouper.Group g = Organisations.isPrincipal(id) ? null : grouper.group(id);
    return new CampaignView(
        id,
        g == null ? CampaignView.Kind.ORGANISATION : CampaignView.Kind.LINKED,
        members,
        j == null ? Level.OK : j.decision.level(),
        j == null ? 0 : j.decision.levelSinceMillis(),
        j == null ? List.of() : j.decision.reasons(),
        signals,
        links,
        g == null ? 0 : g.createdAtMillis(),
        g == null ? List.of() : g.absorbed());
  }
}
