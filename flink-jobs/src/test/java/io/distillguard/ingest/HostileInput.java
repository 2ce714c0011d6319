package io.distillguard.ingest;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.Parsed;
import io.distillguard.contract.QueryEvent;
import io.distillguard.ingest.parse.EventTimeRange;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A generated hostile input, fixed by its seed: valid events (account and event ids full of
 * characters frameworks reserve, an event id reused by another account, replayed duplicates)
 * shuffled together with at least ten thousand lines of every hostile kind: truncations, random
 * character mutations, wrong types, identifier attacks (too long, control characters, unpaired
 * surrogates, blank), implausible timestamps, oversized prompts and lines, deep nesting, invalid
 * UTF-8 bytes, non-objects and syntax tricks.
 *
 * <p>What each line must become is decided line by line by an oracle (the contract codec, the
 * default event-time range, UTF-8 decoding with replacement), so random mutations that happen to
 * stay valid are expected to be stored, not dead-lettered; {@link #plannedHostile} counts the lines
 * built to be refused, which the oracle must refuse too.
 *
 * <p>Prompts are generated from word lists: nothing is read from outside the repository.
 */
final class HostileInput {

  static final Instant START = Instant.parse("2026-10-05T00:00:00Z");
  static final ContractCodec CODEC = new ContractCodec(ContractLimits.DEFAULT);

  /** Account ids with every character some framework reserves. */
  static final List<String> ACCOUNTS =
      List.of(
          "acct|pipe",
          "acct\"quote",
          "acct\\back\\slash",
          "acct/slash/../etc",
          "acct%7C%25",
          "acct 'single' * ? # & = : ;",
          "acct-ü-😀-中文",
          "acct<script>alert(1)</script>",
          "acct{}[]()",
          "acct,\"and\" || account_id != \"\"",
          "acct-00",
          "acct-01",
          "acct-02");

  /** One event: its raw bytes (a line, without newline) and what the oracle says. */
  record Line(byte[] bytes, String text, String accountId, String eventId, String reason) {
    boolean valid() {
      return reason == null;
    }
  }

  final List<Line> events = new ArrayList<>();
  final List<String> profiles = new ArrayList<>();
  int plannedHostile;
  int plannedValid;

  private final Random random;
  private final long now = System.currentTimeMillis();
  private final boolean withHugeLines;
  private int serial;
  private int hugeLines;

  /**
   * @param withHugeLines include lines over the 1,000,000-character line limit (not for Kafka,
   *     whose producer refuses records over 1 MB before the job could)
   */
  HostileInput(long seed, int validEvents, int hostileLines, boolean withHugeLines) {
    this.random = new Random(seed);
    this.withHugeLines = withHugeLines;
    List<String> valid = new ArrayList<>();
    for (int i = 0; i < validEvents; i++) {
      String account = ACCOUNTS.get(i % ACCOUNTS.size());
      valid.add(CODEC.writeEvent(validEvent(account, eventId(i), i)));
    }
    // The same event id from two accounts: two events, two records.
    valid.add(CODEC.writeEvent(validEvent("acct-00", "shared-id|1", 1)));
    valid.add(CODEC.writeEvent(validEvent("acct|pipe", "shared-id|1", 2)));
    valid.forEach(l -> add(l.getBytes(StandardCharsets.UTF_8)));
    plannedValid = valid.size();
    // Replays of valid lines: stored once, whatever the count.
    for (int i = 0; i < 20; i++) {
      add(valid.get(random.nextInt(valid.size())).getBytes(StandardCharsets.UTF_8));
    }

    int before = events.size();
    while (events.size() - before < hostileLines) {
      hostile(valid.get(random.nextInt(valid.size())));
    }
    Collections.shuffle(events, random);

    for (String account : ACCOUNTS.subList(0, 8)) {
      profiles.add(
          CODEC.writeProfile(
              new AccountProfile(
                  account, "customer support for an airline", "org|1", "pro", START, null)));
    }
    profiles.addAll(
        List.of(
            "",
            "null",
            "{\"account_id\":\"acct\\u0000\",\"stated_use\":\"x\"}",
            "{\"account_id\":\"" + "p".repeat(129) + "\",\"stated_use\":\"x\"}",
            "{\"account_id\":\"acct-00\",\"stated_use\":\"" + "s".repeat(5000) + "\"}",
            "{\"account_id\":\"acct-00\"",
            "{\"account_id\":\"acct-00\",\"stated_use\":\"\\uD800\"}"));
    Collections.shuffle(profiles, random);
  }

  /** The lines the oracle refuses. */
  List<Line> refused() {
    return events.stream().filter(l -> !l.valid()).toList();
  }

  /** The lines the oracle accepts (replays included). */
  List<Line> accepted() {
    return events.stream().filter(Line::valid).toList();
  }

  /** How many profile lines are refused. */
  int refusedProfiles() {
    return (int) profiles.stream().filter(p -> !CODEC.parseProfile(p).isOk()).count();
  }

  /** Records expected in the store per account: distinct event ids of accepted lines. */
  Map<String, Long> storedPerAccount() {
    Map<String, java.util.Set<String>> ids = new HashMap<>();
    for (Line l : accepted()) {
      ids.computeIfAbsent(l.accountId(), a -> new java.util.HashSet<>()).add(l.eventId());
    }
    Map<String, Long> out = new HashMap<>();
    ids.forEach((a, s) -> out.put(a, (long) s.size()));
    return out;
  }

  private String eventId(int i) {
    String[] shapes = {"evt-%05d", "evt|%05d", "evt\"%05d\"", "evt/%05d/..", "evt %05d ü😀"};
    return String.format(shapes[i % shapes.length], i);
  }

  private QueryEvent validEvent(String account, String eventId, int i) {
    // Up to eight minutes of event time, in shuffled order.
    Instant ts = START.plusMillis(random.nextInt(8 * 60_000));
    boolean precomputed = i % 4 == 3;
    return new QueryEvent(
        eventId,
        account,
        ts,
        precomputed ? null : prompt(),
        precomputed ? unitVector() : null,
        i % 3 == 0 ? "key|" + i : null,
        "model-x",
        i % 50,
        null,
        null,
        i % 2 == 0 ? new QueryEvent.ClientInfo("10.0.0." + (i % 7), "sdk/1.0 \"q\"") : null);
  }

  private static final String[] VERBS = {"explain", "summarise", "translate", "prove", "write"};
  private static final String[] THINGS = {
    "my card pin", "a sonnet about rain", "the derivative of x^2", "this SQL query", "a refund"
  };

  private String prompt() {
    return VERBS[random.nextInt(VERBS.length)]
        + " "
        + THINGS[random.nextInt(THINGS.length)]
        + " #"
        + random.nextInt(1000);
  }

  private float[] unitVector() {
    float[] v = new float[ContractLimits.DEFAULT.embeddingDimension()];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / Math.sqrt(norm));
    }
    return v;
  }

  // ---- hostile lines ------------------------------------------------------------------------

  private static final String HOSTILE_CHARS =
      "\"{}[]:,\\ |%'0123456789aZ-.eE+\u0000\u0007\u001f\u007f\u0085\u00a0ü😀\uD800\uDFFF";

  private void hostile(String valid) {
    int kind = random.nextInt(100);
    if (kind < 20) {
      // truncated: never a whole object
      planned(valid.substring(0, random.nextInt(valid.length() - 1)));
    } else if (kind < 45) {
      mutated(valid);
    } else if (kind < 55) {
      planned(wrongType());
    } else if (kind < 72) {
      planned(badIdentifier());
    } else if (kind < 80) {
      planned(
          event("\"" + uniqueId() + "\"", "\"acct-00\"", "\"" + implausibleTime() + "\"", null));
    } else if (kind < 85) {
      planned(notAnEvent());
    } else if (kind < 88) {
      huge();
    } else if (kind < 92) {
      nested();
    } else if (kind < 96) {
      invalidUtf8();
    } else {
      planned(badUnicodeText());
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
    add(b.toString().getBytes(StandardCharsets.UTF_8));
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
      planned(
          event(
              id, "\"acct-00\"", ts, "\"prompt\":\"p\",\"pad\":\"" + "z".repeat(1_000_001) + "\""));
    } else if (kind <= 1) {
      // a ~600 KB line: refused, and its dead letter must still fit a Kafka record
      planned(event(id, "\"acct-00\"", ts, "\"prompt\":\"" + "\\u0001".repeat(100_000) + "\""));
    } else if (kind == 2) {
      planned(
          event(
              id,
              "\"acct-00\"",
              ts,
              "\"prompt\":\"" + "w".repeat(32_001 + random.nextInt(20_000)) + "\""));
    } else {
      // a big unknown field is ignored: the event is valid
      add(
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
    add(
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
    add(all); // decoded with replacement: a valid event of an account with U+FFFD in its id
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

  private void planned(String line) {
    Line l = add(line.getBytes(StandardCharsets.UTF_8));
    if (l.valid()) {
      throw new IllegalStateException(
          "generator bug: a planned hostile line is valid: "
              + line.substring(0, Math.min(200, line.length())));
    }
    plannedHostile++;
  }

  /** Adds a line with the oracle's verdict. Raw newlines are never generated (they split lines). */
  private Line add(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw new IllegalStateException("generator bug: a raw line break");
    }
    Parsed<QueryEvent> parsed = CODEC.parseEvent(text);
    Line l;
    if (parsed instanceof Parsed.Ok<QueryEvent> ok) {
      String implausible = EventTimeRange.DEFAULT.problem(ok.value().timestamp(), now);
      l = new Line(bytes, text, ok.value().accountId(), ok.value().eventId(), implausible);
    } else {
      l = new Line(bytes, text, null, null, ((Parsed.Rejected<QueryEvent>) parsed).reason());
    }
    events.add(l);
    return l;
  }
}
