package io.distillguard.settings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * How a module reads one setting's value, wherever it comes from (HOCON with environment overrides,
 * a properties file, {@code key=value} arguments, the environment): a blank value means unset,
 * durations have one syntax, and a value out of range fails with an error that names the setting.
 * Each module keeps its own settings record and its own names and defaults; this is what they
 * share.
 */
public final class SettingValues {

  private SettingValues() {}

  /** The value, or null when it is null or blank (not trimmed). */
  public static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** The value as a path, or null when blank. */
  public static Path optionalPath(String value) {
    return blankToNull(value) == null ? null : Path.of(value);
  }

  /** The value, trimmed, as a URI, or null when blank. */
  public static URI optionalUri(String value) {
    return blankToNull(value) == null ? null : URI.create(value.trim());
  }

  /** The value as a duration ({@link #parseDuration}), or null when blank. */
  public static Duration optionalDuration(String value) {
    return blankToNull(value) == null ? null : parseDuration(value);
  }

  /**
   * Parses a duration such as {@code 30d}, {@code 12h}, {@code 90m}, {@code 3600s}, a plain number
   * of seconds, or an ISO-8601 duration ({@code P30D}).
   *
   * @throws IllegalArgumentException {@code not a duration: '...' (use e.g. 30d, 12h, 3600s or
   *     P30D)}
   */
  public static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
      }
      char unit = t.charAt(t.length() - 1);
      if (Character.isDigit(unit)) {
        return Duration.ofSeconds(Long.parseLong(t));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1).trim());
      return switch (unit) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new IllegalArgumentException("unknown unit '" + unit + "'");
      };
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          "not a duration: '" + text + "' (use e.g. 30d, 12h, 3600s or P30D)", e);
    }
  }

  /**
   * Checks that a duration is set and positive (or zero, when {@code zeroAllowed}).
   *
   * @throws NullPointerException naming the setting, when it is null
   * @throws IllegalArgumentException {@code <name> must be positive: <value>}
   */
  public static void requirePositive(Duration value, String name, boolean zeroAllowed) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || (!zeroAllowed && value.isZero())) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  /**
   * Checks that a count is at least {@code min}.
   *
   * @throws IllegalArgumentException {@code <name> must be >= <min>: <value>}
   */
  public static void requireAtLeast(int value, int min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ": " + value);
    }
  }
}
