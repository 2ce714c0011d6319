package io.distillguard.bench.detection.campaign;

import io.distillguard.campaign.CampaignDetector;
import io.distillguard.campaign.LinkKind;
import io.distillguard.campaign.LinkSettings;
import io.distillguard.contract.AccountProfile;
import java.util.List;
import java.util.Set;

/**
 * The rest of a provider's population, as far as link-key statistics go. The benchmark's world
 * holds a few hundred accounts, so values that millions of real accounts share (a webmail domain, a
 * popular SDK's user agent, the provider's API key id format) are shared by only a few dozen here
 * and keep a link weight they would never have in production. Before a replay this feeds the
 * detector as many synthetic accounts per such value as make the key a stop-word under the policy's
 * own counts (a quarter more, {@link #beyondStopWord}): profiles with the webmail domains
 * (registration) and one query each with the common user agents and the key id format
 * (infrastructure). The synthetic accounts have no labels and share nothing else with the
 * benchmark's accounts.
 */
final class PopulationPrior {

  private PopulationPrior() {}

  /** Feeds the synthetic accounts at {@code atMillis}; returns how many. */
  static int feed(CampaignDetector detector, LinkSettings links, String category, long atMillis) {
    int n = 0;
    int registration = beyondStopWord(links.stopWordAccounts(LinkKind.REGISTRATION));
    for (String domain : TrafficKit.WEBMAIL) {
      for (int i = 0; i < registration; i++) {
        String id = "prior-" + n++;
        detector.profile(
            new AccountProfile(
                id, "(population prior)", null, null, null, null, null, null, domain),
            Set.of(),
            atMillis);
      }
    }
    int infrastructure = beyondStopWord(links.stopWordAccounts(LinkKind.INFRASTRUCTURE));
    for (String ua : TrafficKit.COMMON_USER_AGENTS) {
      for (int i = 0; i < infrastructure; i++) {
        String id = "prior-" + n++;
        detector.observe(
            id,
            atMillis,
            category,
            detector
                .extractor()
                .infrastructure(null, ua, "key-" + Long.toHexString(0x100000000000L + n)));
      }
    }
    return n;
  }

  /**
   * Accounts to feed per value so that its key is a stop-word for certain: past the member table a
   * key's accounts are counted by a HyperLogLog (about 3% error), and a key that stays short of the
   * count by its estimate keeps a weight, then expires with its members seven days on (the prior is
   * fed at the first sign-up, weeks before most traffic) and is counted from nothing again.
   */
  static int beyondStopWord(int stopWordAccounts) {
    return stopWordAccounts + stopWordAccounts / 4;
  }

  /** The values the prior covers, for the report. */
  static List<String> covered() {
    return List.of(
        "webmail domains " + TrafficKit.WEBMAIL,
        "user agents " + TrafficKit.COMMON_USER_AGENTS,
        "the API key id format");
  }
}
