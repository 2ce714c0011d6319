package io.distillguard.store;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's files: segment files {@code segment-NNNNNNNN.log}, each a header (magic,
 * version, dimension) and entries {@code [int length][int CRC32C][payload]}, appended to the newest
 * (active) segment. A record's location is its segment id and offset in one long. Not thread-safe:
 * the store guards it with its read/write lock.
 */
final class SegmentFiles {

  private static final Logger LOG = LoggerFactory.getLogger(SegmentFiles.class);

  static final int MAGIC = 0x44475653; // "DGVS"
  static final int VERSION = 1;
  static final int HEADER_BYTES = 12;
  static final int ENTRY_HEADER_BYTES = 8;
  static final int MAX_ENTRY_BYTES = 64 << 20;
  static final long SEGMENT_ROLL_BYTES = 256L << 20;

  /** What a replay finds in the log, in order. */
  interface Replay {
    /** A PUT entry of {@code bytes} (header included) at {@code location}. */
    void put(RecordCodec.IndexFields fields, long location, int bytes);

    /** An account tombstone. */
    void deleteAccount(String accountId);
  }

  private final Path dir;
  private final int dim;
  private final TreeMap<Integer, FileChannel> segments = new TreeMap<>();
  private FileChannel active;
  private int activeId;
  private long totalBytes;

  SegmentFiles(Path dir, int dim) {
    this.dir = dir;
    this.dim = dim;
  }

  /** Bytes of all entries in the segments (headers not counted). */
  long totalBytes() {
    return totalBytes;
  }

  /** Bytes of all segment files. */
  long diskBytes() {
    return totalBytes + (long) HEADER_BYTES * segments.size();
  }

  private static long location(int segment, long offset) {
    return ((long) segment << 40) | offset;
  }

  private static Path segmentPath(Path dir, int id) {
    return dir.resolve(String.format("segment-%08d.log", id));
  }

  ByteBuffer readPayload(IndexEntry e) throws IOException {
    int segment = (int) (e.location >>> 40);
    long offset = e.location & ((1L << 40) - 1);
    FileChannel ch = segments.get(segment);
    ByteBuffer buf = ByteBuffer.allocate(e.bytes);
    readFully(ch, buf, offset);
    buf.position(ENTRY_HEADER_BYTES);
    return buf.slice();
  }

  QueryRecord readRecord(IndexEntry e) throws IOException {
    ByteBuffer payload = readPayload(e);
    byte type = payload.get();
    if (type != RecordCodec.PUT) {
      throw new IOException("entry of " + e.eventId + " is not a record");
    }
    return RecordCodec.readPut(payload);
  }

  /**
   * Appends the records' PUT entries in one write ({@code sizes} and {@code strings} as {@link
   * RecordCodec} measured them, {@code total} bytes with the entry headers); returns each entry's
   * location.
   */
  long[] appendPuts(List<QueryRecord> records, byte[][][] strings, int[] sizes, long total)
      throws IOException {
    // One buffer and one write per batch; positions are known before the write.
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(total));
    long base = active.size();
    long[] locations = new long[records.size()];
    CRC32C crc = new CRC32C();
    for (int i = 0; i < records.size(); i++) {
      locations[i] = location(activeId, base + buf.position());
      int start = buf.position();
      buf.putInt(sizes[i]).putInt(0);
      RecordCodec.writePut(buf, records.get(i), strings[i]);
      crc.reset();
      crc.update(buf.array(), start + ENTRY_HEADER_BYTES, sizes[i]);
      buf.putInt(start + 4, (int) crc.getValue());
    }
    buf.flip();
    writeFully(active, buf, base);
    totalBytes += total;
    return locations;
  }

  void appendRaw(byte[] payload) throws IOException {
    CRC32C crc = new CRC32C();
    crc.update(payload);
    ByteBuffer buf = ByteBuffer.allocate(ENTRY_HEADER_BYTES + payload.length);
    buf.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
    writeFully(active, buf, active.size());
    totalBytes += buf.capacity();
  }

  /** Forces the active segment's data to the device. */
  void force() throws IOException {
    active.force(false);
  }

  private FileChannel createSegment(int id) throws IOException {
    FileChannel ch =
        FileChannel.open(
            segmentPath(dir, id),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    header.putInt(MAGIC).putInt(VERSION).putInt(dim).flip();
    writeFully(ch, header, 0);
    segments.put(id, ch);
    return ch;
  }

  /** Starts a new active segment once the active one is full. */
  void rollIfFull() throws IOException {
    if (active.size() >= SEGMENT_ROLL_BYTES) {
      active.force(false);
      activeId = activeId + 1;
      active = createSegment(activeId);
    }
  }

  /** Replays every segment into {@code replay}, truncating a torn tail. */
  void recover(Replay replay) throws IOException {
    List<Integer> ids = new ArrayList<>();
    try (var files = Files.list(dir)) {
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("segment-\\d{8}\\.log"))
          .forEach(n -> ids.add(Integer.parseInt(n.substring(8, 16))));
    }
    ids.sort(null);
    for (int id : ids) {
      FileChannel ch =
          FileChannel.open(segmentPath(dir, id), StandardOpenOption.READ, StandardOpenOption.WRITE);
      segments.put(id, ch);
      replay(id, ch, replay);
    }
    if (segments.isEmpty()) {
      activeId = 1;
      active = createSegment(activeId);
    } else {
      activeId = segments.lastKey();
      active = segments.get(activeId);
    }
  }

  private void replay(int id, FileChannel ch, Replay replay) throws IOException {
    long size = ch.size();
    Path path = segmentPath(dir, id);
    if (size < HEADER_BYTES) {
      // A segment created by a crash before its header was written: empty by construction.
      LOG.warn("Vector store segment {} has no complete header; rewriting it empty", path);
      ch.truncate(0);
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
      header.putInt(MAGIC).putInt(VERSION).putInt(dim).flip();
      writeFully(ch, header, 0);
      return;
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    readFully(ch, header, 0);
    header.flip();
    if (header.getInt() != MAGIC) {
      throw new VectorStoreException(path + " is not a DistillGuard vector segment");
    }
    int version = header.getInt();
    if (version != VERSION) {
      throw new VectorStoreException(path + " has unsupported version " + version);
    }
    int fileDim = header.getInt();
    if (fileDim != dim) {
      throw new VectorStoreException(
          path + " holds " + fileDim + "-d vectors but the store is configured for " + dim);
    }
    long pos = HEADER_BYTES;
    CRC32C crc = new CRC32C();
    String torn = null;
    // One sequential buffered pass: two positional reads per entry made reopening ~10x slower.
    DataInputStream in =
        new DataInputStream(
            new BufferedInputStream(Channels.newInputStream(ch.position(HEADER_BYTES)), 1 << 20));
    while (pos < size) {
      if (size - pos < ENTRY_HEADER_BYTES) {
        torn = "a cut-short entry header";
        break;
      }
      int len = in.readInt();
      int sum = in.readInt();
      if (len <= 0 || len > MAX_ENTRY_BYTES || len > size - pos - ENTRY_HEADER_BYTES) {
        torn = "an entry of impossible length " + len;
        break;
      }
      ByteBuffer payload = ByteBuffer.allocate(len);
      in.readFully(payload.array());
      crc.reset();
      crc.update(payload.array(), 0, len);
      if ((int) crc.getValue() != sum) {
        torn = "a checksum mismatch";
        break;
      }
      byte type = payload.get();
      int bytes = ENTRY_HEADER_BYTES + len;
      if (type == RecordCodec.PUT) {
        RecordCodec.IndexFields f = RecordCodec.readIndexFields(payload);
        if (f.vector().length != dim) {
          throw new VectorStoreException(path + ": record of dimension " + f.vector().length);
        }
        replay.put(f, location(id, pos), bytes);
      } else if (type == RecordCodec.DELETE_ACCOUNT) {
        replay.deleteAccount(RecordCodec.getString(payload));
      } else {
        torn = "an unknown entry type " + type;
        break;
      }
      totalBytes += bytes;
      pos += bytes;
    }
    if (torn != null) {
      LOG.warn(
          "Vector store segment {} ends in {} at offset {}; dropping the last {} bytes"
              + " (a write cut short by a crash)",
          path,
          torn,
          pos,
          size - pos);
      ch.truncate(pos);
      ch.force(true);
    }
  }

  /**
   * Copies the entries of {@code live} into fresh segments, pointing each entry at its new
   * location, then deletes the old segments; returns the bytes copied.
   */
  long rewrite(Collection<AccountRecords> live) throws IOException {
    Map<Integer, FileChannel> old = new TreeMap<>(segments);
    int nextId = activeId + 1;
    FileChannel out = createSegment(nextId);
    long outPos = HEADER_BYTES;
    long newTotal = 0;
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    for (AccountRecords acct : live) {
      for (int i = 0; i < acct.size; i++) {
        IndexEntry e = acct.entries[i];
        if (outPos >= SEGMENT_ROLL_BYTES) {
          buf.flip();
          writeFully(out, buf, out.size());
          buf.clear();
          out.force(false);
          nextId++;
          out = createSegment(nextId);
          outPos = HEADER_BYTES;
        }
        int segment = (int) (e.location >>> 40);
        long offset = e.location & ((1L << 40) - 1);
        if (buf.remaining() < e.bytes) {
          buf.flip();
          writeFully(out, buf, out.size());
          buf.clear();
          if (buf.capacity() < e.bytes) {
            buf = ByteBuffer.allocate(e.bytes);
          }
        }
        ByteBuffer slice = buf.slice(buf.position(), e.bytes);
        readFully(old.get(segment), slice, offset);
        buf.position(buf.position() + e.bytes);
        e.location = location(nextId, outPos);
        outPos += e.bytes;
        newTotal += e.bytes;
      }
    }
    buf.flip();
    writeFully(out, buf, out.size());
    out.force(true);
    forceDirectory();
    // The new segments are durable: the old ones can go, oldest first, so that a crash part-way
    // never leaves a record segment without the tombstones that followed it.
    for (Map.Entry<Integer, FileChannel> s : old.entrySet()) {
      s.getValue().close();
      segments.remove(s.getKey());
      Files.deleteIfExists(segmentPath(dir, s.getKey()));
    }
    forceDirectory();
    activeId = nextId;
    active = out;
    totalBytes = newTotal;
    return newTotal;
  }

  private void forceDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Not every platform can open a directory for sync; the files themselves were forced.
      LOG.debug("Cannot sync directory {}", dir, e);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of segment at " + pos);
      }
      pos += n;
    }
  }

  /** Closes every segment, logging (not throwing) what fails. */
  void closeQuietly() {
    for (FileChannel ch : segments.values()) {
      try {
        ch.close();
      } catch (IOException e) {
        LOG.debug("Closing a segment failed", e);
      }
    }
    segments.clear();
  }
}
