package io.distillguard.actors.campaign;

import io.distillguard.campaign.LinkHasher;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.LinkType;
import io.distillguard.policy.Policy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Campaign entities on the persistence test kit (every command, event and state round-tripped
 * through its serializer) for one test class: register it as a static {@code @RegisterExtension}
 * field; each entity made through it is cleared after each test, the actor system shut down after
 * the class. Also the keys and the time the campaign entity tests share.
 */
final class CampaignEntityKit implements AfterEachCallback, AfterAllCallback {

  static final LinkHasher HASHER = LinkHasher.localDefault();
  static final LinkKey SCAFFOLD = HASHER.key(LinkType.SCAFFOLD, "wrapper");
  static final LinkKey BURST = HASHER.key(LinkType.SIGNUP_BURST, "h493000");
  static final long T0 = 1_791_158_400_000L;

  private final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config());
  private final List<EventSourcedBehaviorTestKit<?, ?, ?>> made = new ArrayList<>();

  /** The actor system the entities run in. */
  ActorTestKit testKit() {
    return testKit;
  }

  /** Campaign {@code id} under the shipped policy, as the cluster runs it. */
  EventSourcedBehaviorTestKit<CampaignEntity.Command, CampaignEntity.Event, CampaignEntityState>
      entity(String id) {
    return entity(CampaignBehaviors.create(id, Policy::loadDefault, 10, Clock.systemUTC()));
  }

  /** A campaign entity made with settings of the test's own. */
  EventSourcedBehaviorTestKit<CampaignEntity.Command, CampaignEntity.Event, CampaignEntityState>
      entity(Behavior<CampaignEntity.Command> behavior) {
    EventSourcedBehaviorTestKit<CampaignEntity.Command, CampaignEntity.Event, CampaignEntityState>
        kit = EventSourcedBehaviorTestKit.create(testKit.system(), behavior);
    made.add(kit);
    return kit;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    made.forEach(EventSourcedBehaviorTestKit::clear);
    made.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    testKit.shutdownTestKit();
  }
}
