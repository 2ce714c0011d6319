package io.distillguard.bench.detection.campaign;

/**
 * The shape of one account in the campaign benchmark: a member of a multi-account campaign, one of
 * a group of legitimate accounts that share links a campaign would share (a hard negative), or an
 * account of the detection benchmark's ordinary legitimate population.
 */
public enum CampaignKind {
  /** The detection benchmark's swarm: shared cloud addresses and client, broad slices. */
  SWARM_BROAD(Role.CAMPAIGN),
  /** The detection benchmark's swarm: shared infrastructure, slices matching each stated use. */
  SWARM_NARROW(Role.CAMPAIGN),
  /**
   * Members on residential proxies: a fresh residential address every session and a client string
   * of their own, so only registration, content and coverage link them.
   */
  RESIDENTIAL_PROXY(Role.CAMPAIGN),
  /** Members that send ordinary in-domain traffic of the app they pose as half of the time. */
  MIXED_TRAFFIC(Role.CAMPAIGN),
  /** A campaign that adds members day by day over a week. */
  GROWING(Role.CAMPAIGN),
  /**
   * Each member asks one narrow slice that matches its own stated use; together the whole space.
   */
  STATED_USE_SLICES(Role.CAMPAIGN),
  /** The members of a campaign that a reviewer confirms once it is caught. */
  BAN_EVASION_ORIGINAL(Role.CAMPAIGN),
  /** Fresh accounts that carry a confirmed campaign on after it was caught. */
  BAN_EVASION_FRESH(Role.CAMPAIGN),
  /**
   * A company distilling through its own declared organisation: its accounts, opened one by one
   * over months behind its office address, mail domain and card, each stating the use of one of its
   * apps, split a sweep between them (a third of each one's traffic is its app's ordinary traffic).
   * Never linked to each other (one organisation); judged as one principal.
   */
  ORG_SWEEP(Role.CAMPAIGN),
  /**
   * A company's many small accounts behind one corporate NAT, with a declared {@code org_id}: one
   * address, one email domain, a corporate card, a shared internal preamble, office hours.
   */
  NAT_ORG_DECLARED(Role.HARD_NEGATIVE),
  /** The same without a declared {@code org_id}. */
  NAT_ORG_UNDECLARED(Role.HARD_NEGATIVE),
  /**
   * Students behind a campus NAT who sign up in the first days of the semester with the
   * university's email domain and near-identical stated uses, each asking about their own courses.
   */
  UNIVERSITY(Role.HARD_NEGATIVE),
  /**
   * End customers of a reseller: one account each, every request through the reseller's one API
   * key, its egress addresses, client and wrapper preamble, paid by the reseller's card.
   */
  RESELLER(Role.HARD_NEGATIVE),
  /**
   * Students of one general-studies course behind the campus NAT who sign up in its first days and
   * work through its syllabus, a topic a week, each asking questions of their own: they share how
   * they came, the course's question format and what they ask each week.
   */
  SYLLABUS(Role.HARD_NEGATIVE),
  /** Unrelated customers of one SDK that sends its own user agent. */
  SDK_USER_AGENT(Role.HARD_NEGATIVE),
  /** Unrelated apps built from the same open-source prompt template. */
  OSS_TEMPLATE(Role.HARD_NEGATIVE),
  /**
   * The teams of a hackathon: signed up within hours from the venue's network, each building an app
   * of its own domain, many through the organisers' starter kit, over the event's two days.
   */
  HACKATHON(Role.HARD_NEGATIVE),
  /** An account of the detection benchmark's legitimate population (its own kind in the label). */
  LEGIT(Role.LEGIT);

  /** What an account of the kind is. */
  public enum Role {
    CAMPAIGN,
    HARD_NEGATIVE,
    LEGIT
  }

  private final Role role;

  CampaignKind(Role role) {
    this.role = role;
  }

  /** What an account of this kind is. */
  public Role role() {
    return role;
  }

  /** True for campaign members. */
  public boolean campaign() {
    return role == Role.CAMPAIGN;
  }
}
