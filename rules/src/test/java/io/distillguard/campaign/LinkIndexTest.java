package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinkIndexTest {

  private static final LinkSettings SETTINGS =
      new LinkSettings(
          Duration.ofHours(1),
          64,
          0.25,
          Map.of(LinkKind.INFRASTRUCTURE, 5, LinkKind.REGISTRATION, 50, LinkKind.CONTENT, 500));

  private static final LinkType[] TYPES = {
    LinkType.IP, LinkType.USER_AGENT, LinkType.SIGNUP_IP, LinkType.PAYLOAD_MINHASH_BAND
  };

  @Test
  void joinsAsATableOfItsOwnPerKeyWouldWhileNothingIsEvicted() {
    for (long seed = 1; seed <= 5; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      LinkIndex index = new LinkIndex(100_000);
      // What the index did before keys seen by one account had a table of their own: one
      // KeyMembers per key from its first account on.
      Map<LinkKey, KeyMembers> reference = new HashMap<>();
      long now = 0;
      for (int i = 0; i < 9_000; i++) {
        now += random.nextInt(20) == 0 ? random.nextInt(4_000_000) : random.nextInt(60_000);
        // Novel keys most of the time, a few values met again and again.
        String value =
            random.nextInt(3) == 0
                ? String.format("%016x", random.nextInt(40))
                : String.format("%016x", random.nextLong());
        LinkKey key = new LinkKey(TYPES[random.nextInt(TYPES.length)], value);
        String account = "acct-" + random.nextInt(8);

        assertThat(index.join(key, account, now, SETTINGS))
            .as("seed %d, join %d", seed, i)
            .isEqualTo(reference.computeIfAbsent(key, KeyMembers::new).add(account, now, SETTINGS));
      }
      for (Map.Entry<LinkKey, KeyMembers> e : reference.entrySet()) {
        assertThat(index.weight(e.getKey(), SETTINGS)).isEqualTo(e.getValue().weight(SETTINGS));
      }
      assertThat(index.trackedKeys()).isEqualTo(reference.size());
    }
  }

  @Test
  void keysSeenByOneAccountAreBoundedAndAnEvictedOneStartsAgain() {
    LinkIndex index = new LinkIndex(1_000);
    LinkKey early = new LinkKey(LinkType.PAYLOAD_MINHASH_BAND, "00000000000000aa");
    index.join(early, "a", 0, SETTINGS);
    for (int i = 0; i < 50_000; i++) {
      index.join(
          new LinkKey(LinkType.PAYLOAD_MINHASH_BAND, String.format("%016x", 0x1000 + i)),
          "a",
          i,
          SETTINGS);
    }
    assertThat(index.trackedKeys()).isEqualTo(1_000);
    assertThat(index.approxBytes()).isLessThan(1_000L * 44 + 64);

    // The early key was forgotten: a second account on it is its first again.
    assertThat(index.join(early, "b", 50_000, SETTINGS)).isEmpty();
    assertThat(index.join(early, "c", 50_001, SETTINGS))
        .extracting(KeyMembers.Member::accountId)
        .containsExactly("b");
    assertThat(index.get(early)).isNotNull();
  }
}
