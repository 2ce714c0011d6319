package io.distillguard.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The contract's RFC 3339 reading, against the formatter-based reading it replaced. */
class TimestampsTest {

  private static final Pattern RFC3339 =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

  /** The reading before: a pattern, then {@code OffsetDateTime.parse} with the ISO formatter. */
  private static Instant byFormatter(String text) {
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

  @Test
  void readsWhatTheContractAllowsAndNothingElse() {
    assertThat(Timestamps.parse("2026-10-05T14:03:07Z"))
        .isEqualTo(Instant.parse("2026-10-05T14:03:07Z"));
    assertThat(Timestamps.parse("2026-10-05t14:03:07.5+02:00"))
        .isEqualTo(Instant.parse("2026-10-05T12:03:07.500Z"));
    assertThat(Timestamps.parse("2024-02-29T23:59:59.123456789-18:00"))
        .isEqualTo(Instant.parse("2024-03-01T17:59:59.123456789Z"));
    for (String bad :
        List.of(
            "",
            "2026-10-05",
            "2026-10-05 14:03:07Z",
            "2026-10-05T14:03:07",
            "2026-10-05T14:03Z",
            "2026-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-10-05T24:00:00Z",
            "2026-10-05T23:60:00Z",
            "2026-10-05T23:59:60Z",
            "2026-10-05T14:03:07.Z",
            "2026-10-05T14:03:07.1234567890Z",
            "2026-10-05T14:03:07+18:01",
            "2026-10-05T14:03:07+1:00",
            "2026-10-05T14:03:07+01:60",
            "2026-10-05T14:03:07+0100",
            "2026-10-05T14:03:07Zx",
            "+2026-10-05T14:03:07Z",
            "２０２６-10-05T14:03:07Z")) {
      assertThat(Timestamps.parse(bad)).as(bad).isNull();
      assertThat(byFormatter(bad)).as(bad).isNull();
    }
  }

  @Test
  void agreesWithTheFormatterOnRandomTextsNearTheFormat() {
    Random random = new Random(3);
    String alphabet = "0123456789-:.TtZz+ x";
    int read = 0;
    int texts = 200_000;
    for (int n = 0; n < texts; n++) {
      StringBuilder b = new StringBuilder();
      b.append(String.format(Locale.ROOT, "%04d", random.nextInt(10_000)))
          .append('-')
          .append(String.format(Locale.ROOT, "%02d", random.nextInt(14)))
          .append('-')
          .append(String.format(Locale.ROOT, "%02d", random.nextInt(33)))
          .append(random.nextBoolean() ? 'T' : 't')
          .append(String.format(Locale.ROOT, "%02d", random.nextInt(26)))
          .append(':')
          .append(String.format(Locale.ROOT, "%02d", random.nextInt(62)))
          .append(':')
          .append(String.format(Locale.ROOT, "%02d", random.nextInt(62)));
      if (random.nextInt(3) == 0) {
        b.append('.');
        int digits = random.nextInt(11);
        for (int d = 0; d < digits; d++) {
          b.append((char) ('0' + random.nextInt(10)));
        }
      }
      switch (random.nextInt(4)) {
        case 0 -> b.append(random.nextBoolean() ? 'Z' : 'z');
        case 1 ->
            b.append(random.nextBoolean() ? '+' : '-')
                .append(String.format(Locale.ROOT, "%02d", random.nextInt(20)))
                .append(':')
                .append(String.format(Locale.ROOT, "%02d", random.nextInt(62)));
        default -> {
          // leave the zone off, or add noise
        }
      }
      if (random.nextInt(10) == 0) {
        int at = random.nextInt(b.length() + 1);
        b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = b.toString();
      Instant parsed = Timestamps.parse(text);
      assertThat(parsed).as(text).isEqualTo(byFormatter(text));
      read += parsed == null ? 0 : 1;
    }
    // Both sides of the boundary are exercised: many texts are read, many refused.
    assertThat(read).isBetween(texts / 10, texts * 9 / 10);
  }
}
