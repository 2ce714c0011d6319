package io.distillguard.actors.escalation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillguard.actors.ActorSettings;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WebhookPolicyTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @Test
  void httpsAnywhereAndHttpOnlyToLoopback() {
    for (String ok :
        new String[] {
          "https://review.example.com/hooks",
          "http://127.0.0.1:8080/hook",
          "http://localhost/hook",
          "http://[::1]:9000/hook"
        }) {
      assertThatCode(() -> WebhookPolicy.checkUrl("url", URI.create(ok)))
          .as(ok)
          .doesNotThrowAnyException();
    }
    for (String bad :
        new String[] {
          "http://review.example.com/hooks",
          "http://10.0.0.7/hook",
          "http://127.0.0.1.attacker.example/hook",
          "ftp://127.0.0.1/hook"
        }) {
      assertThatThrownBy(() -> WebhookPolicy.checkUrl("the webhook URL", URI.create(bad)))
          .as(bad)
          .hasMessageContaining("must use https");
    }
  }

  @Test
  void aShortOrMalformedSecretIsRefusedWithoutEchoingIt() {
    assertThatCode(() -> WebhookPolicy.checkSecret(SECRET)).doesNotThrowAnyException();
    assertThatThrownBy(() -> WebhookPolicy.checkSecret("whsec_c2hvcnQ="))
        .hasMessageContaining("at least 24")
        .hasMessageNotContaining("c2hvcnQ");
    assertThatThrownBy(() -> WebhookPolicy.checkSecret("hunter2-hunter2-hunter2-hunter2"))
        .hasMessageContaining("whsec_")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void theSettingsRefuseAnHttpUrlToAnotherHostAndAShortSecret() {
    ActorSettings base = ActorSettings.defaults(Path.of("unused"));
    assertThatThrownBy(() -> base.withWebhook(URI.create("http://review.example.com/h"), SECRET))
        .hasMessageContaining("must use https");
    assertThatThrownBy(
            () -> base.withWebhook(URI.create("https://review.example.com/h"), "whsec_c2hvcnQ="))
        .hasMessageContaining("at least 24");
    assertThatCode(() -> base.withWebhook(URI.create("https://review.example.com/h"), SECRET))
        .doesNotThrowAnyException();
  }
}
