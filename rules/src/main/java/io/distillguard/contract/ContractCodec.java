package io.distillguard.contract;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads and writes the v1 wire records (query events and account profiles, one JSON object per
 * line) and enforces the v1 contract on input.
 *
 * <p>Parsing never throws: any input, however malformed, yields either {@link Parsed.Ok} or {@link
 * Parsed.Rejected} with exactly one precise reason (the first rule the line breaks, checked in a
 * fixed order: line length, JSON syntax, object, then fields in contract order). Unknown fields are
 * ignored; an optional field given as JSON {@code null} counts as absent.
 *
 * <p>Rules beyond the JSON Schema files in {@code schema/}: the embedding dimension and the prompt
 * and line lengths come from {@link ContractLimits}; embedding entries must be finite as 32-bit
 * floats; duplicate keys in one object are refused (the record would be ambiguous).
 *
 * <p>Writing emits snake_case, omits absent optionals and normalises timestamps to UTC ({@code
 * 2026-10-05T00:00:19.291Z}). For every accepted record, {@code parse(write(r))} equals {@code r}.
 *
 * <p>Each part of the contract has its own class: {@link EventCodec} and {@link ProfileCodec} for
 * the two records, {@link Fields} for the field rules they share, {@link JsonLines} for the
 * line-level rules and the writer, {@link Timestamps} for RFC 3339.
 *
 * <p>Thread-safe and {@link Serializable}; creating one is cheap (the Jackson reader is shared).
 */
public final class ContractCodec implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * Longest identifier ({@code event_id}, {@code account_id}, {@code api_key_id}, {@code org_id})
   * and short name ({@code model}, {@code tier}, {@code client.ip}), in Unicode code points. Ids
   * end up as database keys (journal persistence ids, Milvus VarChar primary keys), so they must
   * fit every store with room to spare.
   */
  public static final int MAX_ID_CHARS = 128;

  /** Longest {@code client.user_agent} and {@code stated_use}, in code points. */
  public static final int MAX_TEXT_CHARS = 4_096;

  private final ContractLimits limits;
  private final EventCodec events;
  private final ProfileCodec profiles;

  /** A codec that enforces the given limits. */
  public ContractCodec(ContractLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.events = new EventCodec(limits);
    this.profiles = new ProfileCodec(limits);
  }

  /** The limits this codec enforces. */
  public ContractLimits limits() {
    return limits;
  }

  /** Parses and validates one query-event line. Never throws. */
  public Parsed<QueryEvent> parseEvent(String line) {
    return guarded(line, events::read);
  }

  /** Parses and validates one account-profile line. Never throws. */
  public Parsed<AccountProfile> parseProfile(String line) {
    return guarded(line, profiles::read);
  }

  /** One JSON line (no trailing newline) for the event; absent optionals are omitted. */
  public String writeEvent(QueryEvent e) {
    return events.write(e);
  }

  /** One JSON line (no trailing newline) for the profile; absent optionals are omitted. */
  public String writeProfile(AccountProfile p) {
    return profiles.write(p);
  }

  /**
   * Parses an RFC 3339 date-time ({@code 2026-10-05T00:00:19.291Z}, {@code
   * 2026-10-05T02:00:19+02:00}); {@code null} when the text is not one.
   */
  public static Instant parseTimestamp(String text) {
    return Timestamps.parse(text);
  }

  /** RFC 3339 in UTC with a {@code Z} suffix and only as many fraction digits as needed. */
  public static String formatTimestamp(Instant instant) {
    return Timestamps.format(instant);
  }

  /**
   * Why {@code id} breaks the identifier rule (see {@link TextRules#checkIdentifier}), e.g. {@code
   * "field id is 129 characters, limit 128"}; {@code null} when it is a valid id. For ids that
   * arrive outside a record (Kafka keys, URL paths).
   */
  public static String idProblem(String id) {
    if (id == null || id.isEmpty()) {
      return "field id must be a non-empty string";
    }
    try {
      TextRules.checkIdentifier("id", id);
      return null;
    } catch (Invalid e) {
      return e.getMessage();
    }
  }

  /** The record {@code read} makes of the line, or the reason it is rejected; never throws. */
  private static <T> Parsed<T> guarded(String line, Function<String, T> read) {
    try {
      return new Parsed.Ok<>(read.apply(line));
    } catch (Invalid e) {
      return new Parsed.Rejected<>(e.getMessage(), line);
    } catch (RuntimeException | StackOverflowError e) {
      // Defensive: a rule that did not anticipate some input must still dead-letter the line.
      return new Parsed.Rejected<>("unreadable record: " + e.getClass().getSimpleName(), line);
    }
  }
}
