package io.distillguard.actors;

import io.distillguard.actors.escalation.WebhookReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What an IT of the whole local actor service starts from, as a JUnit 5 extension on an instance
 * field, fresh for every test: a webhook receiver on 127.0.0.1 that verifies signatures with {@link
 * #SECRET}, the test policy ({@link TestFixtures#POLICY_YAML}) in a file, and {@link #settings()}
 * for a service on the H2 journal under a folder of its own that sends its webhooks to the receiver
 * and serves no HTTP API. The folder is deleted and the receiver stopped after the test.
 */
public final class LocalServiceSetup implements BeforeEachCallback, AfterEachCallback {

  /** The webhook signing secret of the service and the receiver. */
  public static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  private Path dir;
  private WebhookReceiver receiver;
  private Path policyFile;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("dg-local-service");
    receiver = WebhookReceiver.start(SECRET);
    policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, TestFixtures.POLICY_YAML);
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    try {
      if (receiver != null) {
        receiver.close();
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** The receiver the service's webhooks go to ({@code /review}, {@code /throttle}). */
  public WebhookReceiver receiver() {
    return receiver;
  }

  /** The file holding the test policy. */
  public Path policyFile() {
    return policyFile;
  }

  /**
   * The defaults with the data under this test's folder, the review and throttle webhooks to the
   * receiver, no HTTP API and the test policy.
   */
  public ActorSettings settings() {
    return ActorSettings.defaults(dir.resolve("data"))
        .withWebhook(receiver.url("/review"), SECRET)
        .withThrottleUrl(receiver.url("/throttle"))
        .withHttp("127.0.0.1", -1, null)
        .withPolicyFile(policyFile);
  }
}
