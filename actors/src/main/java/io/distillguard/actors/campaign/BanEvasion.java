package io.distillguard.actors.campaign;

import io.distillguard.campaign.CampaignGrouper;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.LinkKey;
import io.distillguard.policy.Level;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The campaign entity's ban-evasion check (pure: what a recorded member calls for). */
final class BanEvasion {

  private static final Logger LOG = LoggerFactory.getLogger(BanEvasion.class);

  private BanEvasion() {}

  /**
   * Ban evasion: once the campaign is CONFIRMED, an account that joins it is recorded as a late
   * joiner with whether it links strongly, and a weakly linked late joiner that now links strongly
   * is recorded again (the members at the confirmation are throttled by the confirmation itself).
   */
  static java.util.Optional<CampaignEntity.Event> evasion(
      CampaignEntityState state,
      io.distillguard.campaign.MemberSummary summary,
      List<CampaignLink> links,
      boolean joined,
      long atMillis,
      double minLinkWeight) {
    if (state.level() != Level.CONFIRMED) {
      return java.util.Optional.empty();
    }
    String account = summary.accountId();
    Boolean known = state.lateJoiners().get(account);
    if (!joined && known == null || Boolean.TRUE.equals(known)) {
      return java.util.Optional.empty();
    }
    boolean strong = linksStrongly(account, links, minLinkWeight);
    if (!joined && !strong) {
      return java.util.Optional.empty();
    }
    LOG.info(
        "account {} joined the confirmed campaign, {} linked",
        account,
        strong ? "strongly" : "weakly");
    return java.util.Optional.of(
        new CampaignEntity.JoinedAfterConfirmation(account, strong, atMillis));
  }

  /**
   * Whether {@code account}'s links among {@code links} tie it strongly (content together with
   * infrastructure or registration, as {@link CampaignGrouper#isStrong} decides).
   */
  static boolean linksStrongly(String account, List<CampaignLink> links, double minLinkWeight) {
    Map<LinkKey, Double> weights = new java.util.HashMap<>();
    for (CampaignLink l : links) {
      if (l.members().contains(account)) {
        weights.merge(l.key(), l.weight(), Math::max);
      }
    }
    // The payload band keys it shares with the group stand for the pair's shared bands.
    int payloadBands =
        (int)
            weights.keySet().stream()
                .filter(k -> k.type() == io.distillguard.campaign.LinkType.PAYLOAD_MINHASH_BAND)
                .count();
    return CampaignGrouper.isStrong(
        weights.keySet(), k -> weights.getOrDefault(k, 0.0), minLinkWeight, payloadBands);
  }
}
