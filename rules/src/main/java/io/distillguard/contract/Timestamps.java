package io.distillguard.contract;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/** The contract's timestamps: RFC 3339 on input, UTC with a {@code Z} suffix on output. */
final class Timestamps {

  /**
   * RFC 3339 date-time: seconds required, fraction optional, offset {@code Z} or {@code ±hh:mm}.
   */
  private static final Pattern RFC3339 =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

  private Timestamps() {}

  /** The instant {@code text} names, or {@code null} when it is not an RFC 3339 date-time. */
  static Instant parse(String text) {
    if (text == null || !RFC3339.matcher(text).matches()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(
              text.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant();
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** RFC 3339 in UTC with a {@code Z} suffix and only as many fraction digits as needed. */
  static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }
}
