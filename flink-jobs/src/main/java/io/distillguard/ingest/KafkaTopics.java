package io.distillguard.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka topics between the stages, checked before the job starts: a job submitted before its
 * topics exist would otherwise restart forever on {@code UnknownTopicOrPartitionException}. {@link
 * #ensure} fails once, naming the missing topics and the commands that create them, or creates them
 * when the operator allows it ({@code kafka.create-topics=true}).
 *
 * @param bootstrapServers the Kafka cluster
 * @param topics the topics the job reads and writes, with how to create each
 * @param create whether {@link #ensure} creates missing topics ({@code kafka.create-topics})
 * @param replicationFactor replication of created topics; below 1: the broker's default ({@code
 *     kafka.create-topics.replication-factor})
 * @param clientProperties Kafka client properties of the admin client ({@code kafka.client.*})
 */
public record KafkaTopics(
    String bootstrapServers,
    List<Topic> topics,
    boolean create,
    short replicationFactor,
    Map<String, String> clientProperties) {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

  /**
   * One topic and how it is created when missing.
   *
   * @param name topic name
   * @param role what the job does with it, for messages ("query events (read)")
   * @param partitions partitions when created
   * @param configs topic configs when created (e.g. {@code cleanup.policy=compact})
   */
  public record Topic(String name, String role, int partitions, Map<String, String> configs) {
    public Topic {
      Objects.requireNonNull(name, "name");
      configs = Map.copyOf(configs);
    }

    /** The {@code kafka-topics.sh} command that creates this topic. */
    public String createCommand(String bootstrapServers, short replicationFactor) {
      StringBuilder b =
          new StringBuilder("kafka-topics.sh --bootstrap-server ")
              .append(bootstrapServers)
              .append(" --create --topic ")
              .append(name)
              .append(" --partitions ")
              .append(partitions)
              .append(" --replication-factor ")
              .append(replicationFactor < 1 ? 3 : replicationFactor);
      configs.entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> b.append(" --config ").append(e.getKey()).append('=').append(e.getValue()));
      return b.toString();
    }
  }

  public KafkaTopics(
      String bootstrapServers, List<Topic> topics, boolean create, short replicationFactor) {
    this(bootstrapServers, topics, create, replicationFactor, Map.of());
  }

  public KafkaTopics {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    topics = List.copyOf(topics);
    clientProperties = Map.copyOf(clientProperties);
  }

  /** Query events, read by the job (keyed by account id or not; deleted after retention). */
  public static Topic events(String name) {
    return new Topic(name, "query events (read)", 6, Map.of("cleanup.policy", "delete"));
  }

  /** Account profiles, read by the job; keyed by account id, compacted to the latest profile. */
  public static Topic profiles(String name) {
    return new Topic(name, "account profiles (read)", 3, Map.of("cleanup.policy", "compact"));
  }

  /** Observations, written by the job and read by the actor service; keyed by account id. */
  public static Topic observations(String name) {
    return new Topic(name, "account observations (written)", 6, Map.of("cleanup.policy", "delete"));
  }

  /** Dead letters, written by the job. */
  public static Topic deadLetters(String name) {
    return new Topic(name, "dead letters (written)", 1, Map.of("cleanup.policy", "delete"));
  }

  /** The names of {@link #topics} that do not exist on the cluster, in order. */
  public List<String> missing(Duration timeout) {
    Set<String> existing = existing(bootstrapServers, clientProperties, timeout);
    List<String> out = new ArrayList<>();
    for (Topic t : topics) {
      if (!existing.contains(t.name())) {
        out.add(t.name());
      }
    }
    return out;
  }

  /**
   * Checks that every topic exists. A missing topic is created when {@link #create} is true (with
   * its partitions and configs, replication {@link #replicationFactor}); otherwise this fails with
   * a message naming the missing topics and how to create them.
   *
   * @throws IllegalStateException when Kafka cannot be reached, or topics are missing and may not
   *     be created
   */
  public void ensure(Duration timeout) {
    List<String> missing = missing(timeout);
    if (missing.isEmpty()) {
      return;
    }
    List<Topic> absent = topics.stream().filter(t -> missing.contains(t.name())).toList();
    if (!create) {
      StringBuilder m =
          new StringBuilder("Kafka topic")
              .append(missing.size() == 1 ? " " : "s ")
              .append(String.join(", ", missing))
              .append(missing.size() == 1 ? " does" : " do")
              .append(" not exist on ")
              .append(bootstrapServers)
              .append(". Create ")
              .append(missing.size() == 1 ? "it" : "them")
              .append(", e.g.:");
      for (Topic t : absent) {
        m.append("\n  ").append(t.createCommand(bootstrapServers, replicationFactor));
      }
      m.append(
          "\nor start the job with kafka.create-topics=true to create them"
              + " (kafka.create-topics.replication-factor sets their replication).");
      throw new IllegalStateException(m.toString());
    }
    createTopics(absent, timeout);
  }

  private void createTopics(List<Topic> absent, Duration timeout) {
    List<NewTopic> requests = new ArrayList<>();
    for (Topic t : absent) {
      NewTopic n =
          replicationFactor < 1
              ? new NewTopic(
                  t.name(), java.util.Optional.of(t.partitions()), java.util.Optional.empty())
              : new NewTopic(t.name(), t.partitions(), replicationFactor);
      requests.add(n.configs(t.configs()));
    }
    try (Admin admin = admin(bootstrapServers, clientProperties, timeout)) {
      for (var e : admin.createTopics(requests).values().entrySet()) {
        try {
          e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          LOG.info("created Kafka topic {} on {}", e.getKey(), bootstrapServers);
        } catch (ExecutionException ex) {
          if (!(ex.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create Kafka topic " + e.getKey() + ": " + ex.getCause().getMessage(),
                ex.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating Kafka topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers + " did not create the topics within " + timeout, e);
    }
  }

  /**
   * The topic names on the cluster.
   *
   * @throws IllegalStateException when Kafka cannot be reached within {@code timeout}
   */
  public static Set<String> existing(String bootstrapServers, Duration timeout) {
    return existing(bootstrapServers, Map.of(), timeout);
  }

  /** As {@link #existing(String, Duration)}, with Kafka client properties (security). */
  public static Set<String> existing(
      String bootstrapServers, Map<String, String> clientProperties, Duration timeout) {
    try (Admin admin = admin(bootstrapServers, clientProperties, timeout)) {
      return new TreeSet<>(
          admin
              .listTopics(new ListTopicsOptions().timeoutMs((int) timeout.toMillis()))
              .names()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing Kafka topics", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException(
          "cannot reach Kafka at "
              + bootstrapServers
              + " within "
              + timeout.toSeconds()
              + " s: "
              + cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
          cause);
    }
  }

  private static Admin admin(
      String bootstrapServers, Map<String, String> clientProperties, Duration timeout) {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    int ms = (int) timeout.toMillis();
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    return Admin.create(p);
  }
}
