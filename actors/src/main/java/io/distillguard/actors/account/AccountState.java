package io.distillguard.actors.account;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.CborSerializable;
import io.distillguard.campaign.CampaignDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.policy.Decision;
import io.distillguard.policy.Level;
import io.distillguard.signals.SignalSnapshot;
import java.util.List;
import java.util.Map;

/**
 * The account's state: the compact detection state plus what the API shows. Immutable from the
 * entity's point of view (every change makes a new instance with a copied detection state).
 * Serialized with the detection state as its compact bytes.
 *
 * <p>Snapshots taken before this class left {@link AccountEntity} name it {@code
 * AccountEntity$State}; {@link AccountStateRename} reads them as this class.
 */
public final class AccountState implements CborSerializable {
  private final DetectionState detection;
  private final SeenEventIds seen;
  private final SignalSnapshot signals;
  private final Decision decision;
  private final String policyVersion;
  private final long levelSinceMillis;
  private final String reviewer;
  private final String reviewNote;
  private final Long reviewedAtMillis;
  private final AccountEntity.CampaignFlag campaign;
  private final AccountEntity.CampaignFlag organisation;

  AccountState(
      DetectionState detection,
      SeenEventIds seen,
      SignalSnapshot signals,
      Decision decision,
      String policyVersion,
      long levelSinceMillis,
      String reviewer,
      String reviewNote,
      Long reviewedAtMillis) {
    this(
        detection,
        seen,
        signals,
        decision,
        policyVersion,
        levelSinceMillis,
        reviewer,
        reviewNote,
        reviewedAtMillis,
        null,
        null);
  }

  AccountState(
      DetectionState detection,
      SeenEventIds seen,
      SignalSnapshot signals,
      Decision decision,
      String policyVersion,
      long levelSinceMillis,
      String reviewer,
      String reviewNote,
      Long reviewedAtMillis,
      AccountEntity.CampaignFlag campaign,
      AccountEntity.CampaignFlag organisation) {
    this.detection = detection;
    this.seen = seen;
    this.signals = signals;
    this.decision = decision;
    this.policyVersion = policyVersion;
    this.levelSinceMillis = levelSinceMillis;
    this.reviewer = reviewer;
    this.reviewNote = reviewNote;
    this.reviewedAtMillis = reviewedAtMillis;
    this.campaign = campaign;
    this.organisation = organisation;
  }

  /**
   * This state with {@code flag} as the flag {@code campaignId} holds it at (null: lifted): a
   * declared organisation's principal ({@code org-...}) sets the organisation's flag, any other
   * campaign the linked campaign's flag (see {@link CampaignFlags}).
   */
  AccountState withFlag(String campaignId, AccountEntity.CampaignFlag flag) {
    boolean principal = CampaignDetector.isPrincipal(campaignId);
    return new AccountState(
        detection,
        seen,
        signals,
        decision,
        policyVersion,
        levelSinceMillis,
        reviewer,
        reviewNote,
        reviewedAtMillis,
        principal ? campaign : flag,
        principal ? flag : organisation);
  }

  /** {@code next} (made by an event handler from this state) keeping this state's flags. */
  AccountState carry(AccountState next) {
    if (next.campaign == campaign && next.organisation == organisation) {
      return next;
    }
    return new AccountState(
        next.detection,
        next.seen,
        next.signals,
        next.decision,
        next.policyVersion,
        next.levelSinceMillis,
        next.reviewer,
        next.reviewNote,
        next.reviewedAtMillis,
        campaign,
        organisation);
  }

  @JsonCreator
  static AccountState fromJson(
      @JsonProperty("detection") byte[] detection,
      @JsonProperty("seen") byte[] seen,
      @JsonProperty("signals") SignalSnapshot signals,
      @JsonProperty("decision") Decision decision,
      @JsonProperty("policyVersion") String policyVersion,
      @JsonProperty("levelSinceMillis") long levelSinceMillis,
      @JsonProperty("reviewer") String reviewer,
      @JsonProperty("reviewNote") String reviewNote,
      @JsonProperty("reviewedAtMillis") Long reviewedAtMillis,
      @JsonProperty("campaign") AccountEntity.CampaignFlag campaign,
      @JsonProperty("organisation") AccountEntity.CampaignFlag organisation) {
    return new AccountState(
        DetectionState.fromBytes(detection),
        SeenEventIds.fromBytes(seen),
        signals,
        decision,
        policyVersion,
        levelSinceMillis,
        reviewer,
        reviewNote,
        reviewedAtMillis,
        campaign,
        organisation);
  }

  @JsonProperty("detection")
  byte[] detectionBytes() {
    return detection.toBytes();
  }

  @JsonIgnore
  public DetectionState detection() {
    return detection;
  }

  @JsonProperty("seen")
  byte[] seenBytes() {
    return seen.toBytes();
  }

  /** The event ids counted within the dedupe horizon. */
  @JsonIgnore
  public SeenEventIds seen() {
    return seen;
  }

  @JsonProperty("signals")
  public SignalSnapshot signals() {
    return signals;
  }

  @JsonProperty("decision")
  public Decision decision() {
    return decision;
  }

  /** The version of the policy that made {@link #decision()}; null before the first one. */
  @JsonProperty("policyVersion")
  public String policyVersion() {
    return policyVersion;
  }

  @JsonProperty("levelSinceMillis")
  public long levelSinceMillis() {
    return levelSinceMillis;
  }

  @JsonProperty("reviewer")
  public String reviewer() {
    return reviewer;
  }

  @JsonProperty("reviewNote")
  public String reviewNote() {
    return reviewNote;
  }

  @JsonProperty("reviewedAtMillis")
  public Long reviewedAtMillis() {
    return reviewedAtMillis;
  }

  /** The flag the account holds from its linked campaign; null when none. */
  @JsonProperty("campaign")
  public AccountEntity.CampaignFlag campaign() {
    return campaign;
  }

  /** The flag the account holds from its declared organisation's principal; null when none. */
  @JsonProperty("organisation")
  public AccountEntity.CampaignFlag organisation() {
    return organisation;
  }

  /** The flag {@code campaignId} would set or lift: the organisation's or the linked one's. */
  @JsonIgnore
  AccountEntity.CampaignFlag flagFor(String campaignId) {
    return CampaignDetector.isPrincipal(campaignId) ? organisation : campaign;
  }

  /** The flags the account holds (linked campaign first), none null. */
  @JsonIgnore
  List<AccountEntity.CampaignFlag> flags() {
    if (organisation == null) {
      return campaign == null ? List.of() : List.of(campaign);
    }
    return campaign == null ? List.of(organisation) : List.of(campaign, organisation);
  }

  /**
   * The highest flag the account holds (the linked campaign's on a tie); null when none: the one
   * that sets its level.
   */
  @JsonIgnore
  public AccountEntity.CampaignFlag highestFlag() {
    return CampaignFlags.higher(campaign, organisation);
  }

  /** The account's own level: what its rules (or a reviewer of the account) decided. */
  @JsonIgnore
  public Level ownLevel() {
    return detection.level();
  }

  /**
   * The account's level: its own, raised to its campaign flag's; a reviewer's verdict on the
   * account itself (CLEARED, CONFIRMED) stands whatever the campaign.
   */
  @JsonIgnore
  public Level level() {
    return CampaignFlags.effective(detection.level(), highestFlag());
  }

  @JsonIgnore
  public long queriesObserved() {
    return detection.queriesObserved();
  }

  /** The API view of this state. */
  public AccountStatus toStatus(String accountId) {
    return new AccountStatus(
        accountId,
        level(),
        queriesObserved(),
        signals == null ? 0 : signals.eventTimeMillis(),
        levelSinceMillis,
        signals == null ? Map.of() : signals.values(),
        decision == null ? List.of() : decision.reasons(),
        reviewer,
        reviewNote,
        reviewedAtMillis,
        highestFlag() == null ? null : highestFlag().campaignId());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AccountState s
        && java.util.Arrays.equals(detection.toBytes(), s.detection.toBytes())
        && seen.equals(s.seen)
        && java.util.Objects.equals(signals, s.signals)
        && java.util.Objects.equals(decision, s.decision)
        && java.util.Objects.equals(policyVersion, s.policyVersion)
        && levelSinceMillis == s.levelSinceMillis
        && java.util.Objects.equals(reviewer, s.reviewer)
        && java.util.Objects.equals(reviewNote, s.reviewNote)
        && java.util.Objects.equals(reviewedAtMillis, s.reviewedAtMillis)
        && java.util.Objects.equals(campaign, s.campaign)
        && java.util.Objects.equals(organisation, s.organisation);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(signals, levelSinceMillis, reviewer, reviewedAtMillis);
  }

  @Override
  public String toString() {
    return "State[level=" + level() + ", queries=" + queriesObserved() + "]";
  }
}
