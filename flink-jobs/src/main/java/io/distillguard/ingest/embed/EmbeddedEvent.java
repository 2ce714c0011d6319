package io.distillguard.ingest.embed;

import io.distillguard.ingest.profile.ProfiledEvent;

/**
 * A profiled event with its prompt embedding, or the reason it could not be embedded. A failure
 * travels as data (not as an exception) so it becomes a dead letter instead of failing the job.
 *
 * @param event the joined event
 * @param embedding the L2-normalised embedding of the prompt's payload (the whole prompt when it
 *     has no scaffold, or the event's own embedding); {@code null} when {@code failure} is set
 * @param failure why embedding failed; {@code null} on success
 * @param preambleEmbedding the embedding of the account's scaffold, only on the first event of a
 *     scaffold version ({@code ProfiledEvent#split()}{@code .newVersion()}); else {@code null}
 */
public record EmbeddedEvent(
    ProfiledEvent event, float[] embedding, String failure, float[] preambleEmbedding) {

  public static EmbeddedEvent embedded(ProfiledEvent event, float[] embedding) {
    return new EmbeddedEvent(event, embedding, null, null);
  }

  /** An event that starts a scaffold version, with the scaffold's embedding. */
  public static EmbeddedEvent embedded(
      ProfiledEvent event, float[] embedding, float[] preambleEmbedding) {
    return new EmbeddedEvent(event, embedding, null, preambleEmbedding);
  }

  public static EmbeddedEvent failed(ProfiledEvent event, String failure) {
    return new EmbeddedEvent(event, null, failure, null);
  }

  public boolean isFailure() {
    return failure != null;
  }
}
