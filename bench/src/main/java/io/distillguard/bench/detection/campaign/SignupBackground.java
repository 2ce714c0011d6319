package io.distillguard.bench.detection.campaign;

import io.distillguard.campaign.CampaignDetector;
import io.distillguard.contract.AccountProfile;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The other sign-ups of a provider's population around the benchmark's own: a provider signs up
 * many accounts every hour, the benchmark a few, so a sign-up hour that seven of its accounts share
 * keeps a registration weight (0.5 at seven) that no hour has in production, where it is shared by
 * every account that signed up then. With an account's first query this feeds, for the hour of its
 * sign-up and the hours either side (the burst keys are the hour and the hour shifted by 30
 * minutes, the window three hours), {@code perHour} synthetic profiles created at random within
 * each such hour, verified between a minute and two days later, at a webmail domain, with nothing
 * else: ordinary accounts that share only the time of their sign-up with it. Each hour is fed once,
 * at the first query of the first account that signed up in it: a sign-up key lives while its
 * members are active (their queries refresh it; members unseen for the TTL leave it), so the
 * background stands for the other accounts of that hour active in the same week. Past the member
 * table (256) the key's count is kept by its sketch while the table lives; fewer leave a week
 * later. Not thread-safe.
 */
final class SignupBackground {

  private static final long SEED = 20261202L;

  private final int perHour;
  private final Random rng;
  private final Map<String, Instant> created = new HashMap<>();
  private final Set<String> active = new HashSet<>();
  private final Set<Long> fedHours = new HashSet<>();
  private int fed;

  /**
   * The background of {@code profiles}' sign-ups ({@code perHour} 0: none), drawn from a fixed
   * seed: every replay of a split sees the same background.
   */
  SignupBackground(int perHour, Collection<RegisteredProfile> profiles) {
    this.perHour = perHour;
    this.rng = new Random(SEED);
    for (RegisteredProfile p : profiles) {
      if (p.profile().createdAt() != null) {
        created.put(p.accountId(), p.profile().createdAt());
      }
    }
  }

  /**
   * Before {@code accountId}'s query at {@code atMillis}: with its first, feeds the background of
   * its sign-up's hours not fed yet.
   */
  void beforeQuery(CampaignDetector detector, String accountId, long atMillis) {
    if (perHour <= 0 || !active.add(accountId) || !created.containsKey(accountId)) {
      return;
    }
    Instant createdAt = created.get(accountId);
    Instant hour = createdAt.truncatedTo(ChronoUnit.HOURS);
    for (int h = -1; h <= 1; h++) {
      Instant start = hour.plus(Duration.ofHours(h));
      if (!fedHours.add(start.toEpochMilli())) {
        continue;
      }
      for (int i = 0; i < perHour; i++) {
        Instant created = start.plusSeconds(rng.nextInt(3600));
        // Log-uniform between a minute and two days: most verify at once, some much later.
        double minutes = Math.exp(rng.nextDouble() * Math.log(2 * 24 * 60));
        Instant verified = created.plusSeconds(Math.round(60 * minutes));
        detector.profile(
            new AccountProfile(
                "signup-" + fed++,
                "(sign-up background)",
                null,
                "free",
                created,
                verified,
                null,
                null,
                TrafficKit.WEBMAIL.get(0)),
            Set.of(),
            atMillis);
      }
    }
  }
}
