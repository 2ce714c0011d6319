package io.distillguard.actors;

import com.typesafe.config.Config;
import io.distillguard.actors.ActorSettings.IntakeBatching;

/**
 * How observations come in ({@code drain} and {@code intake} of {@code distillguard.actors}).
 *
 * @param drainParallelism observations in flight while draining a channel
 * @param batching how observations are grouped into one command (and one journal write) per account
 */
public record IntakeSettings(int drainParallelism, IntakeBatching batching) {

  static IntakeSettings fromConfig(Config c) {
    return new IntakeSettings(
        c.getInt("drain.parallelism"),
        new IntakeBatching(c.getInt("intake.max-batch"), c.getDuration("intake.batch-window")));
  }
}
