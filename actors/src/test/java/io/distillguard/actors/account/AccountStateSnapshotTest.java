package io.distillguard.actors.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.TestFixtures;
import io.distillguard.detect.AccountDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.detect.Evaluation;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Snapshots written while the state was {@code AccountEntity.State} still load as {@link
 * AccountState}. The fixture holds the serializer id, manifest and payload of a snapshot that the
 * code before the move wrote for the state below (a throttled account with a review and a campaign
 * flag).
 */
class AccountStateSnapshotTest {

  private static final ActorTestKit TEST_KIT = ActorTestKit.create();
  private static final Serialization SERIALIZATION =
      SerializationExtension.get(TEST_KIT.system().classicSystem());

  @AfterAll
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  @Test
  void aSnapshotWrittenUnderTheOldClassNameLoads() throws IOException {
    Map<String, String> snapshot = fixture("/snapshots/account-state-before-rename.txt");
    assertThat(snapshot.get("manifest")).isEqualTo(AccountStateRename.OLD_CLASS_NAME);

    Object loaded =
        SERIALIZATION
            .deserialize(
                Base64.getDecoder().decode(snapshot.get("payload")),
                Integer.parseInt(snapshot.get("serializer")),
                snapshot.get("manifest"))
            .get();

    // Not equal to a state computed now byte for byte since the signals' format 4 (the fixture's
    // detection state holds no off-use category-fit samples, which format 3 did not have): what it
    // pins below is unchanged.
    assertThat(loaded).isInstanceOf(AccountState.class);
    AccountState state = (AccountState) loaded;
    assertThat(state.queriesObserved()).isEqualTo(writtenState().queriesObserved());
    assertThat(state.level()).isEqualTo(Level.THROTTLE);
    assertThat(state.queriesObserved()).isEqualTo(8);
    assertThat(state.reviewer()).isEqualTo("ana");
    assertThat(state.campaign().campaignId()).isEqualTo("cmp-1");
    assertThat(state.seen().toBytes()).isEqualTo(writtenState().seen().toBytes());
  }

  @Test
  void newSnapshotsNameTheMovedClass() {
    AccountState state = writtenState();
    assertThat(Serializers.manifestFor(SERIALIZATION.findSerializerFor(state), state))
        .isEqualTo(AccountState.class.getName());
  }

  /** The state the fixture was written from. */
  private static AccountState writtenState() {
    AccountDetector detector = TestFixtures.detector();
    DetectionState d = detector.newState();
    Evaluation last = null;
    for (AccountObservation o : TestFixtures.campaign("acct-1")) {
      last = detector.observe(d, o);
    }
    return new AccountEntityStates()
        .of(d, last)
        .withFlag("cmp-1", new AccountEntity.CampaignFlag("cmp-1", Level.REVIEW, 12L, 1000L));
  }

  private static Map<String, String> fixture(String resource) throws IOException {
    Map<String, String> out = new HashMap<>();
    try (InputStream in = AccountStateSnapshotTest.class.getResourceAsStream(resource)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          out.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    return out;
  }
}
