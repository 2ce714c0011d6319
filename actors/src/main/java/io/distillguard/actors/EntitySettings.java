package io.distillguard.actors;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How the account and campaign entities are run ({@code entity} of {@code distillguard.actors}).
 *
 * @param snapshotEvery events between entity snapshots
 * @param passivateAfter idle time after which an entity is stopped (its state stays in the journal)
 * @param askTimeout how long one command to an entity may take
 */
public record EntitySettings(int snapshotEvery, Duration passivateAfter, Duration askTimeout) {

  static EntitySettings fromConfig(Config c) {
    return new EntitySettings(
        c.getInt("entity.snapshot-every"),
        c.getDuration("entity.passivate-after"),
        c.getDuration("entity.ask-timeout"));
  }
}
