package io.distillguard.contract;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The contract's timestamps: RFC 3339 on input, UTC with a {@code Z} suffix on output. */
final class Timestamps {

  private Timestamps() {}

  /**
   * The instant {@code text} names, or {@code null} when it is not an RFC 3339 date-time: {@code
   * yyyy-MM-dd}, {@code T} (or {@code t}), {@code HH:mm:ss}, an optional fraction of 1 to 9 digits,
   * then {@code Z} (or {@code z}) or an offset {@code ±hh:mm} of at most 18 hours; the date and
   * time must exist (no February 30th, no hour 24, no leap second). Read by hand, not through a
   * {@code DateTimeFormatter}: every event carries one, and the formatter's parse was a few percent
   * of the ingest job's work.
   */
  static Instant parse(String text) {
    if (text == null || text.length() < 20) {
      return null;
    }
    String t = text;
    int n = t.length();
    if (!digits(t, 0, 4)
        || t.charAt(4) != '-'
        || !digits(t, 5, 2)
        || t.charAt(7) != '-'
        || !digits(t, 8, 2)
        || (t.charAt(10) != 'T' && t.charAt(10) != 't')
        || !digits(t, 11, 2)
        || t.charAt(13) != ':'
        || !digits(t, 14, 2)
        || t.charAt(16) != ':'
        || !digits(t, 17, 2)) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (t.charAt(i) == '.') {
      int from = ++i;
      while (i < n && isDigit(t.charAt(i))) {
        i++;
      }
      int length = i - from;
      if (length < 1 || length > 9) {
        return null;
      }
      nanos = number(t, from, length);
      for (int k = length; k < 9; k++) {
        nanos *= 10;
      }
    }
    if (i >= n) {
      return null;
    }
    char zone = t.charAt(i);
    int offsetSeconds;
    if ((zone == 'Z' || zone == 'z') && i + 1 == n) {
      offsetSeconds = 0;
    } else if ((zone == '+' || zone == '-')
        && i + 6 == n
        && digits(t, i + 1, 2)
        && t.charAt(i + 3) == ':'
        && digits(t, i + 4, 2)) {
      int hours = number(t, i + 1, 2);
      int minutes = number(t, i + 4, 2);
      if (hours > 18 || minutes > 59 || (hours == 18 && minutes > 0)) {
        return null;
      }
      offsetSeconds = (zone == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
    } else {
      return null;
    }
    try {
      return LocalDateTime.of(
              number(t, 0, 4),
              number(t, 5, 2),
              number(t, 8, 2),
              number(t, 11, 2),
              number(t, 14, 2),
              number(t, 17, 2),
              nanos)
          .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** RFC 3339 in UTC with a {@code Z} suffix and only as many fraction digits as needed. */
  static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean digits(String t, int from, int count) {
    for (int i = from; i < from + count; i++) {
      if (!isDigit(t.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static int number(String t, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      v = v * 10 + (t.charAt(i) - '0');
    }
    return v;
  }
}
