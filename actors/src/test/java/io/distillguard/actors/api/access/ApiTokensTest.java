package io.distillguard.actors.api.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {

  @TempDir Path dir;

  @Test
  void everySourceGivesNamedTokensWithRoles() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# comment\nops:admin:aaaaaaaaaaaaaaaaaaaa\n\n");
    ApiTokens tokens =
        ApiTokens.of(
            "gw:gateway:bbbbbbbbbbbbbbbbbbbb, ana:reviewer:cccccccccccccccccccc",
            file,
            "dddddddddddddddddddd");
    assertThat(tokens.authenticate("aaaaaaaaaaaaaaaaaaaa"))
        .contains(new Principal("ops", Role.ADMIN));
    assertThat(tokens.authenticate("bbbbbbbbbbbbbbbbbbbb"))
        .contains(new Principal("gw", Role.GATEWAY));
    assertThat(tokens.authenticate("cccccccccccccccccccc"))
        .contains(new Principal("ana", Role.REVIEWER));
    // The single token of earlier versions is an admin token.
    assertThat(tokens.authenticate("dddddddddddddddddddd"))
        .contains(new Principal(ApiTokens.FALLBACK_NAME, Role.ADMIN));
    assertThat(tokens.authenticate("aaaaaaaaaaaaaaaaaaa")).isEmpty();
    assertThat(tokens.authenticate("")).isEmpty();
    assertThat(tokens.size()).isEqualTo(4);
  }

  @Test
  void aShortTokenIsRefusedAtStart() {
    assertThatThrownBy(() -> ApiTokens.of(null, null, "short-token"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shorter than 16");
    assertThatThrownBy(() -> ApiTokens.of("gw:gateway:123", null, null))
        .hasMessageContaining("shorter than 16");
  }

  @Test
  void aMalformedEntryIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> ApiTokens.of("just-a-secret-token-value", null, null))
        .hasMessageContaining("name:role:token")
        .hasMessageNotContaining("just-a-secret-token-value");
    assertThatThrownBy(() -> ApiTokens.of("x:root:aaaaaaaaaaaaaaaaaaaa", null, null))
        .hasMessageContaining("unknown role");
    assertThatThrownBy(
            () ->
                ApiTokens.of(
                    "x:admin:aaaaaaaaaaaaaaaaaaaa,x:gateway:bbbbbbbbbbbbbbbbbbbb", null, null))
        .hasMessageContaining("used twice");
  }

  @Test
  void aMissingFileStopsTheStart() {
    assertThatThrownBy(() -> ApiTokens.of(null, dir.resolve("absent"), null))
        .hasMessageContaining("cannot read the API token file");
  }

  @Test
  void rolesPermitTheirOwnEndpointsAndAdminEverything() {
    assertThat(Role.GATEWAY.permits(Role.GATEWAY)).isTrue();
    assertThat(Role.GATEWAY.permits(Role.REVIEWER)).isFalse();
    assertThat(Role.REVIEWER.permits(Role.ADMIN)).isFalse();
    assertThat(Role.REVIEWER.permits(Role.GATEWAY)).isFalse();
    assertThat(Role.ADMIN.permits(Role.REVIEWER)).isTrue();
    assertThat(Role.GATEWAY.permits(Role.PUBLIC)).isTrue();
  }

  @Test
  void hostNamesAreComparedWithoutPort() {
    assertThat(ApiAccess.hostName("LocalHost:8080")).isEqualTo("localhost");
    assertThat(ApiAccess.hostName("[::1]:8080")).isEqualTo("[::1]");
    assertThat(ApiAccess.hostName("::1")).isEqualTo("[::1]");
    assertThat(ApiAccess.hostName("api.example")).isEqualTo("api.example");
  }
}
