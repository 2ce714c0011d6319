package io.distillguard.ingest.parse;

/**
 * One raw input record before parsing: the Kafka record key and value as UTF-8 text, or a file line
 * as the value with no key. A {@code null} value is a Kafka tombstone (what a compacted topic uses
 * to delete the key).
 *
 * <p>A concrete public record so Flink serializes it without Kryo.
 */
public record RawRecord(String key, String value) {

  /** A file line (no key). */
  public static RawRecord line(String line) {
    return new RawRecord(null, line);
  }

  /** Whether this is a tombstone: a record without a value. */
  public boolean isTombstone() {
    return value == null;
  }
}
