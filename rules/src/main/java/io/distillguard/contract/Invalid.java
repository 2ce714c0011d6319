package io.distillguard.contract;

/**
 * A broken contract rule; carries the reason that a rejected line is dead-lettered with. Cheap: no
 * stack trace.
 */
final class Invalid extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Invalid(String reason) {
    super(reason, null, false, false);
  }
}
