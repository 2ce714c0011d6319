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
 * UTF-8 bytes, non-objects and syntax tricks ({@link HostileLines}).
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
  private final HostileLines hostile;

  /**
   * @param withHugeLines include lines over the 1,000,000-character line limit (not for Kafka,
   *     whose producer refuses records over 1 MB before the job could)
   */
  HostileInput(long seed, int validEvents, int hostileLines, boolean withHugeLines) {
    this.random = new Random(seed);
    this.hostile =
        new HostileLines(
            random,
            now,
            withHugeLines,
            new HostileLines.Sink() {
              @Override
              public void planned(String line) {
                HostileInput.this.planned(line);
              }

              @Override
              public void add(byte[] bytes) {
                HostileInput.this.add(bytes);
              }
            });
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
      hostile.hostile(valid.get(random.nextInt(valid.size())));
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
        precomputed ? IngestFixtures.unitVector(random) : null,
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
