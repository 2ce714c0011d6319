package io.distillguard.ingest.embed;

import io.distillguard.ingest.profile.ProfiledEvent;

/**
 * A profiled event with its prompt embedding, or the reason it could not be embedded. A failure
 * travels as data (not as an exception) so it becomes a dead letter instead of failing the job.
 *
 * @param event the joined event
 * @param embedding the L2-normalised prompt embedding; {@code null} when {@code failure} is set
 * @param failure why embedding failed; {@code null} on success
 */
public record EmbeddedEvent(ProfiledEvent event, float[] embedding, String failure) {

  public static EmbeddedEvent embedded(ProfiledEvent event, float[] embedding) {
    return new EmbeddedEvent(event, embedding, null);
  }

  public static EmbeddedEvent failed(ProfiledEvent event, String failure) {
    return new EmbeddedEvent(event, null, failure);
  }

  public boolean isFailure() {
    return failure != null;
  }
}
