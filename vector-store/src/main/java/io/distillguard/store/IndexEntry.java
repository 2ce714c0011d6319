package io.distillguard.store;

/** One indexed record; {@code owner}/{@code index} locate its slot in the account's arrays. */
final class IndexEntry {
  final String eventId;
  AccountRecords owner;
  int index;
  long timestampMillis;
  int categoryId;
  long location;
  int bytes;

  IndexEntry(String eventId) {
    this.eventId = eventId;
  }
}
