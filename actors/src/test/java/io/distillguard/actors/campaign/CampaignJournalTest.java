package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.LinkHasher;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.LinkType;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.SnapshotMeta;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaign journal stays bounded: a member's observations journal only what matters ({@link
 * CompactJournal}), and snapshots bound what a recovery replays, while the decisions stay facts
 * that a recovery ends in.
 */
class CampaignJournalTest {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignJournalTest.class);
  private static final ActorTestKit TEST_KIT =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config());
  private static final LinkHasher HASHER = LinkHasher.localDefault();
  private static final LinkKey SCAFFOLD = HASHER.key(LinkType.SCAFFOLD, "wrapper");
  private static final LinkKey BURST = HASHER.key(LinkType.SIGNUP_BURST, "h493000");
  private static final long T0 = 1_791_158_400_000L;
  private static final int SNAPSHOT_EVERY = 100;

  @AfterAll
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  private static EventSourcedBehaviorTestKit<
          CampaignEntity.Command, CampaignEntity.Event, CampaignEntityState>
      kit(String id, boolean verifyState) {
    return EventSourcedBehaviorTestKit.create(
        TEST_KIT.system(),
        CampaignBehaviors.create(id, Policy::loadDefault, 10, SNAPSHOT_EVERY, Clock.systemUTC()),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(verifyState));
  }

  /** Member m after {@code queries} queries: two categories of its own, one active hour a query. */
  private static MemberSummary member(int m, long queries) {
    Map<String, Long> categories = new LinkedHashMap<>();
    categories.put("cat-" + (2 * m % 10), (queries + 1) / 2);
    if (queries > 1) {
      categories.put("cat-" + ((2 * m + 1) % 10), queries / 2);
    }
    List<Long> hours = new ArrayList<>();
    for (long h = Math.max(0, queries - 256); h < queries; h++) {
      hours.add(T0 / 3_600_000L + h);
    }
    return new MemberSummary(
        "swarm-" + m,
        queries,
        categories,
        T0,
        T0 + 3_600_000L * queries,
        T0 - 7_200_000L + 60_000L * m,
        Set.of("cat-" + (2 * m % 10)),
        null,
        hours,
        null);
  }

  private static List<CampaignLink> links(Set<String> members) {
    return List.of(new CampaignLink(SCAFFOLD, 0.8, members), new CampaignLink(BURST, 0.6, members));
  }

  private static StatusReply<Done> record(
      EventSourcedBehaviorTestKit<CampaignEntity.Command, CampaignEntity.Event, CampaignEntityState>
          kit,
      MemberSummary s,
      Set<String> on) {
    Set<String> members = Set.copyOf(on);
    return kit.<StatusReply<Done>>runCommand(
            replyTo -> new CampaignEntity.RecordMember(s, links(members), replyTo))
        .reply();
  }

  @Test
  void anObservationThatChangesNothingThatMattersIsNotJournaled() {
    var kit = kit("cmp-compact", true);
    Set<String> on = new HashSet<>();
    for (int m = 0; m < 5; m++) {
      on.add("swarm-" + m);
      record(kit, member(m, 30), on);
    }
    assertThat(kit.getState().level()).isEqualTo(Level.REVIEW);
    // The same summary again, and a few more queries in the same categories: nothing to journal.
    var same =
        kit.<StatusReply<Done>>runCommand(
            replyTo -> new CampaignEntity.RecordMember(member(1, 30), links(on), replyTo));
    assertThat(same.reply().isSuccess()).isTrue();
    assertThat(same.hasNoEvents()).isTrue();
    var more =
        kit.<StatusReply<Done>>runCommand(
            replyTo -> new CampaignEntity.RecordMember(member(1, 32), links(on), replyTo));
    assertThat(more.hasNoEvents()).isTrue();
    // An eighth more queries, or a category the member had not asked about: journaled.
    var doubled =
        kit.<StatusReply<Done>>runCommand(
            replyTo -> new CampaignEntity.RecordMember(member(1, 34), links(on), replyTo));
    assertThat(doubled.events()).hasSize(1);
    assertThat(((CampaignEntity.MembersRecorded) doubled.event()).joined()).isEmpty();
    MemberSummary wider =
        new MemberSummary(
            "swarm-2",
            31,
            Map.of("cat-4", 15L, "cat-5", 15L, "cat-9", 1L),
            T0,
            T0,
            T0 - 7_200_000L + 120_000L,
            Set.of("cat-4"),
            null,
            List.of(T0 / 3_600_000L),
            null);
    var widened =
        kit.<StatusReply<Done>>runCommand(
            replyTo -> new CampaignEntity.RecordMember(wider, links(on), replyTo));
    assertThat(widened.events()).hasSize(1);
    // A link weight that moved is journaled too.
    var reweighed =
        kit.<StatusReply<Done>>runCommand(
            replyTo ->
                new CampaignEntity.RecordMember(
                    member(3, 30),
                    List.of(new CampaignLink(SCAFFOLD, 0.5, on), new CampaignLink(BURST, 0.6, on)),
                    replyTo));
    assertThat(reweighed.events()).hasSize(1);
    kit.clear();
  }

  @Test
  void aMembersOwnLevelIsJournaledWhenItChangesAndKeptWhenASummaryComesWithoutOne() {
    var kit = kit("cmp-own-level", true);
    Set<String> on = new HashSet<>();
    for (int m = 0; m < 5; m++) {
      on.add("swarm-" + m);
      record(kit, member(m, 30), on);
    }
    // The member's own rules escalated it: the same summary otherwise, journaled.
    var escalated =
        kit.<StatusReply<Done>>runCommand(
            replyTo ->
                new CampaignEntity.RecordMember(
                    member(1, 30).withOwnLevel(Level.REVIEW), links(on), replyTo));
    assertThat(escalated.events()).hasSize(1);
    assertThat(kit.getState().members().get("swarm-1").ownLevel()).isEqualTo(Level.REVIEW);
    // A grouping restarted since knows no own level: the recorded one stays, nothing to journal.
    var unknown =
        kit.<StatusReply<Done>>runCommand(
            replyTo -> new CampaignEntity.RecordMember(member(1, 30), links(on), replyTo));
    assertThat(unknown.hasNoEvents()).isTrue();
    assertThat(kit.getState().members().get("swarm-1").ownLevel()).isEqualTo(Level.REVIEW);
    // More queries without a level: journaled, still with the recorded level.
    var more =
        kit.<StatusReply<Done>>runCommand(
            replyTo -> new CampaignEntity.RecordMember(member(1, 40), links(on), replyTo));
    assertThat(more.events()).hasSize(1);
    assertThat(
            ((CampaignEntity.MembersRecorded) more.event()).members().get(0).summary().ownLevel())
        .isEqualTo(Level.REVIEW);
    assertThat(
            io.distillguard.campaign.CampaignState.signals(
                    kit.getState().members().values(), kit.getState().links(), 10, 0.25)
                .get(io.distillguard.campaign.CampaignSignals.ESCALATED_MEMBERS))
        .isEqualTo(1.0);
    // A reviewer cleared the account: that is its own level now.
    var cleared =
        kit.<StatusReply<Done>>runCommand(
            replyTo ->
                new CampaignEntity.RecordMember(
                    member(1, 40).withOwnLevel(Level.CLEARED), links(on), replyTo));
    assertThat(cleared.events()).hasSize(1);
    assertThat(kit.getState().members().get("swarm-1").ownLevel()).isEqualTo(Level.CLEARED);
    kit.clear();
  }

  @Test
  void aLargeCampaignRecoversFromASnapshotAndAFewEvents() {
    var kit = kit("cmp-large", false);
    int members = 50;
    int queriesEach = 400;
    Set<String> on = new HashSet<>();
    long observations = 0;
    // Members join together and keep asking: round q gives every member its q-th query.
    for (int q = 1; q <= queriesEach; q++) {
      for (int m = 0; m < members; m++) {
        if (q == 1) {
          on.add("swarm-" + m);
        }
        assertThat(record(kit, member(m, q), on).isSuccess()).isTrue();
        observations++;
      }
    }
    String pid = "Campaign|cmp-large";
    long events = kit.persistenceTestKit().persistedInStorage(pid).size();
    List<Pair<SnapshotMeta, Object>> snapshots =
        kit.snapshotTestKit().orElseThrow().persistedInStorage(pid);
    long snapshotAt = snapshots.stream().mapToLong(p -> p.first().sequenceNr()).max().orElse(0);
    long replayed = events - snapshotAt;
    Level level = kit.getState().level();
    LOG.info(
        "campaign of {} members, {} observations: {} journal events before (one per observation),"
            + " {} now ({}x fewer); a recovery reads the snapshot at {} and replays {} events"
            + " ({}x fewer than {})",
        members,
        observations,
        observations,
        events,
        observations / Math.max(1, events),
        snapshotAt,
        replayed,
        observations / Math.max(1, replayed),
        observations);
    // Per member: its first 8 queries, then each eighth more (9, 10, 11, 12, 13, 14, 15, 16, 18,
    // ... 400), where one event per observation was journaled before; and the one decision.
    int perMember = 0;
    for (long q = 1, journaled = 0; q <= queriesEach; q++) {
      if (q - journaled >= Math.max(1, journaled / CompactJournal.GROWTH_DIVISOR)) {
        perMember++;
        journaled = q;
      }
    }
    assertThat(events).isLessThanOrEqualTo((long) members * perMember + 1);
    assertThat(events).isLessThan(observations / 5);
    assertThat(replayed).isLessThanOrEqualTo(SNAPSHOT_EVERY);
    assertThat(snapshots.size()).isLessThanOrEqualTo(2);
    assertThat(level).isEqualTo(Level.REVIEW);

    kit.restart();
    CampaignEntityState recovered = kit.getState();
    assertThat(recovered.members()).hasSize(members);
    assertThat(recovered.level()).isEqualTo(level);
    kit.clear();
  }

  @Test
  void aSnapshotCostsAFewKibibytesPerMember() {
    int members = 1_000;
    LinkedHashMap<String, MemberSummary> summaries = new LinkedHashMap<>();
    for (int m = 0; m < members; m++) {
      // A member active in 256 hours or more: its summary at its largest.
      summaries.put("swarm-" + m, member(m, 300));
    }
    CampaignEntityState state = CampaignEntityState.empty().withMembers(summaries, List.of());
    byte[] bytes =
        org.apache.pekko.serialization.SerializationExtension.get(TEST_KIT.system())
            .serialize(state)
            .get();
    long perMember = bytes.length / members;
    LOG.info(
        "snapshot of {} members: {} bytes, {} bytes a member", members, bytes.length, perMember);
    assertThat(perMember).isLessThan(8 * 1024);
  }
}
