package io.distillguard.store;

import static io.distillguard.store.VectorStoreContract.record;
import static io.distillguard.store.VectorStoreContract.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the embedded store does across restarts, crashes, erasure, retention and locking. */
class EmbeddedVectorStorePersistenceTest {

  @TempDir Path dataDir;

  private StoreSettings settings() {
    return StoreSettings.embedded(dataDir);
  }

  private static List<QueryRecord> records(int n, int accounts, long seed) {
    Random rnd = new Random(seed);
    List<QueryRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(record("e" + i, "acct" + (i % accounts), 1000L + i, "c" + (i % 4), vector(rnd, i)));
    }
    return out;
  }

  private Path onlySegment() throws Exception {
    try (Stream<Path> files = Files.list(dataDir.resolve("vectors"))) {
      List<Path> segments =
          files.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList();
      return segments.get(segments.size() - 1);
    }
  }

  @Test
  void reopeningRestoresTheSameContents() {
    List<QueryRecord> all = records(200, 7, 1);
    float[] q = all.get(42).embedding();
    List<ScoredRecord> before;
    try (EmbeddedVectorStore s = EmbeddedVectorStore.open(settings())) {
      s.upsert(all.subList(0, 120));
      s.upsert(all.subList(120, 200));
      s.upsert(List.of(record("e5", "acct5", 5555, "c9", all.get(5).embedding())));
      before = s.search(q, RecordFilter.account("acct0"), 10);
    }
    try (EmbeddedVectorStore s = EmbeddedVectorStore.open(settings())) {
      assertThat(s.count(RecordFilter.all())).isEqualTo(200);
      assertThat(s.count(RecordFilter.account("acct0"))).isEqualTo(29);
      assertThat(s.search(q, RecordFilter.account("acct0"), 10)).isEqualTo(before);
      assertThat(s.query(RecordFilter.account("acct5"), 1).get(0))
          .isEqualTo(record("e5", "acct5", 5555, "c9", all.get(5).embedding()));
      assertThat(s.query(RecordFilter.all(), 300)).containsAll(all.subList(6, 200));
    }
  }

  @Test
  void aTornTailIsDroppedAndEverythingBeforeItSurvives() throws Exception {
    List<QueryRecord> all = records(10, 2, 2);
    try (EmbeddedVectorStore s = EmbeddedVectorStore.open(settings())) {
      s.upsert(all.subList(0, 9));
      s.upsert(all.subList(9, 10));
    }
    Path segment = onlySegment();
    long size = Files.size(segment);
    // A crash half-way through the last write: cut the final entry short...
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.truncate(size - 100);
    }
    try (EmbeddedVectorStore s = EmbeddedVectorStore.open(settings())) {
      assertThat(s.count(RecordFilter.all())).isEqualTo(9);
      assertThat(s.query(RecordFilter.all(), 20))
          .containsExactlyInAnyOrderElementsOf(all.subList(0, 9));
      s.upsert(List.of(all.get(9)));
    }
    // ...and garbage after a complete entry (a header promising more than was written).
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0, 0, 16, 0, 1, 2, 3, 4, 5, 6}), ch.size());
    }
    try (EmbeddedVectorStore s = EmbeddedVectorStore.open(settings())) {
      assertThat(s.count(RecordFilter.all())).isEqualTo(10);
      assertThat(s.query(RecordFilter.all(), 20)).containsExactlyInAnyOrderElementsOf(all);
    }
  }

  @Test
  void aCorruptedLastEntryFailsItsChecksumAndIsDropped() throws Exception {
    List<QueryRecord> all = records(5, 1, 3);
    try (EmbeddedVectorStore s = EmbeddedVectorStore.open(settings())) {
      s.upsert(all);
    }
    Path segment = onlySegment();
    long size = Files.size(segment);
    try (FileChannel ch =
        FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, size - 10);
      b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
      ch.write(b, size - 10);
    }
    try (EmbeddedVectorStore s = EmbeddedVectorStore.open(settings())) {
      assertThat(s.count(RecordFilter.all())).isEqualTo(4);
      assertThat(s.query(RecordFilter.all(), 10)).doesNotContain(all.get(4));
    }
    assertThat(Files.size(segment)).isLessThan(size);
  }

  @Test
  void deleteAccountRemovesTheDataFromDisk() throws Exception {
    String marker = "SECRET-PROMPT-OF-ERASED-ACCOUNT";
    Random rnd = new Random(4);
    try (EmbeddedVectorStore s = EmbeddedVectorStore.open(settings())) {
      for (int i = 0; i < 30; i++) {
        String account = i % 3 == 0 ? "erase-me" : "keep-" + i;
        String prompt = account.equals("erase-me") ? marker + i : "ordinary prompt " + i;
        s.upsert(
            List.of(new QueryRecord("e" + i, account, i, "c", 0f, prompt, vector(rnd, i), null)));
      }
      assertThat(s.deleteAccount("erase-me")).isEqualTo(10);
      assertThat(s.count(RecordFilter.all())).isEqualTo(20);
    }
    byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
    byte[] account = "erase-me".getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.list(dataDir.resolve("vectors"))) {
      for (Path f : files.toList()) {
        byte[] content = Files.readAllBytes(f);
        assertThat(indexOf(content, needle)).as("prompt bytes in %s", f).isEqualTo(-1);
        assertThat(indexOf(content, account)).as("account id in %s", f).isEqualTo(-1);
      }
    }
    try (EmbeddedVectorStore s = EmbeddedVectorStore.open(settings())) {
      assertThat(s.count(RecordFilter.account("erase-me"))).isZero();
      assertThat(s.count(RecordFilter.all())).isEqualTo(20);
    }
  }

  @Test
  void retentionDropsOldRecordsOnCompactionAndReopen() {
    Instant now = Instant.parse("2026-03-01T00:00:00Z");
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    StoreSettings withTtl = settings().withRetention(Duration.ofDays(30));
    Random rnd = new Random(5);
    long old = now.minus(Duration.ofDays(31)).toEpochMilli();
    long recent = now.minus(Duration.ofDays(1)).toEpochMilli();
    try (EmbeddedVectorStore s = EmbeddedVectorStore.open(withTtl, clock)) {
      s.upsert(
          List.of(
              record("old1", "a", old, "x", vector(rnd, 0)),
              record("old2", "b", old, "x", vector(rnd, 0)),
              record("new1", "a", recent, "x", vector(rnd, 0))));
      s.compact();
      assertThat(s.query(RecordFilter.all(), 10))
          .extracting(QueryRecord::eventId)
          .containsExactly("new1");
      assertThat(s.count(RecordFilter.account("b"))).isZero();
    }
    // A later clock expires the rest when the store is reopened.
    Clock later = Clock.fixed(now.plus(Duration.ofDays(30)), ZoneOffset.UTC);
    try (EmbeddedVectorStore s = EmbeddedVectorStore.open(withTtl, later)) {
      assertThat(s.count(RecordFilter.all())).isZero();
    }
  }

  @Test
  void compactionKeepsOnlyTheLatestVersionOfEachRecord() {
    List<QueryRecord> all = records(50, 5, 6);
    try (EmbeddedVectorStore s = EmbeddedVectorStore.open(settings())) {
      for (int round = 0; round < 5; round++) {
        s.upsert(all);
      }
      long before = s.diskBytes();
      s.compact();
      assertThat(s.diskBytes()).isLessThan(before / 4);
      assertThat(s.count(RecordFilter.all())).isEqualTo(50);
      s.upsert(List.of(record("e0", "acct0", 7, "new", all.get(0).embedding())));
    }
    try (EmbeddedVectorStore s = EmbeddedVectorStore.open(settings())) {
      assertThat(s.count(RecordFilter.all())).isEqualTo(50);
      assertThat(s.query(RecordFilter.all().withCategory("new"), 5))
          .extracting(QueryRecord::eventId)
          .containsExactly("e0");
    }
  }

  @Test
  void aSecondOpenInTheSameJvmIsRefused() {
    try (EmbeddedVectorStore s = EmbeddedVectorStore.open(settings())) {
      assertThatThrownBy(() -> EmbeddedVectorStore.open(settings()))
          .isInstanceOf(VectorStoreException.class)
          .hasMessageContaining("already open in this JVM");
    }
    // Released on close.
    EmbeddedVectorStore.open(settings()).close();
  }

  @Test
  void aDataDirLockedByAnotherProcessIsRefusedWithAClearMessage() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LockHolder.class.getName(),
                dataDir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = out.readLine(); // the child's log lines come first
      } while (line != null && !line.equals(LockHolder.READY));
      assertThat(line).isEqualTo(LockHolder.READY);
      assertThatThrownBy(() -> EmbeddedVectorStore.open(settings()))
          .isInstanceOf(VectorStoreException.class)
          .hasMessageContaining("data dir " + dataDir)
          .hasMessageContaining("is in use by another DistillGuard process");
    } finally {
      holder.getOutputStream().close(); // tells the holder to exit
      assertThat(holder.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
    try (EmbeddedVectorStore s = EmbeddedVectorStore.open(settings())) {
      assertThat(s.count(RecordFilter.all())).isEqualTo(1);
    }
  }

  /** Opens a store in a child JVM and holds it until its stdin closes. */
  public static final class LockHolder {
    static final String READY = "locked";

    public static void main(String[] args) throws Exception {
      try (EmbeddedVectorStore s =
          EmbeddedVectorStore.open(StoreSettings.embedded(new File(args[0]).toPath()))) {
        s.upsert(List.of(record("held", "a", 1, "x", vector(new Random(1), 0))));
        System.out.println(READY);
        System.out.flush();
        while (System.in.read() >= 0) {
          // wait for EOF
        }
      }
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
