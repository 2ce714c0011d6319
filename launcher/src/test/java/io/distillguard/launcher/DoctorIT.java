package io.distillguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code distillguard doctor} against a running local setup: an in-process Kafka broker with the
 * topics, a webhook receiver on 127.0.0.1, an H2 journal with its schema and the embedded store;
 * then the same with a topic missing, the receiver gone and the schema absent.
 */
class DoctorIT {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @TempDir static Path dir;

  @RegisterExtension
  static final KafkaBrokerExtension kafka =
      KafkaBrokerExtension.create()
          .withTopic("query-events", 2)
          .withTopic("account-profiles", 1)
          .withTopic("account-observations", 2)
          .withTopic("dead-letters", 1);

  static WebhookReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    receiver = WebhookReceiver.start(SECRET);
  }

  @AfterAll
  static void stop() throws Exception {
    receiver.close();
  }

  private record Run(int exit, List<String> lines) {}

  private static Run doctor(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = DistillGuardCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    String[] all = new String[args.length + 1];
    all[0] = "doctor";
    System.arraycopy(args, 0, all, 1, args.length);
    int exit = cli.execute(all);
    return new Run(exit, out.toString().lines().toList());
  }

  private static Path ingestProperties(String name) throws IOException {
    Path p = dir.resolve(name + ".properties");
    Files.writeString(
        p,
        "source = kafka\nsink = kafka\nkafka.bootstrap-servers = "
            + kafka.bootstrapServers()
            + "\n");
    return p;
  }

  private static Path serviceConf(String name, String journalUrl, String webhookUrl)
      throws IOException {
    Path p = dir.resolve(name + ".conf");
    Files.writeString(
        p,
        "distillguard.actors {\n"
            + "  data-dir = \""
            + dir.resolve(name + "-data").toString().replace("\\", "/")
            + "\"\n"
            + "  journal.url = \""
            + journalUrl
            + "\"\n"
            + "  webhook.url = \""
            + webhookUrl
            + "\"\n"
            + "  webhook.secret = \""
            + SECRET
            + "\"\n"
            + "}\n"
            + "distillguard.kafka.bootstrap-servers = \""
            + kafka.bootstrapServers()
            + "\"\n");
    return p;
  }

  private static String h2Journal(String name, boolean withSchema) throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve(name).resolve("journal");
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement()) {
      if (withSchema) {
        String script;
        try (InputStream in = DoctorIT.class.getResourceAsStream("/schema/h2-journal-schema.sql")) {
          script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String stmt : script.split(";")) {
          if (!stmt.isBlank()) {
            s.execute(stmt);
          }
        }
      } else {
        s.execute("CREATE TABLE unrelated(id INT)");
      }
    }
    return url;
  }

  @Test
  void everyCheckPassesOnAWorkingSetup() throws Exception {
    Run run =
        doctor(
            "--config",
            ingestProperties("ok").toString(),
            "--service-config",
            serviceConf("ok", h2Journal("ok-journal", true), receiver.reviewUrl()).toString());
    assertThat(run.lines())
        .anySatisfy(
            l -> assertThat(l).startsWith("OK    kafka ").contains(kafka.bootstrapServers()))
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("OK    kafka-topics")
                    .contains("query-events, account-profiles, account-observations, dead-letters"))
        .anySatisfy(l -> assertThat(l).startsWith("WARN  vector-store").contains("MILVUS_URI"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("OK    journal")
                    .contains("event_journal, event_tag, snapshot"))
        .anySatisfy(
            l -> assertThat(l).startsWith("OK    effects").contains("nothing journaled yet"))
        .anySatisfy(l -> assertThat(l).startsWith("OK    webhook").contains(receiver.reviewUrl()))
        .noneSatisfy(l -> assertThat(l).startsWith("FAIL"));
    assertThat(run.exit()).isZero();
  }

  @Test
  void effectsWaitingLongBehindTheJournalAndExhaustedDeliveriesAreReported() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("behind").resolve("journal");
    // The service's own schema, one account decision journaled ten minutes ago that no projection
    // has passed, and a delivery given up on.
    try (StateDatabase db = StateDatabase.open(url, "sa", "")) {
      db.transact(
          c -> {
            try (Statement st = c.createStatement()) {
              st.executeUpdate(
                  "INSERT INTO \"event_journal\" (\"ordering\", \"persistence_id\","
                      + " \"sequence_number\", \"deleted\", \"writer\", \"write_timestamp\","
                      + " \"adapter_manifest\", \"event_payload\", \"event_ser_id\","
                      + " \"event_ser_manifest\") VALUES (1, 'Account|acct-1', 1, FALSE, 'w', "
                      + (System.currentTimeMillis() - 600_000)
                      + ", '', X'00', 1, 'm')");
              st.executeUpdate(
                  "INSERT INTO \"event_tag\" (\"event_id\", \"tag\") VALUES (1, '"
                      + AccountEntity.EFFECTS_TAG
                      + "')");
              st.executeUpdate(
                  "INSERT INTO dg_delivery (webhook_id, destination, event_type, account_id,"
                      + " level, body, status, attempts, created_at, next_attempt_at)"
                      + " VALUES ('msg_1', 'REVIEW', 'account.review_requested', 'acct-1',"
                      + " 'REVIEW', '{}', 'EXHAUSTED', 12, 0, 0)");
            }
            return null;
          });
    }
    Run run =
        doctor(
            "--config",
            ingestProperties("behind").toString(),
            "--service-config",
            serviceConf("behind", url, receiver.reviewUrl()).toString());
    assertThat(run.lines())
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("WARN  effects")
                    .containsPattern(
                        "account-effects 1 event\\(s\\) behind, the first journaled 6\\d\\d s ago")
                    .contains("campaign-effects caught up")
                    .contains("restarts after offset"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("WARN  outbox")
                    .contains("0 pending, 0 delivered, 1 exhausted")
                    .contains("POST /v1/deliveries/redeliver"));
    assertThat(run.exit()).isZero();
  }

  @Test
  void aMissingTopicADeadReceiverAndNoSchemaFailWithWhatToDo() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Path conf =
        serviceConf(
            "bad", h2Journal("bad-journal", false), "http://127.0.0.1:" + closedPort + "/review");
    Run run =
        doctor(
            "--config",
            ingestProperties("bad").toString(),
            "kafka.topic.events=events-not-there",
            "--service-config",
            conf.toString(),
            "--timeout",
            "5s");
    assertThat(run.lines())
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("FAIL  kafka-topics")
                    .contains("missing: events-not-there"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("create: kafka-topics.sh --bootstrap-server")
                    .contains("--topic events-not-there"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("WARN  journal")
                    .contains("lacks table(s) event_journal, event_tag, snapshot"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("FAIL  webhook")
                    .contains("127.0.0.1:" + closedPort)
                    .contains("does not answer"));
    assertThat(run.exit()).isEqualTo(1);
  }

  @Test
  void anUnreachableKafkaFails() throws Exception {
    Run run =
        doctor(
            "source=kafka",
            "sink=kafka",
            "kafka.bootstrap-servers=127.0.0.1:1",
            "--service-config",
            serviceConf("nokafka", h2Journal("nokafka-journal", true), receiver.reviewUrl())
                .toString(),
            "--timeout",
            "3s");
    assertThat(run.lines())
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("FAIL  kafka ")
                    .contains("cannot reach Kafka at 127.0.0.1:1"));
    assertThat(run.exit()).isEqualTo(1);
  }
}
