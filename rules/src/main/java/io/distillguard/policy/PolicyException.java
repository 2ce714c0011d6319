package io.distillguard.policy;

/** A policy file that cannot be used; the message names the file, the rule and the path. */
public final class PolicyException extends RuntimeException {
  public PolicyException(String message) {
    super(message);
  }

  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
