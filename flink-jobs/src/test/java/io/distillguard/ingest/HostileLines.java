package io.distillguard.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;

/**
 * The hostile lines of a {@link HostileInput}, of every kind, drawn from its random source (so the
 * input stays fixed by its seed): truncations, random character mutations, wrong types, identifier
 * attacks, implausible timestamps, non-events, oversized lines, deep nesting, invalid UTF-8 bytes
 * and bad Unicode text.
 */
final class HostileLines {

  /** Where a line goes: the oracle judges each one. */
  interface Sink {
    /** A line built to be refused: the oracle must refuse it. */
    void planned(String line);

    /** A line whose verdict is the oracle's alone (it may stay valid). */
    void add(byte[] bytes);
  }

  private final Random random;
  private final long now;
  private final boolean withHugeLines;
  private final Sink sink;
  private int serial;
  private int hugeLines;

  /**
   * @param now the wall clock the oracle judges event times against, in epoch milliseconds
   * @param withHugeLines include lines over the 1,000,000-character line limit
   */
  HostileLines(Random random, long now, boolean withHugeLines, Sink sink) {
    this.random = random;
    this.now = now;
    this.withHugeLines = withHugeLines;
    this.sink = sink;
  }

  private static final String HOSTILE_CHARS =
      "\"{}[]:,\\ |%'0123456789aZ-.eE+\u0000\u0007\u001f\u007f\u0085\u00a0ü😀\uD800\uDFFF";

  /** Adds one hostile line made from {@code valid}, of a kind drawn at random. */
  void hostile(String valid) {
    int kind = random.nextInt(100);
    if (kind < 20) {
      // truncated: never a whole object
      sink.planned(valid.substring(0, random.nextInt(valid.length() - 1)));
    } else if (kind < 45) {
      mutated(valid);
    } else if (kind < 55) {
      sink.planned(wrongType());
    } else if (kind < 72) {
      sink.planned(badIdentifier());
    } else if (kind < 80) {
      sink.planned(
          event("\"" + uniqueId() + "\"", "\"acct-00\"", "\"" + implausibleTime() + "\"", null));
    } else if (kind < 85) {
      sink.planned(notAnEvent());
    } else if (kind < 88) {
      huge();
    } else if (kind < 92) {
      nested();
    } else if (kind < 96) {
      invalidUtf8();
    } else {
      sink.planned(badUnicodeText());
    }
  }

  private void mutated(String valid) {
    // a fresh id first, so a mutation that stays valid is a new event, not a replay
    StringBuilder b =
        new StringBuilder(valid.replaceFirst("\"event_id\":\"", "\"event_id\":\"m" + uniqueId()));
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits; e++) {
      int at = random.nextInt(b.length());
      char c = HOSTILE_CHARS.charAt(random.nextInt(HOSTILE_CHARS.length()));
      switch (random.nextInt(3)) {
        case 0 -> b.setCharAt(at, c);
        case 1 -> b.insert(at, c);
        default -> b.deleteCharAt(at);
      }
    }
    sink.add(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  private String wrongType() {
    String[] values = {"17", "[\"a\"]", "{\"x\":1}", "true", "\"\"", "1e999", "-1", "0.5"};
    String v = values[random.nextInt(values.length)];
    String id = "\"" + uniqueId() + "\"";
    String ts = "\"2026-10-05T00:00:19Z\"";
    return switch (random.nextInt(9)) {
      case 0 -> event(v.equals("\"\"") ? "17" : v, "\"acct-00\"", ts, null);
      case 1 -> event(id, v.equals("\"\"") ? "[1]" : v, ts, null);
      case 2 ->
          event(id, "\"acct-00\"", random.nextBoolean() ? v : "\"2026-13-01T00:00:00Z\"", null);
      case 3 -> event(id, "\"acct-00\"", ts, "\"prompt\":" + (v.startsWith("\"") ? "[1]" : v));
      case 4 -> event(id, "\"acct-00\"", ts, "\"prompt\":\"p\",\"embedding\":[" + v + "]");
      case 5 ->
          event(
              id,
              "\"acct-00\"",
              ts,
              "\"prompt\":\"p\",\"prompt_tokens\":" + (v.equals("17") ? "-3" : v));
      case 6 ->
          event(
              id,
              "\"acct-00\"",
              ts,
              "\"prompt\":\"p\",\"client\":" + (v.startsWith("{") ? "7" : v));
      case 7 -> event(id, "\"acct-00\"", ts, "\"prompt\":\"p\",\"response_entropy\":\"high\"");
      default -> event(id, "\"acct-00\"", ts, "\"prompt\":\"p\",\"embedding\":[0.1,0.2]");
    };
  }

  private String badIdentifier() {
    String ts = "\"2026-10-05T00:00:19Z\"";
    String bad =
        switch (random.nextInt(6)) {
          case 0 -> "\"" + "x".repeat(129 + random.nextInt(10_000)) + "\"";
          case 1 -> {
            int c = random.nextBoolean() ? random.nextInt(0x20) : 0x7f + random.nextInt(0x21);
            yield "\"id" + String.format("\\u%04x", c) + "\"";
          }
          case 2 -> "\"id\\uD83D\"";
          case 3 -> "\"\\uDE00id\"";
          case 4 -> "\"   \"";
          default -> "\"\"";
        };
    String field = random.nextInt(4) == 0 ? "api_key_id" : null;
    if (field != null) {
      return event(
          "\"" + uniqueId() + "\"", "\"acct-00\"", ts, "\"prompt\":\"p\",\"api_key_id\":" + bad);
    }
    return random.nextBoolean()
        ? event(bad, "\"acct-00\"", ts, null)
        : event("\"" + uniqueId() + "\"", bad, ts, null);
  }

  private String implausibleTime() {
    return switch (random.nextInt(4)) {
      case 0 -> "9999-12-31T23:59:59Z";
      case 1 -> "0001-01-01T00:00:00Z";
      case 2 -> "1970-01-01T00:00:00Z";
      default -> Instant.ofEpochMilli(now).plusSeconds(3 * 86_400).toString();
    };
  }

  private String notAnEvent() {
    String[] lines = {
      "",
      "   ",
      "\t",
      "null",
      "[]",
      "42",
      "\"string\"",
      "{",
      "}",
      "{}",
      "{}{}",
      "{\"event_id\":\"e\",\"event_id\":\"f\",\"account_id\":\"a\",\"timestamp\":\"2026-10-05T00:00:19Z\",\"prompt\":\"p\"}",
      "\uFEFF{\"event_id\":\"e\"}",
      "{'event_id':'e'}",
      "{\"a\":NaN}",
      "// comment",
      "{\"a\":1,}",
      "<?xml version=\"1.0\"?>",
      "\u0000\u0000\u0000"
    };
    return lines[random.nextInt(lines.length)];
  }

  private void huge() {
    String id = "\"" + uniqueId() + "\"";
    String ts = "\"2026-10-05T00:00:19Z\"";
    int kind = random.nextInt(4);
    if (kind == 0 && withHugeLines && hugeLines++ < 3) {
      sink.planned(
          event(
              id, "\"acct-00\"", ts, "\"prompt\":\"p\",\"pad\":\"" + "z".repeat(1_000_001) + "\""));
    } else if (kind <= 1) {
      // a ~600 KB line: refused, and its dead letter must still fit a Kafka record
      sink.planned(
          event(id, "\"acct-00\"", ts, "\"prompt\":\"" + "\\u0001".repeat(100_000) + "\""));
    } else if (kind == 2) {
      sink.planned(
          event(
              id,
              "\"acct-00\"",
              ts,
              "\"prompt\":\"" + "w".repeat(32_001 + random.nextInt(20_000)) + "\""));
    } else {
      // a big unknown field is ignored: the event is valid
      sink.add(
          event(
                  id,
                  "\"acct-01\"",
                  ts,
                  "\"prompt\":\"big unknown field\",\"extra\":[" + "1,".repeat(50_000) + "1]")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  private void nested() {
    int depth = random.nextBoolean() ? 5_000 + random.nextInt(50_000) : 10 + random.nextInt(50);
    String deep = "[".repeat(depth) + "]".repeat(depth);
    sink.add(
        event(
                "\"" + uniqueId() + "\"",
                "\"acct-02\"",
                "\"2026-10-05T00:00:19Z\"",
                "\"prompt\":\"nested\",\"x\":" + deep)
            .getBytes(StandardCharsets.UTF_8));
  }

  private void invalidUtf8() {
    byte[][] bad = {
      {(byte) 0xff},
      {(byte) 0xc0, (byte) 0x80},
      {(byte) 0xe2, (byte) 0x82},
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80}
    };
    byte[] b = bad[random.nextInt(bad.length)];
    String id = uniqueId();
    String head = "{\"event_id\":\"" + id + "\",\"account_id\":\"acct-";
    String tail = "\",\"timestamp\":\"2026-10-05T00:00:19Z\",\"prompt\":\"utf8\"}";
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    byte[] t = tail.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[h.length + b.length + t.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(b, 0, all, h.length, b.length);
    System.arraycopy(t, 0, all, h.length + b.length, t.length);
    sink.add(all); // decoded with replacement: a valid event of an account with U+FFFD in its id
  }

  private String badUnicodeText() {
    String field =
        random.nextBoolean()
            ? "\"prompt\":\"a\\uDBFFb\""
            : "\"prompt\":\"p\",\"model\":\"\\uD800\"";
    return event("\"" + uniqueId() + "\"", "\"acct-00\"", "\"2026-10-05T00:00:19Z\"", field);
  }

  private static String event(String id, String account, String ts, String rest) {
    return "{\"event_id\":"
        + id
        + ",\"account_id\":"
        + account
        + ",\"timestamp\":"
        + ts
        + ","
        + (rest == null ? "\"prompt\":\"p\"" : rest)
        + "}";
  }

  private String uniqueId() {
    return "h-" + (serial++);
  }
}
