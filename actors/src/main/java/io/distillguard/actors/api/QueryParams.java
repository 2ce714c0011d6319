package io.distillguard.actors.api;

import io.distillguard.policy.Level;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Parsing of the HTTP API's query parameter values; a bad value is an IllegalArgumentException. */
final class QueryParams {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 10_000;

  private QueryParams() {}

  static Level level(String value) {
    try {
      return Level.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "level must be one of " + java.util.Arrays.toString(Level.values()) + ": " + value);
    }
  }

  static long time(String value) {
    try {
      return Instant.parse(value).toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException n) {
        throw new IllegalArgumentException("time must be RFC 3339 or epoch millis: " + value);
      }
    }
  }

  /** The {@code after} position of a log (a sequence number, 0 or more). */
  static long after(String value) {
    try {
      long v = Long.parseLong(value.trim());
      if (v < 0) {
        throw new IllegalArgumentException("after must be 0 or more");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("after must be an integer");
    }
  }

  static int limit(Optional<String> value) {
    if (value.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int v = Integer.parseInt(value.get().trim());
      if (v < 1 || v > MAX_LIMIT) {
        throw new IllegalArgumentException("limit must be in 1.." + MAX_LIMIT);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limit must be an integer");
    }
  }
}
