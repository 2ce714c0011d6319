package io.distillguard.enrich;

/**
 * A prompt cut into the account's constant scaffold (the app's system preamble) and the payload
 * that follows it: what the user actually asked. See {@link PreambleLearner}.
 *
 * @param preamble the scaffold the prompt starts with; {@code null} when none is known for it
 * @param preambleId the scaffold's content address ({@link PreambleLearner#preambleId}); {@code
 *     null} with {@code preamble}
 * @param payload the rest of the prompt; the whole prompt when there is no scaffold; {@code null}
 *     only for an event without prompt text
 * @param newVersion whether this prompt is the first of the account's current scaffold version: the
 *     scaffold is then embedded and stored once, with this event
 */
public record PromptSplit(String preamble, String preambleId, String payload, boolean newVersion) {

  public PromptSplit {
    if ((preamble == null) != (preambleId == null)) {
      throw new IllegalArgumentException("preamble and preambleId go together");
    }
    if (preamble == null && newVersion) {
      throw new IllegalArgumentException("no preamble, no new version");
    }
  }

  /** A prompt that is all payload (or an event without prompt text, {@code null}). */
  public static PromptSplit whole(String prompt) {
    return new PromptSplit(null, null, prompt, false);
  }

  /** Whether the prompt starts with a learned scaffold. */
  public boolean hasPreamble() {
    return preamble != null;
  }

  /** The prompt as it was sent: scaffold followed by payload. */
  public String prompt() {
    return preamble == null ? payload : preamble + payload;
  }
}
