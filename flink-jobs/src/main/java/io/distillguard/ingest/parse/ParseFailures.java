package io.distillguard.ingest.parse;

import io.distillguard.contract.DeadLetter;

/** Dead letters for lines the codec could not even judge. */
final class ParseFailures {

  private ParseFailures() {}

  static DeadLetter unexpected(String source, String line, RuntimeException e) {
    return new DeadLetter(
        source,
        "unparseable record: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
        line,
        System.currentTimeMillis());
  }
}
