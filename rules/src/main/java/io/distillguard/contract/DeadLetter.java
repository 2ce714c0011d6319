package io.distillguard.contract;

/**
 * A record the pipeline refused, with the reason and the original input, so nothing is lost.
 *
 * @param source where the line came from ({@code events}, {@code profiles}, a file or topic name)
 * @param reason a precise, human-readable reason ({@code "missing field: account_id"})
 * @param line the original input, unchanged
 * @param receivedAtMillis wall-clock time the pipeline refused it
 */
public record DeadLetter(String source, String reason, String line, long receivedAtMillis) {}
