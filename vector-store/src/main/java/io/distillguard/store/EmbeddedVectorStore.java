package io.distillguard.store;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local default {@link VectorStore}: an append-only log on disk under {@code
 * <dataDir>/vectors/} with a flat per-account in-memory index of int8-quantized vectors.
 *
 * <p><b>Why this layout.</b> Evidence queries are per account (hundreds to thousands of records),
 * so a global ANN index buys nothing there and costs a lot on ingest (Lucene HNSW indexed only
 * ~180-700 vectors/s on our 2-core machines). An exact scan of one account's quantized vectors (384
 * bytes each for 384-d) takes microseconds, and appending to a log keeps up with ingest.
 *
 * <p><b>On disk.</b> Segment files {@code segment-NNNNNNNN.log}: a header (magic, version,
 * dimension) and entries {@code [int length][int CRC32C][payload]}, where a payload is a PUT (the
 * whole record, vector in float32) or an account tombstone. Opening replays the segments in order
 * and rebuilds the index; an entry that is cut short or fails its checksum ends the log there (a
 * torn tail from a crash) and the file is truncated to the last good entry, with a warning.
 *
 * <p><b>Durability.</b> {@link #upsert} writes to the file before it returns, so a process crash
 * loses nothing acknowledged; {@link #flush} (and close) also forces the data to the device, so
 * only writes since the last flush can be lost on power loss.
 *
 * <p><b>Search is exact.</b> Candidates are ranked by cosine on the quantized vectors, each with a
 * proven error bound ({@code ||q||_1 * scale / 2} on the dot product); candidates whose upper bound
 * can still reach the top {@code limit} are re-scored in float32 from disk. Returned scores are
 * float32 cosines and the ranking equals an exact float32 scan.
 *
 * <p><b>Erasure and retention.</b> {@link #deleteAccount} writes a tombstone, then compacts: live
 * records are copied to fresh segments and the old files are deleted, so the account's data is gone
 * from disk when the call returns. Compaction also drops records older than the retention (relative
 * to the store's clock) and runs on open when a retention is set, when superseded records make up
 * most of the log, and on {@link #compact()}.
 *
 * <p><b>One owner.</b> A data dir is locked ({@code vectors/.lock}); a second open, from another
 * process or this JVM, fails with a {@link VectorStoreException}. Share one instance in a JVM
 * through {@link VectorStores}. Thread-safe: reads run concurrently, writes are serialised.
 */
public final class EmbeddedVectorStore implements VectorStore {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedVectorStore.class);

  static final int MAGIC = 0x44475653; // "DGVS"
  static final int VERSION = 1;
  static final int HEADER_BYTES = 12;
  private static final int ENTRY_HEADER_BYTES = 8;
  private static final int MAX_ENTRY_BYTES = 64 << 20;
  private static final long SEGMENT_ROLL_BYTES = 256L << 20;
  private static final long AUTO_COMPACT_MIN_BYTES = 64L << 20;

  private final Path dir;
  private final int dim;
  private final Long retentionMillis;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();

  // Index: guarded by rw.
  // Keyed by (account, event): an event id reused by another account is another record.
  private final Map<RecordKey, Entry> byId = new HashMap<>();
  private final Map<String, AccountRecords> accounts = new HashMap<>();
  private final Map<String, Integer> categoryIds = new HashMap<>();
  private final TreeMap<Integer, FileChannel> segments = new TreeMap<>();
  private FileChannel active;
  private int activeId;
  private long totalBytes;
  private long liveBytes;
  private boolean closed;

  private EmbeddedVectorStore(Path dir, int dim, Long retentionMillis, Clock clock)
      throws IOException {
    this.dir = dir;
    this.dim = dim;
    this.retentionMillis = retentionMillis;
    this.clock = clock;
    Files.createDirectories(dir);
    this.lockChannel =
        FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lockChannel.close();
      throw new VectorStoreException(
          "data dir "
              + dir.getParent()
              + " is already open in this JVM; share it through VectorStores.open(...)");
    }
    if (l == null) {
      lockChannel.close();
      throw new VectorStoreException(
          "data dir "
              + dir.getParent()
              + " is in use by another DistillGuard process (lock held on "
              + dir.resolve(".lock")
              + "); stop that process or choose another data dir");
    }
    this.lock = l;
  }

  /** Opens (creating if needed) the store under {@code settings.dataDir()/vectors}. */
  public static EmbeddedVectorStore open(StoreSettings settings) {
    return open(settings, Clock.systemUTC());
  }

  /** As {@link #open(StoreSettings)}, with the clock that retention is measured against. */
  public static EmbeddedVectorStore open(StoreSettings settings, Clock clock) {
    if (settings.backend() != StoreSettings.Backend.EMBEDDED) {
      throw new IllegalArgumentException("not embedded settings: " + settings);
    }
    Path dir = settings.dataDir().resolve("vectors");
    Long retention = settings.retention() == null ? null : settings.retention().toMillis();
    EmbeddedVectorStore store;
    try {
      store = new EmbeddedVectorStore(dir, settings.dimension(), retention, clock);
    } catch (IOException e) {
      throw new VectorStoreException("cannot open vector store in " + dir + ": " + e, e);
    }
    try {
      long started = System.nanoTime();
      store.recover();
      if (retention != null) {
        store.compact();
      }
      LOG.info(
          "Opened embedded vector store {}: {} records, {} accounts in {} ms",
          dir,
          store.byId.size(),
          store.accounts.size(),
          (System.nanoTime() - started) / 1_000_000);
      return store;
    } catch (IOException | RuntimeException e) {
      store.closeQuietly();
      if (e instanceof VectorStoreException v) {
        throw v;
      }
      throw new VectorStoreException("cannot open vector store in " + dir + ": " + e, e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writes

  @Override
  public void upsert(List<QueryRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    for (QueryRecord r : records) {
      checkDimension(r.embedding(), r.eventId());
    }
    byte[][][] strings = new byte[records.size()][][];
    int[] sizes = new int[records.size()];
    long total = 0;
    for (int i = 0; i < records.size(); i++) {
      strings[i] = RecordCodec.putStrings(records.get(i));
      sizes[i] = RecordCodec.putSize(records.get(i), strings[i]);
      if (sizes[i] > MAX_ENTRY_BYTES) {
        throw new IllegalArgumentException(
            "record " + records.get(i).eventId() + " is too large: " + sizes[i] + " bytes");
      }
      total += ENTRY_HEADER_BYTES + sizes[i];
    }
    rw.writeLock().lock();
    try {
      ensureOpen();
      // One buffer and one write per batch; positions are known before the write.
      ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(total));
      long base = active.size();
      long[] offsets = new long[records.size()];
      CRC32C crc = new CRC32C();
      for (int i = 0; i < records.size(); i++) {
        offsets[i] = base + buf.position();
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
      for (int i = 0; i < records.size(); i++) {
        QueryRecord r = records.get(i);
        index(
            r.eventId(),
            r.accountId(),
            r.timestampMillis(),
            r.category(),
            r.embedding(),
            location(activeId, offsets[i]),
            ENTRY_HEADER_BYTES + sizes[i]);
      }
      if (active.size() >= SEGMENT_ROLL_BYTES) {
        roll();
      }
      if (totalBytes >= AUTO_COMPACT_MIN_BYTES && liveBytes * 2 < totalBytes) {
        compactLocked();
      }
    } catch (IOException e) {
      throw new VectorStoreException("cannot write to vector store " + dir + ": " + e, e);
    } finally {
      rw.writeLock().unlock();
    }
  }

  @Override
  public long deleteAccount(String accountId) {
    rw.writeLock().lock();
    try {
      ensureOpen();
      AccountRecords acct = accounts.get(accountId);
      if (acct == null) {
        return 0;
      }
      byte[] payload = RecordCodec.deleteAccount(accountId);
      appendRaw(payload);
      active.force(false);
      long removed = acct.size;
      removeAccountFromIndex(accountId);
      compactLocked();
      LOG.info("Erased {} records of account {} from {}", removed, accountId, dir);
      return removed;
    } catch (IOException e) {
      throw new VectorStoreException("cannot delete account in " + dir + ": " + e, e);
    } finally {
      rw.writeLock().unlock();
    }
  }

  /**
   * Rewrites the live records into fresh segments and deletes the old files, dropping superseded
   * and erased records and those older than the retention.
   */
  public void compact() {
    rw.writeLock().lock();
    try {
      ensureOpen();
      compactLocked();
    } catch (IOException e) {
      throw new VectorStoreException("cannot compact vector store " + dir + ": " + e, e);
    } finally {
      rw.writeLock().unlock();
    }
  }

  @Override
  public void flush() {
    rw.writeLock().lock();
    try {
      ensureOpen();
      active.force(false);
    } catch (IOException e) {
      throw new VectorStoreException("cannot flush vector store " + dir + ": " + e, e);
    } finally {
      rw.writeLock().unlock();
    }
  }

  @Override
  public void close() {
    rw.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      try {
        active.force(false);
      } catch (IOException e) {
        LOG.warn("Flushing vector store {} on close failed", dir, e);
      }
      closeQuietly();
    } finally {
      rw.writeLock().unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  @Override
  public List<ScoredRecord> search(float[] vector, RecordFilter filter, int limit) {
    checkDimension(vector, "query vector");
    if (limit <= 0) {
      return List.of();
    }
    double qNorm = 0;
    double qL1 = 0;
    for (float f : vector) {
      qNorm += (double) f * f;
      qL1 += Math.abs(f);
    }
    qNorm = Math.sqrt(qNorm);
    rw.readLock().lock();
    try {
      ensureOpen();
      // Pass 1: approximate cosine from the int8 vectors, with a per-candidate error bound.
      List<Candidate> candidates = new ArrayList<>();
      LowerBounds lowerBounds = new LowerBounds(Math.min(limit, Math.max(1, byId.size())));
      final double qn = qNorm;
      final double ql1 = qL1;
      forEachMatch(
          filter,
          (acct, i) -> {
            Candidate c = acct.approximate(i, vector, qn, ql1);
            if (c.approx + c.bound < lowerBounds.floor()) {
              return; // cannot reach the top `limit`
            }
            candidates.add(c);
            lowerBounds.offer(c.approx - c.bound);
          });
      double[] floor = {lowerBounds.floor()};
      // Pass 2: exact float32 cosine, in order of upper bound, until none left can compete.
      candidates.sort(Comparator.comparingDouble((Candidate c) -> -(c.approx + c.bound)));
      PriorityQueue<ScoredEntry> top =
          new PriorityQueue<>(
              Comparator.comparingDouble((ScoredEntry s) -> s.score)
                  .thenComparing(s -> s.entry.eventId, Comparator.reverseOrder()));
      for (Candidate c : candidates) {
        if (top.size() == limit && c.approx + c.bound < top.peek().score) {
          break;
        }
        if (c.approx + c.bound < floor[0]) {
          continue;
        }
        float[] exact = RecordCodec.readVector(readPayload(c.entry));
        double score = exactCosine(vector, qn, exact, c.norm);
        top.add(new ScoredEntry(c.entry, score));
        if (top.size() > limit) {
          top.poll();
        }
      }
      List<ScoredEntry> ordered = new ArrayList<>(top);
      ordered.sort(
          Comparator.comparingDouble((ScoredEntry s) -> -s.score)
              .thenComparing(s -> s.entry.eventId));
      List<ScoredRecord> out = new ArrayList<>(ordered.size());
      for (ScoredEntry s : ordered) {
        out.add(new ScoredRecord(readRecord(s.entry), (float) s.score));
      }
      return out;
    } catch (IOException e) {
      throw new VectorStoreException("cannot read vector store " + dir + ": " + e, e);
    } finally {
      rw.readLock().unlock();
    }
  }

  @Override
  public List<QueryRecord> query(RecordFilter filter, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    Comparator<Entry> newestFirst =
        Comparator.comparingLong((Entry e) -> -e.timestampMillis).thenComparing(e -> e.eventId);
    rw.readLock().lock();
    try {
      ensureOpen();
      PriorityQueue<Entry> top = new PriorityQueue<>(newestFirst.reversed());
      forEachMatch(
          filter,
          (acct, i) -> {
            top.add(acct.entries[i]);
            if (top.size() > limit) {
              top.poll();
            }
          });
      List<Entry> ordered = new ArrayList<>(top);
      ordered.sort(newestFirst);
      List<QueryRecord> out = new ArrayList<>(ordered.size());
      for (Entry e : ordered) {
        out.add(readRecord(e));
      }
      return out;
    } catch (IOException e) {
      throw new VectorStoreException("cannot read vector store " + dir + ": " + e, e);
    } finally {
      rw.readLock().unlock();
    }
  }

  @Override
  public long count(RecordFilter filter) {
    rw.readLock().lock();
    try {
      ensureOpen();
      if (filter.fromMillis() == null && filter.toMillis() == null && filter.category() == null) {
        if (filter.accountId() == null) {
          return byId.size();
        }
        AccountRecords acct = accounts.get(filter.accountId());
        return acct == null ? 0 : acct.size;
      }
      long[] n = {0};
      forEachMatch(filter, (acct, i) -> n[0]++);
      return n[0];
    } finally {
      rw.readLock().unlock();
    }
  }

  /** Bytes of all segment files (for benchmarks and diagnostics). */
  public long diskBytes() {
    rw.readLock().lock();
    try {
      return totalBytes + (long) HEADER_BYTES * segments.size();
    } finally {
      rw.readLock().unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Index

  private interface MatchVisitor {
    void visit(AccountRecords acct, int index);
  }

  private void forEachMatch(RecordFilter filter, MatchVisitor visitor) {
    int categoryId = -1;
    if (filter.category() != null) {
      Integer id = categoryIds.get(filter.category());
      if (id == null) {
        return;
      }
      categoryId = id;
    }
    long from = filter.fromMillis() == null ? Long.MIN_VALUE : filter.fromMillis();
    long to = filter.toMillis() == null ? Long.MAX_VALUE : filter.toMillis();
    if (filter.accountId() != null) {
      AccountRecords acct = accounts.get(filter.accountId());
      if (acct != null) {
        acct.forEach(categoryId, from, to, visitor);
      }
    } else {
      for (AccountRecords acct : accounts.values()) {
        acct.forEach(categoryId, from, to, visitor);
      }
    }
  }

  private void index(
      String eventId,
      String accountId,
      long ts,
      String category,
      float[] vector,
      long location,
      int bytes) {
    RecordKey key = new RecordKey(accountId, eventId);
    Entry existing = byId.get(key);
    if (existing != null) {
      liveBytes -= existing.bytes;
      existing.owner.set(existing.index, ts, categoryId(category), location, bytes, vector);
      liveBytes += bytes;
      return;
    }
    AccountRecords acct = accounts.computeIfAbsent(accountId, a -> new AccountRecords(a, dim));
    Entry e = acct.add(eventId, ts, categoryId(category), location, bytes, vector);
    byId.put(key, e);
    liveBytes += bytes;
  }

  private void removeAccountFromIndex(String accountId) {
    AccountRecords acct = accounts.remove(accountId);
    if (acct == null) {
      return;
    }
    for (int i = 0; i < acct.size; i++) {
      byId.remove(new RecordKey(accountId, acct.entries[i].eventId));
      liveBytes -= acct.entries[i].bytes;
    }
  }

  private int categoryId(String category) {
    return categoryIds.computeIfAbsent(category, c -> categoryIds.size());
  }

  /** The identity of a stored record: the event id is unique within its account only. */
  private record RecordKey(String accountId, String eventId) {}

  /** One indexed record; {@code owner}/{@code index} locate its slot in the account's arrays. */
  private static final class Entry {
    final String eventId;
    AccountRecords owner;
    int index;
    long timestampMillis;
    int categoryId;
    long location;
    int bytes;

    Entry(String eventId) {
      this.eventId = eventId;
    }
  }

  private record Candidate(Entry entry, double approx, double bound, float norm) {}

  /**
   * The {@code k} largest lower bounds seen so far, as a primitive min-heap: its minimum is a floor
   * that any candidate's upper bound must reach to possibly be in the top {@code k}.
   */
  private static final class LowerBounds {
    private final double[] heap;
    private int size;

    LowerBounds(int k) {
      heap = new double[k];
    }

    double floor() {
      return size < heap.length ? Double.NEGATIVE_INFINITY : heap[0];
    }

    void offer(double v) {
      if (size < heap.length) {
        int i = size++;
        heap[i] = v;
        while (i > 0 && heap[(i - 1) / 2] > heap[i]) {
          swap(i, (i - 1) / 2);
          i = (i - 1) / 2;
        }
      } else if (v > heap[0]) {
        heap[0] = v;
        int i = 0;
        while (true) {
          int l = 2 * i + 1;
          int r = l + 1;
          int m = i;
          if (l < size && heap[l] < heap[m]) {
            m = l;
          }
          if (r < size && heap[r] < heap[m]) {
            m = r;
          }
          if (m == i) {
            return;
          }
          swap(i, m);
          i = m;
        }
      }
    }

    private void swap(int a, int b) {
      double t = heap[a];
      heap[a] = heap[b];
      heap[b] = t;
    }
  }

  private record ScoredEntry(Entry entry, double score) {}

  /**
   * The flat per-account layout: parallel arrays, the int8 vectors back to back. Quantization is
   * symmetric per vector: {@code v[i] ~= scale * q[i]} with {@code scale = max|v| / 127}.
   */
  private static final class AccountRecords {
    final String accountId;
    final int dim;
    int size;
    Entry[] entries = new Entry[8];
    byte[] vectors;
    float[] scales = new float[8];
    float[] norms = new float[8];

    AccountRecords(String accountId, int dim) {
      this.accountId = accountId;
      this.dim = dim;
      this.vectors = new byte[8 * dim];
    }

    Entry add(String eventId, long ts, int cat, long loc, int bytes, float[] v) {
      if (size == entries.length) {
        int cap = size * 2;
        entries = Arrays.copyOf(entries, cap);
        scales = Arrays.copyOf(scales, cap);
        norms = Arrays.copyOf(norms, cap);
        vectors = Arrays.copyOf(vectors, cap * dim);
      }
      Entry e = new Entry(eventId);
      e.owner = this;
      e.index = size;
      entries[size] = e;
      size++;
      set(e.index, ts, cat, loc, bytes, v);
      return e;
    }

    void set(int i, long ts, int cat, long loc, int bytes, float[] v) {
      Entry e = entries[i];
      e.timestampMillis = ts;
      e.categoryId = cat;
      e.location = loc;
      e.bytes = bytes;
      float max = 0;
      double norm = 0;
      for (float f : v) {
        max = Math.max(max, Math.abs(f));
        norm += (double) f * f;
      }
      float scale = max / 127f;
      int off = i * dim;
      for (int d = 0; d < dim; d++) {
        vectors[off + d] = scale == 0 ? 0 : (byte) Math.round(v[d] / scale);
      }
      scales[i] = scale;
      norms[i] = (float) Math.sqrt(norm);
    }

    /** Removes slot i by moving the last slot into it. */
    void remove(int i) {
      int last = size - 1;
      if (i != last) {
        Entry moved = entries[last];
        entries[i] = moved;
        moved.index = i;
        scales[i] = scales[last];
        norms[i] = norms[last];
        System.arraycopy(vectors, last * dim, vectors, i * dim, dim);
      }
      entries[last] = null;
      size--;
    }

    void forEach(int categoryId, long from, long to, MatchVisitor visitor) {
      for (int i = 0; i < size; i++) {
        Entry e = entries[i];
        if ((categoryId < 0 || e.categoryId == categoryId)
            && e.timestampMillis >= from
            && e.timestampMillis <= to) {
          visitor.visit(this, i);
        }
      }
    }

    Candidate approximate(int i, float[] q, double qNorm, double qL1) {
      int off = i * dim;
      float dot = 0;
      for (int d = 0; d < dim; d++) {
        dot += q[d] * vectors[off + d];
      }
      float scale = scales[i];
      float norm = norms[i];
      double denom = qNorm * norm;
      if (denom == 0) {
        return new Candidate(entries[i], 0, 0, norm);
      }
      // |q.v - scale * q.v8| <= sum|q_d| * scale/2. The float sum's own rounding is at most
      // ~dim * 2^-24 relative to |q||v| (below 1e-4 for any dimension we use), hence the margin.
      double approx = dot * (double) scale / denom;
      double bound = qL1 * scale * 0.5 / denom * 1.001 + 1e-4;
      return new Candidate(entries[i], approx, bound, norm);
    }
  }

  private static double exactCosine(float[] q, double qNorm, float[] v, float vNorm) {
    double denom = qNorm * vNorm;
    if (denom == 0) {
      return 0;
    }
    double dot = 0;
    for (int d = 0; d < q.length; d++) {
      dot += (double) q[d] * v[d];
    }
    return dot / denom;
  }

  // ---------------------------------------------------------------------------------------------
  // Segments

  private static long location(int segment, long offset) {
    return ((long) segment << 40) | offset;
  }

  private static Path segmentPath(Path dir, int id) {
    return dir.resolve(String.format("segment-%08d.log", id));
  }

  private ByteBuffer readPayload(Entry e) throws IOException {
    int segment = (int) (e.location >>> 40);
    long offset = e.location & ((1L << 40) - 1);
    FileChannel ch = segments.get(segment);
    ByteBuffer buf = ByteBuffer.allocate(e.bytes);
    readFully(ch, buf, offset);
    buf.position(ENTRY_HEADER_BYTES);
    return buf.slice();
  }

  private QueryRecord readRecord(Entry e) throws IOException {
    ByteBuffer payload = readPayload(e);
    byte type = payload.get();
    if (type != RecordCodec.PUT) {
      throw new IOException("entry of " + e.eventId + " is not a record");
    }
    return RecordCodec.readPut(payload);
  }

  private void appendRaw(byte[] payload) throws IOException {
    CRC32C crc = new CRC32C();
    crc.update(payload);
    ByteBuffer buf = ByteBuffer.allocate(ENTRY_HEADER_BYTES + payload.length);
    buf.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
    writeFully(active, buf, active.size());
    totalBytes += buf.capacity();
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

  private void roll() throws IOException {
    active.force(false);
    activeId = activeId + 1;
    active = createSegment(activeId);
  }

  /** Replays every segment into the index, truncating a torn tail. */
  private void recover() throws IOException {
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
      replay(id, ch);
    }
    if (segments.isEmpty()) {
      activeId = 1;
      active = createSegment(activeId);
    } else {
      activeId = segments.lastKey();
      active = segments.get(activeId);
    }
  }

  private void replay(int id, FileChannel ch) throws IOException {
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
    long cutoff = retentionMillis == null ? Long.MIN_VALUE : clock.millis() - retentionMillis;
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
        if (f.timestampMillis() >= cutoff) {
          index(
              f.eventId(),
              f.accountId(),
              f.timestampMillis(),
              f.category(),
              f.vector(),
              location(id, pos),
              bytes);
        } else {
          RecordKey key = new RecordKey(f.accountId(), f.eventId());
          Entry stale = byId.get(key);
          if (stale != null) {
            // An expired rewrite of a live id still supersedes the older version.
            liveBytes -= stale.bytes;
            stale.owner.remove(stale.index);
            if (stale.owner.size == 0) {
              accounts.remove(stale.owner.accountId);
            }
            byId.remove(key);
          }
        }
      } else if (type == RecordCodec.DELETE_ACCOUNT) {
        removeAccountFromIndex(RecordCodec.getString(payload));
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

  private void compactLocked() throws IOException {
    long cutoff = retentionMillis == null ? Long.MIN_VALUE : clock.millis() - retentionMillis;
    // Expired records leave the index first; everything left is copied.
    List<RecordKey> expired = new ArrayList<>();
    for (AccountRecords acct : accounts.values()) {
      for (int i = 0; i < acct.size; i++) {
        if (acct.entries[i].timestampMillis < cutoff) {
          expired.add(new RecordKey(acct.accountId, acct.entries[i].eventId));
        }
      }
    }
    for (RecordKey id : expired) {
      Entry e = byId.remove(id);
      liveBytes -= e.bytes;
      AccountRecords owner = e.owner;
      owner.remove(e.index);
      if (owner.size == 0) {
        accounts.remove(owner.accountId);
      }
    }
    Map<Integer, FileChannel> old = new TreeMap<>(segments);
    int nextId = activeId + 1;
    FileChannel out = createSegment(nextId);
    long outPos = HEADER_BYTES;
    long newTotal = 0;
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    for (AccountRecords acct : accounts.values()) {
      for (int i = 0; i < acct.size; i++) {
        Entry e = acct.entries[i];
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
    long before = totalBytes;
    totalBytes = newTotal;
    liveBytes = newTotal;
    LOG.info(
        "Compacted vector store {}: {} -> {} bytes, {} records ({} expired)",
        dir,
        before,
        newTotal,
        byId.size(),
        expired.size());
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

  private void checkDimension(float[] v, String what) {
    if (v == null || v.length != dim) {
      throw new IllegalArgumentException(
          what + " has dimension " + (v == null ? 0 : v.length) + ", the store expects " + dim);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("vector store " + dir + " is closed");
    }
  }

  private void closeQuietly() {
    closed = true;
    for (FileChannel ch : segments.values()) {
      try {
        ch.close();
      } catch (IOException e) {
        LOG.debug("Closing a segment failed", e);
      }
    }
    segments.clear();
    try {
      lock.release();
    } catch (IOException e) {
      LOG.debug("Releasing the lock failed", e);
    }
    try {
      lockChannel.close();
    } catch (IOException e) {
      LOG.debug("Closing the lock file failed", e);
    }
  }
}
