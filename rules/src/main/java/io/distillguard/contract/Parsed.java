package io.distillguard.contract;

/**
 * The outcome of parsing one input line: either the validated record or one precise reason why it
 * was refused (which, together with the line, becomes a {@link DeadLetter}).
 *
 * @param <T> the record type
 */
public sealed interface Parsed<T> permits Parsed.Ok, Parsed.Rejected {

  /** The line was valid. */
  record Ok<T>(T value) implements Parsed<T> {}

  /**
   * The line was refused.
   *
   * @param reason one human-readable reason, e.g. {@code "missing field: account_id"}
   * @param line the original input, unchanged (may be {@code null} if the input was null)
   */
  record Rejected<T>(String reason, String line) implements Parsed<T> {

    /** The dead letter to keep for this rejection. */
    public DeadLetter toDeadLetter(String source, long receivedAtMillis) {
      return new DeadLetter(source, reason, line, receivedAtMillis);
    }
  }

  /** True when this is an {@link Ok}. */
  default boolean isOk() {
    return this instanceof Ok<T>;
  }
}
