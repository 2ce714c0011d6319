package io.distillguard.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The in-process Kafka broker of a test class ({@link InProcessKafka}), as a JUnit 5 extension.
 * Registered on a static field,
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension kafka =
 *     KafkaBrokerExtension.create().withTopic("events", 2).withTopic("dead-letters", 1);
 * }</pre>
 *
 * it starts the broker and creates its topics before the class's {@code @BeforeAll} methods, and
 * closes it after its {@code @AfterAll} methods, so everything those start may use the broker until
 * they have stopped it.
 *
 * <p>Immutable until started: each {@code with...} returns a new extension.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

  private final Map<String, String> brokerSettings;
  private final List<NewTopic> topics;
  private KafkaClusterTestKit cluster;
  private ExtensionContext startedIn;

  private KafkaBrokerExtension(Map<String, String> brokerSettings, List<NewTopic> topics) {
    this.brokerSettings = Map.copyOf(brokerSettings);
    this.topics = List.copyOf(topics);
  }

  /** A one-node broker with {@link InProcessKafka}'s settings and no topics. */
  public static KafkaBrokerExtension create() {
    return new KafkaBrokerExtension(Map.of(), List.of());
  }

  /**
   * This broker with an extra broker setting (for example {@code
   * group.initial.rebalance.delay.ms}).
   */
  public KafkaBrokerExtension withSetting(String key, String value) {
    Map<String, String> settings = new LinkedHashMap<>(brokerSettings);
    settings.put(key, value);
    return new KafkaBrokerExtension(settings, topics);
  }

  /** This broker with a topic of {@code partitions} partitions (replication factor 1). */
  public KafkaBrokerExtension withTopic(String name, int partitions) {
    List<NewTopic> more = new ArrayList<>(topics);
    more.add(new NewTopic(name, partitions, (short) 1));
    return new KafkaBrokerExtension(brokerSettings, more);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (cluster != null) {
      return; // a nested class of the one that started it: the same broker
    }
    KafkaClusterTestKit started = InProcessKafka.start(brokerSettings);
    try {
      if (!topics.isEmpty()) {
        try (Admin admin = Admin.create(started.clientProperties())) {
          admin.createTopics(topics).all().get();
        }
      }
    } catch (Exception e) {
      started.close();
      throw e;
    }
    cluster = started;
    startedIn = context;
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (cluster != null && context == startedIn) {
      try {
        cluster.close();
      } finally {
        cluster = null;
        startedIn = null;
      }
    }
  }

  /** The broker's {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return cluster().bootstrapServers();
  }

  /** What a client needs to reach the broker ({@code bootstrap.servers} and the like). */
  public Properties clientProperties() {
    return cluster().clientProperties();
  }

  /** Creates {@code more} topics on the broker and waits until they exist. */
  public void createTopics(NewTopic... more) throws Exception {
    try (Admin admin = Admin.create(clientProperties())) {
      admin.createTopics(List.of(more)).all().get();
    }
  }

  /** The running broker itself. */
  public KafkaClusterTestKit cluster() {
    if (cluster == null) {
      throw new IllegalStateException(
          "the broker runs only while its test class does: register the extension on a static"
              + " field with @RegisterExtension");
    }
    return cluster;
  }
}
