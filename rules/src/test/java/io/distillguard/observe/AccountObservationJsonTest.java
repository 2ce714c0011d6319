package io.distillguard.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.Json;
import io.distillguard.signals.Observations;
import org.junit.jupiter.api.Test;

/** The observation's wire form (snake_case JSON) across the change that added its taxonomy. */
class AccountObservationJsonTest {

  @Test
  void carriesTheTaxonomyVersion() throws Exception {
    AccountObservation o =
        Observations.obs("e-1").build().withTaxonomyVersion("sha256:0123456789abcdef");

    String json = Json.mapper().writeValueAsString(o);
    assertThat(json).contains("\"taxonomy_version\":\"sha256:0123456789abcdef\"");
    assertThat(Json.mapper().readValue(json, AccountObservation.class).taxonomyVersion())
        .isEqualTo("sha256:0123456789abcdef");
  }

  @Test
  void anObservationWrittenBeforeTheVersionStillParses() throws Exception {
    String older =
        "{\"event_id\":\"e-1\",\"account_id\":\"acct-1\",\"event_time_millis\":1760000000000,"
            + "\"category\":\"travel\",\"category_similarity\":0.6,"
            + "\"stated_use_similarity\":0.2,\"lsh_signature\":42,\"template_fingerprint\":7,"
            + "\"prompt_chars\":13}";
    AccountObservation o = Json.mapper().readValue(older, AccountObservation.class);
    assertThat(o.eventId()).isEqualTo("e-1");
    assertThat(o.category()).isEqualTo("travel");
    assertThat(o.taxonomyVersion()).isNull();
    assertThat(Json.mapper().writeValueAsString(o)).doesNotContain("taxonomy_version");
  }
}
