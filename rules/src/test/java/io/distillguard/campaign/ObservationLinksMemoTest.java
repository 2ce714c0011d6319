package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.enrich.Enrichment;
import io.distillguard.enrich.QueryEnricher;
import io.distillguard.fixtures.PromptSamples;
import io.distillguard.observe.AccountObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ObservationLinks.Memo} gives the keys {@link ObservationLinks#attach} gives, bit for bit
 * and in the same order, on real prompts (repeated, resent with a preamble, with and without
 * profiles and clients), whether its entries are hits, misses or were evicted.
 */
class ObservationLinksMemoTest {

  private static final Instant T0 = CampaignTraffic.T0;

  @Test
  void keysAreBitForBitThoseOfTheDirectPath() {
    LinkExtractor x = new LinkExtractor(new LinkHasher("a-deployment-secret"));
    // A small memo, so entries are evicted and computed again along the way.
    ObservationLinks.Memo memo = new ObservationLinks.Memo(x, 16);
    List<String> prompts = new ArrayList<>();
    for (String source : List.of("banking77", "gsm8k", "mbpp", "medquad", "mt_bench")) {
      prompts.addAll(PromptSamples.texts(source, 40));
    }
    assertThat(prompts).hasSizeGreaterThan(100);
    Random random = new Random(13);
    List<AccountProfile> profiles = new ArrayList<>();
    for (int a = 0; a < 12; a++) {
      Instant created = T0.plus(Duration.ofMinutes(17L * a));
      profiles.add(
          new AccountProfile(
              "acct-" + a,
              a % 4 == 0 ? null : "An app that " + prompts.get(a).toLowerCase(),
              a % 3 == 0 ? "org-" + a : null,
              null,
              a % 5 == 0 ? null : created,
              a % 2 == 0 ? created.plus(Duration.ofMinutes(3L * a)) : null,
              a % 3 == 1 ? "198.51.100." + a : null,
              a % 4 == 1 ? "fp-" + a : null,
              a % 2 == 1 ? "example-" + a + ".org" : null));
    }
    String preamble = "You are a helpful assistant for our customers. Answer briefly.\n\n";
    int withIp = 0;
    for (int i = 0; i < 2_000; i++) {
      int a = random.nextInt(profiles.size());
      // Repeats on purpose: a popular prompt, a resent preamble, the same client again.
      String prompt = prompts.get(random.nextInt(i % 3 == 0 ? 10 : prompts.size()));
      if (a % 2 == 0) {
        prompt = preamble + prompt;
      }
      QueryEvent.ClientInfo client =
          switch (a % 4) {
            case 0 -> null;
            case 1 -> new QueryEvent.ClientInfo("203.0.113." + (a + random.nextInt(3)), "ua/" + a);
            case 2 -> new QueryEvent.ClientInfo("2001:db8::" + a, null);
            default -> new QueryEvent.ClientInfo(null, "bench/1.0 (" + a + ")");
          };
      QueryEvent e =
          new QueryEvent(
              "e" + i,
              "acct-" + a,
              T0.plusSeconds(i),
              prompt,
              null,
              a % 3 == 2 ? null : "key-" + a + "-live-" + (1000 + a),
              null,
              null,
              null,
              null,
              client);
      AccountProfile p = a % 6 == 5 ? null : profiles.get(a);
      AccountObservation o =
          QueryEnricher.observation(e, p, null, new Enrichment("c", 0f, 0f, 0L, 0L, null));

      AccountObservation direct = ObservationLinks.attach(o, e, p, x);
      AccountObservation memoized = memo.attach(o, e, p);

      assertThat(memoized.linkKeys()).as("event %d", i).containsExactly(direct.linkKeys());
      assertThat(memoized.clientIp()).as("event %d", i).isEqualTo(direct.clientIp());
      withIp += direct.clientIp() != null && !direct.clientIp().equals(o.clientIp()) ? 1 : 0;
    }
    // The samples exercised every part: hashed client IPs, and keys of every kind.
    assertThat(withIp).isPositive();
  }
}
