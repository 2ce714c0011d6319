package io.distillguard.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local default {@link VectorStore}: an append-only log on disk under {@code
 * <dataDir>/vectors/} with a flat per-account in-memory index of int8-quantized vectors ({@link
 * RecordIndex}).
 *
 * <p><b>Why this layout.</b> Evidence queries are per account (hundreds to thousands of records),
 * so a global ANN index buys nothing there and costs a lot on ingest (Lucene HNSW indexed only
 * ~180-700 vectors/s on our 2-core machines). An exact scan of one account's quantized vectors (384
 * bytes each for 384-d) takes microseconds, and appending to a log keeps up with ingest.
 *
 * <p><b>On disk</b> ({@link SegmentFiles}). Segment files {@code segment-NNNNNNNN.log}: a header
 * (magic, version, dimension) and entries {@code [int length][int CRC32C][payload]}, where a
 * payload is a PUT (the whole record, vector in float32) or an account tombstone. Opening replays
 * the segments in order and rebuilds the index; an entry that is cut short or fails its checksum
 * ends the log there (a torn tail from a crash) and the file is truncated to the last good entry,
 * with a warning.
 *
 * <p><b>Durability.</b> {@link #upsert} writes to the file before it returns, so a process crash
 * loses nothing acknowledged; {@link #flush} (and close) also forces the data to the device, so
 * only writes since the last flush can be lost on power loss.
 *
 * <p><b>Search is exact</b> ({@link QuantizedSearch}). Candidates are ranked by cosine on the
 * quantized vectors, each with a proven error bound ({@code ||q||_1 * scale / 2} on the dot
 * product); candidates whose upper bound can still reach the top {@code limit} are re-scored in
 * float32 from disk. Returned scores are float32 cosines and the ranking equals an exact float32
 * scan.
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

  private static final long AUTO_COMPACT_MIN_BYTES = 64L << 20;

  private final Path dir;
  private final int dim;
  private final Long retentionMillis;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();

  // Guarded by rw.
  private final RecordIndex index;
  private final SegmentFiles files;
  private boolean closed;

  private EmbeddedVectorStore(Path dir, int dim, Long retentionMillis, Clock clock)
      throws IOException {
    this.dir = dir;
    this.dim = dim;
    this.retentionMillis = retentionMillis;
    this.clock = clock;
    this.index = new RecordIndex(dim);
    this.files = new SegmentFiles(dir, dim);
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
          store.index.size(),
          store.index.accountCount(),
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
      if (sizes[i] > SegmentFiles.MAX_ENTRY_BYTES) {
        throw new IllegalArgumentException(
            "record " + records.get(i).eventId() + " is too large: " + sizes[i] + " bytes");
      }
      total += SegmentFiles.ENTRY_HEADER_BYTES + sizes[i];
    }
    rw.writeLock().lock();
    try {
      ensureOpen();
      long[] locations = files.appendPuts(records, strings, sizes, total);
      for (int i = 0; i < records.size(); i++) {
        QueryRecord r = records.get(i);
        index.put(
            r.eventId(),
            r.accountId(),
            r.timestampMillis(),
            r.category(),
            r.embedding(),
            locations[i],
            SegmentFiles.ENTRY_HEADER_BYTES + sizes[i]);
      }
      files.rollIfFull();
      if (files.totalBytes() >= AUTO_COMPACT_MIN_BYTES
          && index.liveBytes() * 2 < files.totalBytes()) {
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
      AccountRecords acct = index.account(accountId);
      if (acct == null) {
        return 0;
      }
      byte[] payload = RecordCodec.deleteAccount(accountId);
      files.appendRaw(payload);
      files.force();
      long removed = acct.size;
      index.removeAccount(accountId);
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
      files.force();
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
        files.force();
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
    rw.readLock().lock();
    try {
      ensureOpen();
      return QuantizedSearch.search(index, files, vector, filter, limit);
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
    Comparator<IndexEntry> newestFirst =
        Comparator.comparingLong((IndexEntry e) -> -e.timestampMillis)
            .thenComparing(e -> e.eventId);
    rw.readLock().lock();
    try {
      ensureOpen();
      PriorityQueue<IndexEntry> top = new PriorityQueue<>(newestFirst.reversed());
      index.forEachMatch(
          filter,
          (acct, i) -> {
            top.add(acct.entries[i]);
            if (top.size() > limit) {
              top.poll();
            }
          });
      List<IndexEntry> ordered = new ArrayList<>(top);
      ordered.sort(newestFirst);
      List<QueryRecord> out = new ArrayList<>(ordered.size());
      for (IndexEntry e : ordered) {
        out.add(files.readRecord(e));
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
      return index.count(filter);
    } finally {
      rw.readLock().unlock();
    }
  }

  /** Bytes of all segment files (for benchmarks and diagnostics). */
  public long diskBytes() {
    rw.readLock().lock();
    try {
      return files.diskBytes();
    } finally {
      rw.readLock().unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Recovery, retention and compaction

  /** Replays every segment into the index, leaving out records older than the retention. */
  private void recover() throws IOException {
    long cutoff = retentionCutoff();
    files.recover(
        new SegmentFiles.Replay() {
          @Override
          public void put(RecordCodec.IndexFields f, long location, int bytes) {
            if (f.timestampMillis() >= cutoff) {
              index.put(
                  f.eventId(),
                  f.accountId(),
                  f.timestampMillis(),
                  f.category(),
                  f.vector(),
                  location,
                  bytes);
            } else {
              // An expired rewrite of a live id still supersedes the older version.
              index.remove(new RecordIndex.RecordKey(f.accountId(), f.eventId()));
            }
          }

          @Override
          public void deleteAccount(String accountId) {
            index.removeAccount(accountId);
          }
        });
  }

  private long retentionCutoff() {
    return retentionMillis == null ? Long.MIN_VALUE : clock.millis() - retentionMillis;
  }

  private void compactLocked() throws IOException {
    // Expired records leave the index first; everything left is copied.
    List<RecordIndex.RecordKey> expired = index.olderThan(retentionCutoff());
    for (RecordIndex.RecordKey id : expired) {
      index.remove(id);
    }
    long before = files.totalBytes();
    long newTotal = files.rewrite(index.accounts());
    index.liveBytes(newTotal);
    LOG.info(
        "Compacted vector store {}: {} -> {} bytes, {} records ({} expired)",
        dir,
        before,
        newTotal,
        index.size(),
        expired.size());
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
    files.closeQuietly();
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
