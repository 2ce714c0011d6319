package io.distillguard.actors;

import static io.distillguard.settings.SettingValues.optionalDuration;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How long what the actor side stores is kept ({@code retention} and {@code audit-retention} of
 * {@code distillguard.actors}).
 *
 * @param data how long delivered webhooks are kept (and, when set, journal events behind snapshots
 *     are deleted); null = kept ({@code DISTILLGUARD_RETENTION}, the one retention setting of every
 *     store)
 * @param audit how long audit entries are kept ({@code DISTILLGUARD_AUDIT_RETENTION}, default 400
 *     days); null = kept for ever
 */
public record RetentionSettings(Duration data, Duration audit) {

  static RetentionSettings fromConfig(Config c) {
    return new RetentionSettings(
        optionalDuration(c.getString("retention")),
        optionalDuration(c.getString("audit-retention")));
  }
}
