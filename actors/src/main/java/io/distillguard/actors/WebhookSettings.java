package io.distillguard.actors;

import static io.distillguard.settings.SettingValues.blankToNull;
import static io.distillguard.settings.SettingValues.optionalUri;

import com.typesafe.config.Config;
import io.distillguard.actors.escalation.RetryPolicy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where escalations and throttle directives are pushed, and how ({@code webhook} and {@code retry}
 * of {@code distillguard.actors}). Checked with the rest by {@link ActorSettings}; the secret is
 * redacted by {@link #toString()}.
 *
 * @param url review system URL for escalations; null = no push delivery
 * @param secret {@code whsec_...} signing secret; required when any URL is set
 * @param throttleUrl gateway URL for {@code account.throttled}; null = pull endpoint only
 * @param retry delivery retry schedule
 * @param requestTimeout per-attempt HTTP timeout
 * @param maxInFlight concurrent delivery attempts
 * @param campaignFollowUpGrowth by what share of the members its last message listed an escalated
 *     campaign grows before its next follow-up {@code campaign.review_requested} (0: one per
 *     joining account)
 */
public record WebhookSettings(
    URI url,
    String secret,
    URI throttleUrl,
    RetryPolicy retry,
    Duration requestTimeout,
    int maxInFlight,
    double campaignFollowUpGrowth) {

  public WebhookSettings {
    if (!(campaignFollowUpGrowth >= 0) || Double.isInfinite(campaignFollowUpGrowth)) {
      throw new IllegalArgumentException(
          "webhook.campaign-follow-up-growth must be a finite share >= 0, got "
              + campaignFollowUpGrowth);
    }
  }

  static WebhookSettings fromConfig(Config c) {
    return new WebhookSettings(
        optionalUri(c.getString("webhook.url")),
        secret(c),
        optionalUri(c.getString("webhook.throttle-url")),
        new RetryPolicy(
            c.getInt("retry.max-attempts"),
            c.getDuration("retry.initial-backoff"),
            c.getDuration("retry.max-backoff"),
            c.getDuration("retry.max-age"),
            c.getDouble("retry.jitter")),
        c.getDuration("webhook.request-timeout"),
        c.getInt("webhook.max-in-flight"),
        c.getDouble("webhook.campaign-follow-up-growth"));
  }

  /** The secret from the environment, or from the file {@code webhook.secret-file} names. */
  private static String secret(Config c) {
    String file = blankToNull(c.getString("webhook.secret-file"));
    if (file == null) {
      return blankToNull(c.getString("webhook.secret"));
    }
    try {
      return blankToNull(Files.readString(Path.of(file)).strip());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot read the webhook secret file " + file, e);
    }
  }

  WebhookSettings withUrls(URI newUrl, String newSecret, URI newThrottleUrl) {
    return new WebhookSettings(
        newUrl,
        newSecret,
        newThrottleUrl,
        retry,
        requestTimeout,
        maxInFlight,
        campaignFollowUpGrowth);
  }

  WebhookSettings withRetry(RetryPolicy policy, Duration timeout) {
    return new WebhookSettings(
        url, secret, throttleUrl, policy, timeout, maxInFlight, campaignFollowUpGrowth);
  }

  /** These settings with {@code growth} as the campaign follow-up growth. */
  public WebhookSettings withCampaignFollowUpGrowth(double growth) {
    return new WebhookSettings(
        url, secret, throttleUrl, retry, requestTimeout, maxInFlight, growth);
  }

  @Override
  public String toString() {
    return "WebhookSettings[url="
        + url
        + ", secret="
        + (secret == null ? "unset" : "<redacted>")
        + ", throttleUrl="
        + throttleUrl
        + ", retry="
        + retry
        + ", requestTimeout="
        + requestTimeout
        + ", maxInFlight="
        + maxInFlight
        + ", campaignFollowUpGrowth="
        + campaignFollowUpGrowth
        + ']';
  }
}
