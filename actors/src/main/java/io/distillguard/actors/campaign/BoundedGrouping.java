package io.distillguard.actors.campaign;

import io.distillguard.actors.account.OwnLevel;
import io.distillguard.campaign.CampaignDetector;
import io.distillguard.campaign.LinkHasher;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grouping of accounts into campaigns, bounded: the plain-Java link-key tables and union-find
 * groups ({@link CampaignDetector}) fed with every observation's hashed link keys, plus what the
 * campaign entities have been sent. An account unseen for the link TTL ({@code campaign_rules.links
 * .ttl_minutes}, event time) is forgotten, and so is the least recently seen one beyond {@code
 * maxAccounts}; each shared link key's table is bounded by its own TTL and member cap ({@link
 * io.distillguard.campaign.KeyMembers}), and the keys seen by one account only (most of them: each
 * novel prompt's payload bands) by a table of {@code maxSingleMemberKeys} entries ({@link
 * io.distillguard.campaign.LinkIndex}). So the whole grouping holds at most {@code maxAccounts}
 * accounts (each a few KiB: category counts, 256 active hours, 8 scaffold counters, at most 64
 * partners of 16 keys), at most {@code maxSingleMemberKeys} keys of one account (36-44 bytes each)
 * and the keys shared within the TTL (each at most 256 members and 1 KiB). Campaign entities keep
 * what they journaled: a forgotten member stays a member there.
 *
 * <p>Campaign ids are durable ({@link CampaignIdentity}): the detector's groups are re-formed from
 * traffic (after a failover, or once their members were forgotten), and each is mapped to the
 * campaign its members were recorded in before, so a re-formed swarm continues its campaign; a
 * group whose members belong to two campaigns merges the younger into the older.
 *
 * <p>A declared organisation is one principal ({@code org-...}, {@link
 * CampaignDetector#principalOf}): once it has two members, every observation of a member is also
 * recorded in the principal's campaign entity, where the policy's organisation rules judge the
 * organisation as a whole. A principal's id is its organisation's, so it needs no identity: it
 * never merges, and the linked campaigns' ids ignore it ({@link CampaignIdentity#remember}).
 *
 * <p>Not thread-safe: owned by the {@link CampaignGrouping} actor.
 */
final class BoundedGrouping {

  private static final Logger LOG = LoggerFactory.getLogger(BoundedGrouping.class);

  private final Supplier<Policy> policy;
  private final CampaignDetector detector;
  private final int maxAccounts;

  /** Account to the latest event time seen; least recently observed first. */
  private final LinkedHashMap<String, Long> lastSeen = new LinkedHashMap<>(16, 0.75f, true);

  /**
   * Own levels of accounts not held yet, the oldest dropped beyond {@link
   * CampaignGrouping#MAX_PENDING_OWN_LEVELS}: those recovered at start, and those committed before
   * the grouping saw the account's observations (they wait in the intake's event-time order); each
   * is applied with the account's first observation.
   */
  private final LinkedHashMap<String, Level> pendingOwnLevels =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Level> eldest) {
          return size() > CampaignGrouping.MAX_PENDING_OWN_LEVELS;
        }
      };

  /** Per account, the campaign whose entity last recorded it. */
  private final Map<String, String> recordedIn = new HashMap<>();

  /**
   * Per detector group, the version of its members ({@link CampaignDetector#linkedMembersVersion})
   * when its campaign was last resolved and its members sent, and that campaign: while the members
   * stay as they were, an observation of one of them costs neither a copy of the member list nor a
   * pass over it (at campaign scale, tens of thousands of members).
   */
  private final Map<String, Resolution> resolutions = new HashMap<>();

  private record Resolution(long version, String campaignId) {}

  private final CampaignIdentity identity;

  /**
   * Principals whose entity has been sent every member the organisation had when it reached two:
   * later members are sent with their own observations.
   */
  private final Set<String> foundedPrincipals = new java.util.HashSet<>();

  /** Merges the current chunk called for, in order. */
  private final List<CampaignGrouping.Merge> merges = new ArrayList<>();

  private long forgotten;

  BoundedGrouping(Supplier<Policy> policy, List<String> categories, GroupingBounds bounds) {
    this(policy, categories, bounds, Map.of(), Map.of());
  }

  /**
   * @param memberships account to campaign as persisted (what the campaign rows list), so ids
   *     survive a restart of the grouping
   * @param ownLevels escalated accounts' own levels as persisted (the account index), applied with
   *     each account's first observation
   */
  BoundedGrouping(
      Supplier<Policy> policy,
      List<String> categories,
      GroupingBounds bounds,
      Map<String, String> memberships,
      Map<String, Level> ownLevels) {
    this.policy = policy;
    // The campaign entities decide: the detector only groups.
    this.detector =
        new CampaignDetector(
                policy, categories, LinkHasher.localDefault(), bounds.maxSingleMemberKeys())
            .groupingOnly();
    this.maxAccounts = bounds.maxAccounts();
    this.identity = new CampaignIdentity(bounds.maxAccounts());
    memberships.forEach(identity::remember);
    pendingOwnLevels.putAll(ownLevels);
  }

  /**
   * The own levels accounts' journals stated, in order: a held account's summary carries its latest
   * from now on (sent to its campaign with its next observation); an account not held yet gets it
   * with its first observation (see {@link #pendingOwnLevels}). A campaign entity keeps the own
   * level it last recorded for a member whose summary comes without one.
   */
  void ownLevels(List<OwnLevel> levels) {
    for (OwnLevel l : levels) {
      if (lastSeen.containsKey(l.accountId())) {
        detector.ownLevel(l.accountId(), l.level());
      } else {
        pendingOwnLevels.remove(l.accountId());
        pendingOwnLevels.put(l.accountId(), l.level());
      }
    }
  }

  /**
   * Groups {@code o}'s account by the link keys it carries; when the account is in a linked
   * campaign, returns what that campaign's entity must record: the account, and members the entity
   * has not been told about (the other account of a founding pair, the accounts of a group merged
   * in).
   */
  List<CampaignGrouping.Send> observe(AccountObservation o) {
    return observeAll(List.of(o)).sends();
  }

  /**
   * {@link #observe} for each of {@code observations} in order, the records they call for merged:
   * one per campaign and member, in the order members first needed one, built after the whole chunk
   * (a record holds the member's whole summary and its current links, so its campaign entity is
   * evaluated once per member and chunk, on the latest), each with how many of the chunk's
   * observations were that member's own. An observation whose grouping fails fails its account for
   * the rest of the chunk, never the other accounts: their observations are grouped and their
   * records returned.
   */
  CampaignGrouping.Routed observeAll(List<AccountObservation> observations) {
    // Per member due, how many of the chunk's observations were its own.
    Map<Member, Integer> due = new LinkedHashMap<>();
    Set<String> failed = new LinkedHashSet<>();
    for (AccountObservation o : observations) {
      if (failed.contains(o.accountId())) {
        continue;
      }
      try {
        for (Member m : group(o)) {
          due.merge(m, m.accountId().equals(o.accountId()) ? 1 : 0, Integer::sum);
        }
      } catch (RuntimeException e) {
        // Ids only, never the observation's content.
        LOG.warn(
            "grouping observation {} of account {} failed: {}",
            o.eventId(),
            o.accountId(),
            e.toString());
        failed.add(o.accountId());
      }
    }
    // A campaign merged during the chunk: its members' records go to the survivor.
    Map<Member, Integer> current = new LinkedHashMap<>();
    due.forEach(
        (m, n) ->
            current.merge(
                new Member(identity.current(m.campaignId()), m.accountId()), n, Integer::sum));
    List<CampaignGrouping.Send> sends = new ArrayList<>(current.size());
    current.forEach((m, n) -> add(sends, m, n));
    List<CampaignGrouping.Merge> chunkMerges = List.copyOf(merges);
    merges.clear();
    return new CampaignGrouping.Routed(sends, new ArrayList<>(failed), chunkMerges);
  }

  /** A campaign and one of its members. */
  private record Member(String campaignId, String accountId) {}

  /** Groups {@code o}'s account; the members its campaign's entity must be sent, if any. */
  private List<Member> group(AccountObservation o) {
    Level pending = pendingOwnLevels.isEmpty() ? null : pendingOwnLevels.remove(o.accountId());
    if (pending != null) {
      detector.ownLevel(o.accountId(), pending);
    }
    detector.observe(o);
    Long before = lastSeen.get(o.accountId());
    lastSeen.put(
        o.accountId(),
        before == null ? o.eventTimeMillis() : Math.max(before, o.eventTimeMillis()));
    List<Member> due = new ArrayList<>();
    Optional<String> group = detector.campaignOf(o.accountId());
    if (group.isPresent()) {
      String g = group.get();
      long version = detector.linkedMembersVersion(g);
      Resolution known = resolutions.get(g);
      String id;
      if (known != null && known.version() == version) {
        // The same members as at the last resolution: the same campaign (or the one it merged
        // into since), and every member was sent then.
        id = identity.current(known.campaignId());
      } else {
        List<String> members = detector.linkedMembers(g);
        CampaignIdentity.Resolved resolved = identity.resolve(g, members);
        id = resolved.campaignId();
        merges.addAll(resolved.merges());
        // Members the campaign holds already (recorded before, recovered, or moved with a merge)
        // are not sent again; each is recorded with its own next observation.
        for (String m : members) {
          if (!m.equals(o.accountId())
              && !id.equals(recordedIn.get(m))
              && !id.equals(identity.campaignOf(m))) {
            due.add(new Member(id, m));
            // Counted as told now, as before: a later observation of the chunk does not add it
            // again.
            recordedIn.put(m, id);
          }
        }
        resolutions.put(g, new Resolution(version, id));
      }
      due.add(new Member(id, o.accountId()));
      recordedIn.put(o.accountId(), id);
    }
    Optional<String> principal = detector.principalOf(o.accountId());
    if (principal.isPresent()) {
      String p = principal.get();
      if (foundedPrincipals.add(p)) {
        for (String m : detector.principalMembers(p)) {
          if (!m.equals(o.accountId())) {
            due.add(new Member(p, m));
          }
        }
      }
      due.add(new Member(p, o.accountId()));
    }
    bound(o.eventTimeMillis());
    return due;
  }

  private void add(List<CampaignGrouping.Send> sends, Member m, int observations) {
    Optional<MemberSummary> summary = detector.memberSummary(m.accountId());
    if (summary.isEmpty()) {
      // Forgotten since (beyond the bounds): nothing to record.
      if (m.campaignId().equals(recordedIn.get(m.accountId()))) {
        recordedIn.remove(m.accountId());
      }
      return;
    }
    identity.remember(m.accountId(), m.campaignId());
    sends.add(
        new CampaignGrouping.Send(
            m.campaignId(),
            summary.get(),
            detector.linksOf(m.campaignId(), m.accountId()),
            observations));
  }

  /** Forgets accounts unseen for the TTL before {@code nowMillis}, then any beyond the maximum. */
  private void bound(long nowMillis) {
    long cutoff = nowMillis - policy.get().campaigns().links().ttl().toMillis();
    Iterator<Map.Entry<String, Long>> it = lastSeen.entrySet().iterator();
    List<String> gone = new ArrayList<>();
    int size = lastSeen.size();
    while (it.hasNext()) {
      Map.Entry<String, Long> eldest = it.next();
      if (size <= maxAccounts && eldest.getValue() >= cutoff) {
        break;
      }
      it.remove();
      size--;
      gone.add(eldest.getKey());
    }
    gone.forEach(this::forget);
  }

  /** Forgets {@code accountId} now, whatever its age (its erasure). */
  void forgetAccount(String accountId) {
    lastSeen.remove(accountId);
    pendingOwnLevels.remove(accountId);
    forget(accountId);
    identity.forget(accountId);
  }

  private void forget(String accountId) {
    Optional<String> group = detector.campaignOf(accountId);
    Optional<String> principal = detector.principalOf(accountId);
    detector.forget(accountId);
    principal
        .filter(p -> detector.principalMembers(p).size() < 2)
        .ifPresent(foundedPrincipals::remove);
    recordedIn.remove(accountId);
    if (group.isPresent() && detector.linkedMembersVersion(group.get()) < 0) {
      resolutions.remove(group.get());
      identity.groupGone(group.get());
    }
    forgotten++;
  }

  /** The campaign an account is grouped into now (its durable id), if any. */
  Optional<String> campaignOf(String accountId) {
    return detector.campaignOf(accountId).map(identity::campaignOfGroup);
  }

  CampaignGrouping.Stats stats() {
    return new CampaignGrouping.Stats(
        lastSeen.size(),
        detector.trackedAccounts(),
        detector.linkIndex().trackedKeys(),
        detector.linkIndex().approxBytes(),
        recordedIn.size(),
        resolutions.size(),
        forgotten,
        identity.memberships());
  }
}
