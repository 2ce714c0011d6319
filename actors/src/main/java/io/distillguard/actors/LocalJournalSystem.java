package io.distillguard.actors;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * An actor system on the journal of the settings without a cluster: for work on event-sourced
 * entities while the service is stopped ({@code ./distillguard erase}). Its caller spawns the
 * entities it needs and terminates it.
 */
public final class LocalJournalSystem {

  private LocalJournalSystem() {}

  /** Starts the system (no remoting, no sharding; the journal of {@code settings}). */
  public static ActorSystem<Void> start(ActorSettings settings) {
    return ActorSystem.create(
        Behaviors.empty(),
        ClusterSettings.SYSTEM_NAME,
        ConfigFactory.parseString("pekko.actor.provider = local")
            .withFallback(
                PekkoConfig.of(settings, ClusterSettings.local(), settings.effectiveJournalUrl())));
  }
}
