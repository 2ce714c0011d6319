package io.distillguard.actors;

import static io.distillguard.settings.SettingValues.blankToNull;

import com.typesafe.config.Config;
import io.distillguard.actors.api.access.ApiAccessSettings;

/**
 * Where the HTTP API listens and who may call it ({@code http} of {@code distillguard.actors}); the
 * token is redacted by {@link #toString()}.
 *
 * @param host HTTP API bind address
 * @param port HTTP API port; 0 = ephemeral, negative = no HTTP API
 * @param bearerToken the single API token of earlier versions ({@code DISTILLGUARD_API_TOKEN}): an
 *     admin token named {@code api-token}; null = none
 * @param access the API's token list and file, allowed hosts and body limit (see {@code ApiAccess})
 */
public record HttpSettings(String host, int port, String bearerToken, ApiAccessSettings access) {

  static HttpSettings fromConfig(Config c) {
    return new HttpSettings(
        c.getString("http.host"),
        c.getInt("http.port"),
        blankToNull(c.getString("http.bearer-token")),
        ApiAccessSettings.fromConfig(c.getConfig("http")));
  }

  @Override
  public String toString() {
    return "HttpSettings[host="
        + host
        + ", port="
        + port
        + ", bearerToken="
        + (bearerToken == null ? "unset" : "<redacted>")
        + ", access="
        + access
        + ']';
  }
}
