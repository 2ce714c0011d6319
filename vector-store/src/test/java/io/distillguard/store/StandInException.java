package io.distillguard.store;

/** A request the stand-in refuses; reported to the client as a non-zero Status. */
final class StandInException extends RuntimeException {
  StandInException(String message) {
    super(message);
  }
}
