package io.distillguard.actors.api.access;

import com.typesafe.config.Config;
import io.distillguard.settings.SettingValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the HTTP API decides who may call it ({@code distillguard.actors.http} in {@code
 * reference.conf}).
 *
 * @param tokens the {@code DISTILLGUARD_API_TOKENS} list ({@code name:role:token}, comma
 *     separated); null = none
 * @param tokensFile the {@code DISTILLGUARD_API_TOKENS_FILE} (one {@code name:role:token} per line,
 *     re-read on change); null = none
 * @param allowedHosts host names (without port) clients reach the API by, beside the loopback names
 *     and a specific bind address: a request whose {@code Host} or {@code Origin} names another
 *     host is refused (DNS rebinding, cross-origin use)
 * @param maxRequestBytes the largest request body accepted (413 above)
 */
public record ApiAccessSettings(
    String tokens, Path tokensFile, List<String> allowedHosts, long maxRequestBytes) {

  /** No tokens, no extra hosts, 64 KiB bodies. */
  public static final ApiAccessSettings DEFAULT =
      new ApiAccessSettings(null, null, List.of(), 64 * 1024);

  public ApiAccessSettings {
    List<String> hosts = new ArrayList<>();
    for (String h : allowedHosts) {
      if (!h.isBlank()) {
        hosts.add(h.strip().toLowerCase(Locale.ROOT));
      }
    }
    allowedHosts = List.copyOf(hosts);
    if (maxRequestBytes < 1) {
      throw new IllegalArgumentException("max-request-bytes must be positive");
    }
  }

  /** Reads the {@code http} block of {@code distillguard.actors}. */
  public static ApiAccessSettings fromConfig(Config http) {
    return new ApiAccessSettings(
        SettingValues.blankToNull(http.getString("tokens")),
        SettingValues.optionalPath(http.getString("tokens-file")),
        List.of(http.getString("allowed-hosts").split(",")),
        http.getBytes("max-request-bytes"));
  }

  public ApiAccessSettings withTokens(String newTokens, Path newTokensFile) {
    return new ApiAccessSettings(newTokens, newTokensFile, allowedHosts, maxRequestBytes);
  }

  public ApiAccessSettings withAllowedHosts(List<String> hosts) {
    return new ApiAccessSettings(tokens, tokensFile, hosts, maxRequestBytes);
  }

  public ApiAccessSettings withMaxRequestBytes(long bytes) {
    return new ApiAccessSettings(tokens, tokensFile, allowedHosts, bytes);
  }

  @Override
  public String toString() {
    return "ApiAccessSettings[tokens="
        + (tokens == null ? "unset" : "<redacted>")
        + ", tokensFile="
        + tokensFile
        + ", allowedHosts="
        + allowedHosts
        + ", maxRequestBytes="
        + maxRequestBytes
        + ']';
  }
}
