package io.distillguard.actors;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for a test: {@code initdb} into a temp dir, {@code pg_ctl start} on
 * 127.0.0.1 and a free port (socket in the data dir), trust authentication for the user {@code dg}.
 * Uses the Debian package's binaries ({@code /usr/lib/postgresql/<version>/bin}); as root (CI),
 * they run as the package's {@code postgres} user, since {@code initdb} refuses root. Ready in ~2.5
 * s. {@link #close()} stops it at once and deletes its files; a shutdown hook does the same should
 * the test JVM exit first.
 */
public final class PostgresServer implements AutoCloseable {

  public static final String USER = "dg";
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final int port;
  private final Thread cleanup;

  private PostgresServer(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
    this.cleanup = new Thread(this::destroy, "postgres-cleanup-" + port);
  }

  /** Creates and starts a fresh server. */
  public static PostgresServer start() throws IOException, InterruptedException {
    Path bin = binaries();
    Path dir = Files.createTempDirectory("dg-postgres-");
    PostgresServer server = new PostgresServer(bin, dir, freePort());
    Runtime.getRuntime().addShutdownHook(server.cleanup);
    try {
      if (ROOT) {
        run(List.of("chown", "-R", "postgres", dir.toString()), dir);
      }
      server.pg(
          List.of(
              "initdb",
              "-D",
              server.data.toString(),
              "-A",
              "trust",
              "-U",
              USER,
              "-E",
              "UTF8",
              "--no-sync"));
      server.startServer();
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  public int port() {
    return port;
  }

  /** Stops the server (fast shutdown: open connections are cut); its data stays. */
  public void stopServer() throws IOException, InterruptedException {
    pg(List.of("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop"));
  }

  /** Starts the server on its data dir and port; returns once it accepts connections. */
  public void startServer() throws IOException, InterruptedException {
    pg(
        List.of(
            "pg_ctl",
            "-D",
            data.toString(),
            "-l",
            dir.resolve("server.log").toString(),
            "-w",
            "-o",
            "-k " + data + " -p " + port + " -h 127.0.0.1 -c fsync=off -c max_connections=100",
            "start"));
  }

  @Override
  public void close() {
    destroy();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs (or ran) anyway
    }
  }

  private void destroy() {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        pg(List.of("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop"));
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // best effort: the directory goes below either way
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is not worth failing a test for
    }
  }

  private void pg(List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (ROOT) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.add(bin.resolve(command.get(0)).toString());
    full.addAll(command.subList(1, command.size()));
    run(full, dir);
  }

  /** Runs {@code command} in {@code workDir} (one the postgres user may enter). */
  private static void run(List<String> command, Path workDir)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + command);
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          command + " exited " + p.exitValue() + ": " + new String(out, StandardCharsets.UTF_8));
    }
  }

  /** The newest installed PostgreSQL's bin directory. */
  private static Path binaries() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      throw new IOException(
          "PostgreSQL is not installed (apt-get install -y postgresql): no " + root);
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
          .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
          .map(v -> v.resolve("bin"))
          .orElseThrow(() -> new IOException("no initdb under " + root));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
