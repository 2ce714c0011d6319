package io.distillguard.campaign;

/**
 * When a campaign is evaluated again. One evaluation folds every member's summary ({@link
 * CampaignState#signals}), so it costs O(members): a campaign of 25,000 members would spend a
 * quarter of a second of CPU on each of its members' observations. A small campaign is evaluated
 * with every observation; a large one once its members have brought a quarter of its member count
 * in observations since its last evaluation, which keeps the fold's cost per observation bounded
 * (about four members' worth) whatever the campaign's size, while a campaign's decision waits for
 * at most that many observations (an evaluation counts toward the rules' holds once per observation
 * it stands for, so a rule holds for the same observations either way).
 */
public final class EvaluationCadence {

  /** Members per observation between evaluations: a quarter of the member count. */
  static final int MEMBERS_PER_OBSERVATION = 4;

  private EvaluationCadence() {}

  /**
   * Whether a campaign of {@code members} members whose members brought {@code observations}
   * observations since its last evaluation is due for the next one.
   */
  public static boolean due(int members, long observations) {
    return observations >= Math.max(1, members / MEMBERS_PER_OBSERVATION);
  }
}
