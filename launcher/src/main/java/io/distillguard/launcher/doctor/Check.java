package io.distillguard.launcher.doctor;

/**
 * The outcome of one deployment check: one line of {@code distillguard doctor}.
 *
 * @param status OK, WARN (works, but look at it) or FAIL (traffic will not flow as configured)
 * @param name what was checked, e.g. {@code kafka-topics}
 * @param detail what was found, and for WARN and FAIL what to do
 */
public record Check(Status status, String name, String detail) {

  /** How a check came out; only FAIL makes {@code doctor} exit non-zero. */
  public enum Status {
    OK,
    WARN,
    FAIL
  }

  public static Check ok(String name, String detail) {
    return new Check(Status.OK, name, detail);
  }

  public static Check warn(String name, String detail) {
    return new Check(Status.WARN, name, detail);
  }

  public static Check fail(String name, String detail) {
    return new Check(Status.FAIL, name, detail);
  }

  /** {@code OK kafka 127.0.0.1:9092 answers (12 topics)} */
  public String line() {
    return String.format("%-5s %-14s %s", status, name, detail);
  }
}
