package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyMembersTest {

  private static final LinkSettings SETTINGS =
      new LinkSettings(
          Duration.ofHours(1),
          64,
          0.25,
          Map.of(
              LinkKind.INFRASTRUCTURE,
              1000,
              LinkKind.REGISTRATION,
              5000,
              LinkKind.CONTENT,
              200_000));

  @Test
  void aKeySharedBy100kAccountsCostsBoundedMemory() {
    KeyMembers scaffold = new KeyMembers(new LinkKey(LinkType.SCAFFOLD, "00000000000000aa"));
    long bytesAt1k = 0;
    for (int i = 0; i < 100_000; i++) {
      scaffold.add("account-" + i, i, SETTINGS);
      if (i == 999) {
        bytesAt1k = scaffold.approxBytes();
      }
    }
    assertThat(scaffold.members()).hasSize(64);
    // The same size as at 1,000 accounts but for the longer ids (2 bytes a character).
    assertThat(scaffold.approxBytes())
        .isLessThanOrEqualTo(bytesAt1k + 64 * 2 * 2)
        .isLessThan(16_000);
    assertThat(scaffold.accountCount()).isBetween(85_000.0, 115_000.0);
    // Kept are the most recently seen.
    assertThat(scaffold.contains("account-99999")).isTrue();
    assertThat(scaffold.contains("account-0")).isFalse();
  }

  @Test
  void aKeySharedByVeryManyBecomesAStopWordWithNoMembers() {
    KeyMembers nat = new KeyMembers(new LinkKey(LinkType.IP, "00000000000000bb"));
    for (int i = 0; i < 2000; i++) {
      nat.add("account-" + i, i, SETTINGS);
    }
    assertThat(nat.isStopWord()).isTrue();
    assertThat(nat.members()).isEmpty();
    assertThat(nat.weight(SETTINGS)).isZero();
    assertThat(nat.add("account-new", 3000, SETTINGS)).isEmpty();
  }

  /**
   * The account that brings a key to the stop-word count makes it one: a key left at exactly that
   * count kept its members, expired with them after the TTL and was counted from nothing again.
   */
  @Test
  void aKeyReachingTheStopWordCountStaysOneAfterItsMembersWouldHaveExpired() {
    LinkSettings tenIsCommon =
        new LinkSettings(
            Duration.ofHours(1),
            64,
            0.25,
            Map.of(LinkKind.INFRASTRUCTURE, 10, LinkKind.REGISTRATION, 10, LinkKind.CONTENT, 10));
    LinkIndex index = new LinkIndex();
    LinkKey sdk = new LinkKey(LinkType.USER_AGENT, "00000000000000dd");
    for (int i = 0; i < 10; i++) {
      index.join(sdk, "account-" + i, 0, tenIsCommon);
    }
    assertThat(index.get(sdk).isStopWord()).isTrue();
    assertThat(index.get(sdk).members()).isEmpty();

    long dayLater = Duration.ofDays(1).toMillis();
    index.sweep(dayLater, tenIsCommon);
    assertThat(index.join(sdk, "x", dayLater, tenIsCommon)).isEmpty();
    assertThat(index.join(sdk, "y", dayLater, tenIsCommon)).isEmpty();
    assertThat(index.weight(sdk, tenIsCommon)).isZero();
  }

  @Test
  void weightFallsWithPopularity() {
    double two = SETTINGS.weight(LinkType.IP, 2);
    double fifty = SETTINGS.weight(LinkType.IP, 50);
    double nineHundred = SETTINGS.weight(LinkType.IP, 900);
    assertThat(two).isEqualTo(LinkType.IP.baseWeight());
    assertThat(fifty).isLessThan(two).isGreaterThan(nineHundred);
    assertThat(SETTINGS.weight(LinkType.IP, 1000)).isZero();
  }

  @Test
  void membersExpireAfterTheTtlAndNewOnesSeeOnlyCurrentMembers() {
    KeyMembers k = new KeyMembers(new LinkKey(LinkType.IP_PREFIX, "00000000000000cc"));
    assertThat(k.add("a", 0, SETTINGS)).isEmpty();
    assertThat(k.add("b", 60_000, SETTINGS))
        .extracting(KeyMembers.Member::accountId)
        .containsExactly("a");
    assertThat(k.add("a", 120_000, SETTINGS)).isEmpty();
    long later = 120_000 + Duration.ofHours(1).toMillis() + 1;
    assertThat(k.add("c", later, SETTINGS)).isEmpty();
    assertThat(k.expire(later + Duration.ofHours(2).toMillis(), SETTINGS)).isTrue();
  }

  @Test
  void theIndexDropsExpiredKeys() {
    LinkIndex index = new LinkIndex();
    index.join(new LinkKey(LinkType.IP, "01"), "a", 0, SETTINGS);
    index.join(new LinkKey(LinkType.IP, "02"), "b", Duration.ofHours(3).toMillis(), SETTINGS);
    index.sweep(Duration.ofHours(3).toMillis(), SETTINGS);
    assertThat(index.trackedKeys()).isEqualTo(1);
  }
}
