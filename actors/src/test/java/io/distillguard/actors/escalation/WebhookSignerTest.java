package io.distillguard.actors.escalation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebhookSignerTest {

  // The published Standard Webhooks test vector (also used by the svix reference libraries).
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TS = 1614265330L;
  private static final String BODY = "{\"test\": 2432232314}";
  private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  @Test
  void reproducesTheSpecificationVector() {
    assertThat(WebhookSigner.fromSecret(SECRET).sign(ID, TS, BODY)).isEqualTo(EXPECTED);
  }

  @Test
  void theWhsecPrefixIsOptional() {
    assertThat(WebhookSigner.fromSecret(SECRET.substring(6)).sign(ID, TS, BODY))
        .isEqualTo(EXPECTED);
  }

  @Test
  void verifiesOneOfSeveralSpaceSeparatedSignatures() {
    WebhookSigner signer = WebhookSigner.fromSecret(SECRET);
    assertThat(signer.verify(ID, TS, BODY, EXPECTED)).isTrue();
    assertThat(signer.verify(ID, TS, BODY, "v1,bm9wZQ== " + EXPECTED)).isTrue();
    assertThat(signer.verify(ID, TS, BODY, "v1a,abc " + EXPECTED + " v2,xyz")).isTrue();
  }

  @Test
  void rejectsTamperedMessagesAndForeignSchemes() {
    WebhookSigner signer = WebhookSigner.fromSecret(SECRET);
    assertThat(signer.verify(ID, TS, "{\"test\": 2432232315}", EXPECTED)).isFalse();
    assertThat(signer.verify("msg_other", TS, BODY, EXPECTED)).isFalse();
    assertThat(signer.verify(ID, TS + 1, BODY, EXPECTED)).isFalse();
    assertThat(signer.verify(ID, TS, BODY, EXPECTED.replace("v1,", "v2,"))).isFalse();
    assertThat(signer.verify(ID, TS, BODY, "v1,not-base64!")).isFalse();
    assertThat(signer.verify(ID, TS, BODY, null)).isFalse();
    assertThat(WebhookSigner.fromSecret("whsec_" + "QUJDREVGRw==").verify(ID, TS, BODY, EXPECTED))
        .isFalse();
  }

  @Test
  void enforcesTheTimestampTolerance() {
    WebhookSigner signer = WebhookSigner.fromSecret(SECRET);
    assertThat(signer.verify(ID, TS, BODY, EXPECTED, TS + 299, 300)).isTrue();
    assertThat(signer.verify(ID, TS, BODY, EXPECTED, TS + 301, 300)).isFalse();
  }

  @Test
  void neverRevealsTheSecret() {
    assertThat(WebhookSigner.fromSecret(SECRET).toString()).doesNotContain("MfKQ9r8");
    assertThatThrownBy(() -> WebhookSigner.fromSecret("whsec_%%%secret%%%"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret%%%");
  }
}
