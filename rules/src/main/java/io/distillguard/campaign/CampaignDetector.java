package io.distillguard.campaign;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.policy.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Campaign detection in memory, in one object: feed it profiles and queries in event-time order and
 * ask for campaigns, their members, levels and reasons. It composes the parts the runtime runs on
 * its engines ({@link LinkExtractor}, {@link LinkIndex}, {@link CampaignGrouper}, {@link
 * CampaignState}, {@link CampaignDecider}) and reads the {@code campaign_rules} of the current
 * policy at every evaluation, so a reloaded policy applies from the next one.
 *
 * <p>Two kinds of group are judged: accounts <em>linked</em> by shared keys of two independent
 * kinds ({@link CampaignGrouper}), and every declared organisation as <em>one principal</em> (all
 * accounts with its {@code org_id}, their merged traffic against the union of their stated uses). A
 * member's level through its campaigns is the highest of: the campaign's WATCH or REVIEW, REVIEW
 * for any member of a CONFIRMED campaign, and THROTTLE for members of a CONFIRMED campaign that
 * were in it when it was confirmed or joined it afterwards through a strong link (content together
 * with infrastructure or registration): ban evasion is flagged at once. A CLEARED campaign gives
 * its members no level.
 *
 * <p>Not thread-safe: one caller feeds it (a benchmark loop, a test).
 */
public final class CampaignDetector {

  private static final long REGISTRATION_REFRESH_MILLIS = 3_600_000L;

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(CampaignDetector.class);

  /**
   * A campaign level change.
   *
   * @param campaignId the campaign
   * @param previous its level before
   * @param level its level now
   * @param members its members at the change
   * @param reasons the rules behind the new level
   * @param atMillis event time of the change
   */
  public record Update(
      String campaignId,
      Level previous,
      Level level,
      List<String> members,
      List<Reason> reasons,
      long atMillis) {
    public Update {
      members = List.copyOf(members);
      reasons = List.copyOf(reasons);
    }
  }

  private static final class Account {
    final MemberActivity activity;
    final ScaffoldTracker scaffolds = new ScaffoldTracker();
    List<LinkKey> registration = List.of();
    long registrationRefreshedAt = Long.MIN_VALUE / 2;
    // The sign-up block keys of the last block and sign-up time seen: most accounts query from one.
    LinkKey lastBlock;
    long lastBlockSignup;
    List<LinkKey> lastBlockKeys = List.of();

    List<LinkKey> signupBlock(LinkKey block, long signupMillis, LinkExtractor extractor) {
      if (!block.equals(lastBlock) || signupMillis != lastBlockSignup) {
        lastBlockKeys = extractor.signupBlock(block, signupMillis);
        lastBlock = block;
        lastBlockSignup = signupMillis;
      }
      return lastBlockKeys;
    }

    Account(String id) {
      this.activity = new MemberActivity(id);
    }
  }

  private final Supplier<Policy> policy;
  private final int categoryCount;
  private final List<String> categories;
  private final LinkExtractor extractor;
  private final LinkIndex index;
  private final CampaignGrouper grouper = new CampaignGrouper();
  private final Map<String, Account> accounts = new HashMap<>();
  private final CampaignJudge judge = new CampaignJudge();
  private final Organisations organisations = new Organisations();
  private final GroupEvaluator evaluator;
  private boolean decides = true;

  /**
   * @param policy the policy in force (its {@code campaign_rules}); read at every evaluation
   * @param categories the capability categories (their number is the entropy base)
   * @param hasher keyed hashing of raw link values
   * @param maxSingleMemberKeys the most link keys seen by one account only that are held (see
   *     {@link LinkIndex})
   */
  public CampaignDetector(
      Supplier<Policy> policy,
      List<String> categories,
      LinkHasher hasher,
      int maxSingleMemberKeys) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.index = new LinkIndex(maxSingleMemberKeys);
    this.categoryCount = Math.max(2, categories.size());
    this.categories = List.copyOf(categories);
    this.extractor = new LinkExtractor(hasher);
    this.evaluator =
        new GroupEvaluator(
            policy,
            categoryCount,
            grouper,
            organisations,
            judge,
            index,
            id -> account(id).activity.summary());
  }

  /** With {@link LinkIndex#DEFAULT_MAX_SINGLE_MEMBER_KEYS}. */
  public CampaignDetector(Supplier<Policy> policy, List<String> categories, LinkHasher hasher) {
    this(policy, categories, hasher, LinkIndex.DEFAULT_MAX_SINGLE_MEMBER_KEYS);
  }

  /** With the local default link secret. */
  public CampaignDetector(Supplier<Policy> policy, List<String> categories) {
    this(policy, categories, LinkHasher.localDefault());
  }

  /**
   * Stops judging campaigns: from now on this detector only groups (link keys, groups, member
   * summaries and links), and {@code observe} and {@code profile} return no updates. For a caller
   * that leaves the decisions to someone else (the actor side's campaign grouping, whose campaign
   * entities decide): the evaluation of a group costs O(members²) and its decisions would be
   * discarded.
   *
   * @return this detector
   */
  public CampaignDetector groupingOnly() {
    decides = false;
    return this;
  }

  /** The extractor this detector derives keys with (the same hasher). */
  public LinkExtractor extractor() {
    return extractor;
  }

  /** The link-key tables (for sizing: {@link LinkIndex#trackedKeys()}, bytes). */
  public LinkIndex linkIndex() {
    return index;
  }

  /**
   * An account's profile, at event time {@code atMillis}: its registration keys, sign-up time,
   * expected categories (those its stated use makes likely; may be empty) and organisation.
   */
  public List<Update> profile(AccountProfile p, Set<String> expectedCategories, long atMillis) {
    Account a = account(p.accountId());
    a.activity.profile(
        p.createdAt() == null ? null : p.createdAt().toEpochMilli(), expectedCategories, p.orgId());
    organisations.set(p.accountId(), p.orgId());
    a.registration = extractor.fromProfile(p);
    List<Update> updates = new ArrayList<>();
    Set<String> touched = new LinkedHashSet<>();
    for (LinkKey k : a.registration) {
      join(k, p.accountId(), atMillis, touched);
    }
    if (decides) {
      evaluator.evaluateTouched(p.accountId(), touched, atMillis, updates);
    }
    return updates;
  }

  /** One query event whose prompt fell in {@code category}: keys derived here. */
  public List<Update> observe(QueryEvent e, String category) {
    return observe(e.accountId(), e.timestamp().toEpochMilli(), category, extractor.fromQuery(e));
  }

  /**
   * One observation from the ingest job, with the link keys it carries ({@link ObservationLinks}).
   * Registration keys among them become the account's registration keys.
   */
  public List<Update> observe(io.distillguard.observe.AccountObservation o) {
    List<LinkKey> keys = ObservationLinks.keys(o);
    List<LinkKey> registration = new ArrayList<>();
    List<LinkKey> query = new ArrayList<>();
    for (LinkKey k : keys) {
      (k.kind() == LinkKind.REGISTRATION ? registration : query).add(k);
    }
    Account a = account(o.accountId());
    if (!registration.isEmpty() && !registration.equals(a.registration)) {
      a.registration = List.copyOf(registration);
      a.registrationRefreshedAt = Long.MIN_VALUE / 2;
    }
    if (o.signupMillis() != null) {
      // The sign-up time arrives with the joined profile, as the registration keys do.
      a.activity.signup(o.signupMillis());
    }
    if (o.statedUseCategoryShares() != null || o.orgId() != null) {
      a.activity.profile(
          a.activity.signupMillis(), ObservationLinks.expectedCategories(o, categories), o.orgId());
      organisations.set(o.accountId(), o.orgId());
    }
    return observe(o.accountId(), o.eventTimeMillis(), o.category(), query);
  }

  /**
   * One query given by its already hashed link keys (what the runtime's observations carry).
   * Scaffold keys link the account only once the scaffold dominates its traffic ({@link
   * ScaffoldTracker}); an address block key also gives the account's {@link LinkType#SIGNUP_BLOCK}
   * keys once its sign-up time is known; the account's registration keys are refreshed with every
   * query so they do not expire while it is active.
   */
  public List<Update> observe(
      String accountId, long atMillis, String category, Collection<LinkKey> keys) {
    Account a = account(accountId);
    a.activity.query(category, atMillis);
    Set<String> touched = new LinkedHashSet<>();
    List<LinkKey> scaffolds = new ArrayList<>(2);
    Long signup = a.activity.signupMillis();
    for (LinkKey k : keys) {
      if (k.type() == LinkType.SCAFFOLD) {
        scaffolds.add(k);
      } else {
        join(k, accountId, atMillis, touched);
      }
      if (k.type() == LinkType.IP_PREFIX && signup != null) {
        for (LinkKey b : a.signupBlock(k, signup, extractor)) {
          join(b, accountId, atMillis, touched);
        }
      }
    }
    for (LinkKey dominant : a.scaffolds.record(scaffolds)) {
      join(dominant, accountId, atMillis, touched);
      organisations.scaffold(accountId, dominant);
    }
    // Re-joining a key the account is on only moves its last-seen time, so the registration keys
    // are refreshed at most once an hour: well within the TTL, at a fraction of the cost.
    if (atMillis - a.registrationRefreshedAt >= REGISTRATION_REFRESH_MILLIS
        || atMillis < a.registrationRefreshedAt) {
      a.registrationRefreshedAt = atMillis;
      for (LinkKey k : a.registration) {
        join(k, accountId, atMillis, touched);
      }
    }
    List<Update> updates = new ArrayList<>();
    if (decides) {
      evaluator.evaluateTouched(accountId, touched, atMillis, updates);
    }
    return updates;
  }

  /**
   * The level an account's own rules (or a reviewer of the account) now hold it at, as the
   * account's journal states it; a campaign flag is not an own level. The account's summary carries
   * it from now on ({@link MemberSummary#ownLevel()}), so its campaigns count it ({@link
   * CampaignSignals#ESCALATED_MEMBERS}) when they are next evaluated, with the next query of one of
   * their members: as in the runtime, where the level reaches a campaign with the member's next
   * record. An account not seen yet is remembered for when it is.
   */
  public void ownLevel(String accountId, Level level) {
    account(accountId).activity.ownLevel(level);
  }

  /**
   * A reviewer's verdict on a campaign: CONFIRMED (members may be throttled; fresh accounts that
   * link strongly are flagged at once) or CLEARED (members lose their campaign flag; the campaign
   * re-arms only once it has grown by the policy's factor).
   *
   * @throws IllegalArgumentException for an unknown campaign or another verdict
   */
  public void review(String campaignId, Level verdict, long atMillis) {
    String id = evaluator.resolve(campaignId);
    List<String> members = evaluator.members(id);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("no campaign " + campaignId);
    }
    judge.review(id, verdict, members, atMillis);
  }

  /** Every group of at least two accounts: linked groups and declared organisations. */
  public List<CampaignView> campaigns() {
    List<CampaignView> out = new ArrayList<>();
    for (CampaignGrouper.Group g : grouper.groups()) {
      out.add(evaluator.view(g.id()));
    }
    for (String principal : organisations.principals()) {
      out.add(evaluator.view(principal));
    }
    out.sort(Comparator.comparing(CampaignView::id));
    return out;
  }

  /** One campaign by id (an id merged into another gives the survivor). */
  public Optional<CampaignView> campaign(String id) {
    String resolved = evaluator.resolve(id);
    return evaluator.members(resolved).isEmpty()
        ? Optional.empty()
        : Optional.of(evaluator.view(resolved));
  }

  /** The linked campaign an account belongs to, if any. */
  public Optional<String> campaignOf(String accountId) {
    CampaignGrouper.Group g = grouper.groupOf(accountId);
    return g == null ? Optional.empty() : Optional.of(g.id());
  }

  /** An account's compact summary (what a campaign entity journals), if it was ever seen. */
  public Optional<MemberSummary> memberSummary(String accountId) {
    Account a = accounts.get(accountId);
    return a == null ? Optional.empty() : Optional.of(a.activity.summary());
  }

  /** The members of a linked campaign, in the order they joined (empty for an unknown id). */
  public List<String> linkedMembers(String campaignId) {
    CampaignGrouper.Group g = grouper.group(campaignId);
    return g == null ? List.of() : List.copyOf(g.members());
  }

  /**
   * The version of a linked campaign's members ({@link CampaignGrouper.Group#membersVersion}), or
   * -1 when there is no such campaign: while it holds, {@link #linkedMembers} is what it was.
   */
  public long linkedMembersVersion(String campaignId) {
    CampaignGrouper.Group g = grouper.group(campaignId);
    return g == null ? -1 : g.membersVersion();
  }

  /**
   * The links of a campaign that involve {@code accountId}, weighted now: a linked campaign's keys,
   * or the scaffolds that dominate the traffic of two or more accounts of an organisation's
   * principal.
   */
  public List<CampaignLink> linksOf(String campaignId, String accountId) {
    return evaluator.linksOf(campaignId, accountId, policy.get().campaigns().links());
  }

  /** An account's level through its campaigns (its linked group and its organisation). */
  public Level memberLevel(String accountId) {
    Level level = Level.OK;
    CampaignGrouper.Group g = grouper.groupOf(accountId);
    if (g != null) {
      level = max(level, judge.memberLevel(g.id(), accountId, this::linksStronglyTo));
    }
    String org = organisations.orgOf(accountId);
    if (org != null) {
      level =
          max(
              level,
              judge.memberLevel(Organisations.principalId(org), accountId, this::linksStronglyTo));
    }
    return level;
  }

  /**
   * Whether an account links strongly (content and a sign-up or infrastructure key) into a group.
   */
  private boolean linksStronglyTo(String campaignId, String accountId) {
    if (Organisations.isPrincipal(campaignId)) {
      return false;
    }
    LinkSettings settings = policy.get().campaigns().links();
    for (Map.Entry<String, PairEvidence> e : grouper.partnersOf(accountId).entrySet()) {
      CampaignGrouper.Group g = grouper.groupOf(e.getKey());
      if (g != null
          && g.id().equals(campaignId)
          && PairEvidence.isStrong(
              e.getValue(), k -> index.weight(k, settings), settings.minLinkWeight())) {
        return true;
      }
    }
    return false;
  }

  private static Level max(Level a, Level b) {
    return b.isAbove(a) ? b : a;
  }

  private Account account(String id) {
    return accounts.computeIfAbsent(id, Account::new);
  }

  private void join(LinkKey key, String accountId, long atMillis, Set<String> touched) {
    LinkSettings settings = policy.get().campaigns().links();
    List<KeyMembers.Member> others = index.join(key, accountId, atMillis, settings);
    // A key's weight only falls as more accounts share it: one below the minimum now can never
    // make an edge, so it adds no pair evidence (this keeps popular keys cheap).
    if (others.isEmpty() || index.weight(key, settings) < settings.minLinkWeight()) {
      return;
    }
    String org = organisations.orgOf(accountId);
    for (KeyMembers.Member other : others) {
      // The key tables list a forgotten account until its TTL; the grouping no longer knows it.
      if (!accounts.containsKey(other.accountId())) {
        continue;
      }
      // A declared organisation is one principal: its accounts are judged together as the
      // organisation, never linked to each other as a swarm.
      if (org != null && org.equals(organisations.orgOf(other.accountId()))) {
        continue;
      }
      CampaignGrouper.Change change =
          grouper.link(
              accountId,
              other.accountId(),
              key,
              atMillis,
              k -> index.weight(k, settings),
              settings.minLinkWeight());
      if (change != null) {
        if (LOG.isDebugEnabled()) {
          logEdge(accountId, other.accountId(), change, settings);
        }
        touched.add(change.campaignId());
        judge.merged(change.campaignId(), change.absorbed());
      }
    }
  }

  private void logEdge(String a, String b, CampaignGrouper.Change change, LinkSettings settings) {
    StringBuilder keys = new StringBuilder();
    for (LinkKey k : grouper.pair(a, b)) {
      keys.append(' ')
          .append(k.type().wireName())
          .append('=')
          .append(String.format(java.util.Locale.ROOT, "%.2f", index.weight(k, settings)))
          .append('/')
          .append(Math.round(index.get(k) == null ? 0 : index.get(k).accountCount()));
    }
    LOG.debug(
        "edge {} {} -> {} founded={} joined={} absorbed={} size={} keys:{}",
        a,
        b,
        change.campaignId(),
        change.founded(),
        change.joined().size(),
        change.absorbed(),
        grouper.group(change.campaignId()).members().size(),
        keys);
  }

  /** The principal id of a declared organisation. */
  public static String orgId(String org) {
    return Organisations.principalId(org);
  }

  /** Whether {@code campaignId} names a declared organisation's principal ({@code org-...}). */
  public static boolean isPrincipal(String campaignId) {
    return Organisations.isPrincipal(campaignId);
  }

  /**
   * The principal of the organisation an account declares, once the organisation has at least two
   * members this detector holds (a campaign of one is no campaign); empty otherwise.
   */
  public Optional<String> principalOf(String accountId) {
    String org = organisations.orgOf(accountId);
    return org == null || organisations.size(org) < 2
        ? Optional.empty()
        : Optional.of(Organisations.principalId(org));
  }

  /** The members of a declared organisation's principal, in the order they declared it. */
  public List<String> principalMembers(String principalId) {
    return organisations.members(principalId);
  }

  /**
   * Forgets an account: its activity, pair evidence, place in its group and organisation (the
   * runtime bounds its grouping with this: an account unseen for the link TTL, or the least
   * recently seen beyond a maximum, is forgotten; campaign entities keep what they journaled). Its
   * entries in the link-key tables expire by their own TTL. A group's decision state goes with the
   * group's last member.
   */
  public void forget(String accountId) {
    accounts.remove(accountId);
    CampaignGrouper.Group g = grouper.groupOf(accountId);
    grouper.forget(accountId);
    if (g != null && grouper.group(g.id()) == null) {
      judge.drop(g.id());
    }
    String emptied = organisations.forget(accountId);
    if (emptied != null) {
      judge.drop(emptied);
    }
    judge.forget(accountId);
  }

  /** Accounts this detector holds state for (what {@link #forget} bounds). */
  public int trackedAccounts() {
    return accounts.size();
  }
}
