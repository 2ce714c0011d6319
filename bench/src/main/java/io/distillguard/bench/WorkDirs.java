package io.distillguard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary folders of a benchmark run: a replay's journal, store and traffic take gigabytes, so
 * they go when the run ends, however it ends.
 */
public final class WorkDirs {

  private WorkDirs() {}

  /** A new temporary folder, deleted with everything in it when this JVM exits. */
  public static Path temporary(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    delete(dir);
                  } catch (UncheckedIOException e) {
                    // Best effort at exit: the folder stays under the temporary directory.
                  }
                },
                "delete " + dir.getFileName()));
    return dir;
  }

  /** Deletes {@code dir} and everything in it (nothing when it is gone already). */
  public static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }
}
