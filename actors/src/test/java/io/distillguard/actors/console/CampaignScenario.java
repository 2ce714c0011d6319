package io.distillguard.actors.console;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.ClusterSettings;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.actors.campaign.SwarmTraffic;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.embedding.TextEmbedder;
import io.distillguard.observe.AccountObservation;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A campaign for the console's tests (the traffic of {@code CampaignFeedIT}): eight accounts that
 * split a sweep between them behind one scaffold and one sign-up burst, which the shipped campaign
 * rules raise to REVIEW as one campaign, and a NAT organisation that stays quiet. A few of each
 * member's prompts are in the embedded store (for the bundle's evidence); webhooks go to a
 * verifying receiver; the API is behind a token.
 */
final class CampaignScenario implements AutoCloseable {

  static final String TOKEN = ConsoleScenario.TOKEN;
  static final int MEMBERS = 8;
  static final String PREFIX = "swarm-";

  final WebhookReceiver receiver;
  final VectorStore store;
  final ActorService service;
  final String campaignId;

  private CampaignScenario(
      WebhookReceiver receiver, VectorStore store, ActorService service, String campaignId) {
    this.receiver = receiver;
    this.store = store;
    this.service = service;
    this.campaignId = campaignId;
  }

  static CampaignScenario start(Path dir) throws Exception {
    WebhookReceiver receiver = WebhookReceiver.start(ConsoleScenario.SECRET);
    List<AccountObservation> traffic = SwarmTraffic.swarmBesideNatOrganisation();
    VectorStore store = VectorStores.open(StoreSettings.embedded(dir.resolve("store")));
    List<QueryRecord> records = new ArrayList<>();
    for (AccountObservation o : traffic) {
      if (o.accountId().startsWith(PREFIX)
          && (o.eventId().endsWith("-e0") || o.eventId().endsWith("-e1"))) {
        records.add(
            new QueryRecord(
                o.eventId(),
                o.accountId(),
                o.eventTimeMillis(),
                o.category(),
                o.statedUseSimilarity(),
                "Practice item for the study bank: " + o.category() + " question " + o.eventId(),
                unit(o.eventId().hashCode()),
                Map.of()));
      }
    }
    store.upsert(records);
    ActorService service =
        ActorService.startWith(
            ActorSettings.defaults(dir.resolve("data"))
                .withWebhook(receiver.url("/review"), ConsoleScenario.SECRET)
                .withHttp("127.0.0.1", 0, TOKEN),
            ClusterSettings.local(),
            new EvidenceSource.Served(store, new NoSearch()));
    TestFixtures.record(service, traffic);
    if (!service.awaitSettled(Duration.ofSeconds(60))) {
      throw new IllegalStateException("the campaign scenario did not settle");
    }
    String id = service.campaigns().campaignOf(PREFIX + "0").orElseThrow();
    return new CampaignScenario(receiver, store, service, id);
  }

  /** A unit vector of the store's dimension (the bundle ranks stored prompts, never by vector). */
  private static float[] unit(int seed) {
    float[] v = new float[384];
    v[Math.floorMod(seed, v.length)] = 1f;
    return v;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + service.httpPort();
  }

  @Override
  public void close() {
    service.close();
    store.close();
    receiver.close();
  }

  /** The campaign tests never search by text, so no model is loaded. */
  private static final class NoSearch implements TextEmbedder {
    @Override
    public int dimension() {
      return 384;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
      throw new UnsupportedOperationException("no text search in the campaign scenario");
    }
  }
}
