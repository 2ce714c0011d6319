package io.distillguard.actors.service;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One actor-service node as its own JVM ({@link ActorServiceMain}, the deployment's entry point),
 * configured with {@code -D} settings, logging to a file. {@link #kill()} is SIGKILL; {@link
 * #close()} kills it too, and a shutdown hook does should the test JVM exit first.
 */
final class ServiceProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path log;
  private final int httpPort;
  private final Thread cleanup;

  private ServiceProcess(String name, Process process, Path log, int httpPort) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.cleanup = new Thread(process::destroyForcibly, "kill-" + name);
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /**
   * Starts a node.
   *
   * @param settings configuration keys (e.g. {@code distillguard.actors.data-dir}) and values
   */
  static ServiceProcess start(String name, Path dir, Map<String, String> settings)
      throws IOException {
    int httpPort = freePort();
    Map<String, String> all = new TreeMap<>(settings);
    all.put("distillguard.actors.http.host", "127.0.0.1");
    all.put("distillguard.actors.http.port", Integer.toString(httpPort));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    command.add("-XX:TieredStopAtLevel=1");
    all.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ActorServiceMain.class.getName());
    Files.createDirectories(dir);
    Path log = dir.resolve(name + ".log");
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new ServiceProcess(name, p, log, httpPort);
  }

  /** {@code GET /v1/health/ready}: true on 200 (false on 503 or no answer). */
  boolean ready() {
    return get("/v1/health/ready") == 200;
  }

  /** The status of a GET to {@code path} on this node's API; -1 when it does not answer. */
  int get(String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The body of a GET to {@code path}, which must answer 200. */
  String body(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no leaving the cluster, no commit. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last lines of the node's log (for a failure message). */
  String logTail() {
    try {
      // Log lines, not stack frames: what happened, in order.
      List<String> lines =
          Files.readAllLines(log, StandardCharsets.UTF_8).stream()
              .filter(l -> !l.startsWith("\t") && !l.startsWith("Caused by"))
              .toList();
      return name
          + " ("
          + (alive() ? "running" : "exited " + process.exitValue())
          + "):\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return name + ": no log (" + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
