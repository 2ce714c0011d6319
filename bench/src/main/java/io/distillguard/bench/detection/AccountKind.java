package io.distillguard.bench.detection;

/**
 * The shape of one benchmark account's traffic: legitimate app shapes (some of them hard negatives
 * that look campaign-like on one axis) and distillation campaign shapes.
 */
public enum AccountKind {
  /** An app in one domain with human-paced traffic. */
  DOMAIN_APP(false, false, false),
  /** A busy app in one domain: many users behind one account, thousands of calls a day. */
  HEAVY_DOMAIN_APP(false, true, false),
  /** A templated batch job in one domain at machine rate. */
  BATCH_PIPELINE(false, true, false),
  /** A broad general assistant whose stated use is broad. */
  GENERAL_ASSISTANT(false, true, false),
  /** One of many small accounts of one organisation behind one IP. */
  ORG_SMALL_ACCOUNT(false, true, false),
  /** A broad sweep at machine rate. */
  FAST_SWEEP(true, false, false),
  /** A broad sweep inside every rate limit with human-like timing. */
  SLOW_SWEEP(true, false, false),
  /** A quiet in-domain account that turns into a broad sweep once verified. */
  RAMP_AFTER_VERIFICATION(true, false, false),
  /** A broad sweep diluted with prompts of the stated domain. */
  DILUTED_SWEEP(true, false, false),
  /** A broad sweep from an account that claims a broad use. */
  BROAD_CLAIM_SWEEP(true, false, false),
  /** One fresh account of a swarm sharing infrastructure, each sending a broad slice. */
  SWARM_BROAD(true, false, true),
  /** One fresh account of a swarm, each sending a narrow slice that matches its stated use. */
  SWARM_NARROW(true, false, true),
  /** A broad sweep hidden under 70% prompts of the stated domain. */
  DILUTED_70_SWEEP(true, false, false),
  /** A broad sweep at 5 to 20 queries an hour around the clock for a week. */
  WEEK_LONG_SLOW_SWEEP(true, false, false),
  /**
   * A broad sweep that resends a real app's system preamble (and sometimes its retrieval context)
   * with every prompt, as the app it poses as would.
   */
  PREAMBLE_SWEEP(true, false, false),
  /**
   * A sweep behind a general assistant's stated use that mixes in a general assistant's own traffic
   * (open-ended requests and everyday questions) half the time.
   */
  ASSISTANT_MIMIC_SWEEP(true, false, false),
  /**
   * A broad sweep in systematic order: one subject at a time, each left for good once covered, at a
   * human pace.
   */
  ORDERED_SWEEP(true, false, false),
  /**
   * A company-wide general assistant whose stated use lists the areas it serves (writing, coding,
   * analysis, translation, research), used by many employees at 40 to 120 queries an hour.
   */
  EMPLOYEE_ASSISTANT(false, true, false),
  /**
   * One account serving the apps of two or three domains (a platform, a multi-subject tutoring
   * service), with a stated use that names them, at 20 to 80 queries an hour.
   */
  MULTI_DOMAIN_PLATFORM(false, true, false);

  private final boolean campaign;
  private final boolean hardNegative;
  private final boolean swarm;

  AccountKind(boolean campaign, boolean hardNegative, boolean swarm) {
    this.campaign = campaign;
    this.hardNegative = hardNegative;
    this.swarm = swarm;
  }

  /** True for distillation traffic. */
  public boolean campaign() {
    return campaign;
  }

  /** True for the legitimate shapes that look campaign-like on one axis. */
  public boolean hardNegative() {
    return hardNegative;
  }

  /** True for accounts that are one member of a multi-account campaign. */
  public boolean swarm() {
    return swarm;
  }
}
