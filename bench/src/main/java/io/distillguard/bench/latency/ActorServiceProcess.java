package io.distillguard.bench.latency;

import io.distillguard.bench.WorkDirs;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The actor service as production runs it: its own JVM running {@code ActorServiceMain} with the
 * service's logging configuration, configured only through its environment variables (Kafka
 * bootstrap and group, webhook URLs and secret, a fresh data dir with the default H2 journal), on
 * this JVM's class path or from a packaged service jar. Stopped with SIGTERM (it drains, commits
 * and exits), as an orchestrator stops it.
 */
final class ActorServiceProcess implements AutoCloseable {

  private static final String MAIN = "io.distillguard.actors.service.ActorServiceMain";

  private final Process process;
  private final int httpPort;
  private final Path log;

  private ActorServiceProcess(Process process, int httpPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  /**
   * Starts the service and waits until {@code /v1/health/ready} answers 200.
   *
   * @param jar a packaged service jar, or {@code null} for this JVM's class path
   * @param env the DISTILLGUARD_* settings
   */
  static ActorServiceProcess start(Path jar, String heap, Map<String, String> env, Path log)
      throws IOException, InterruptedException {
    int http = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    if (jar != null) {
      cmd.addAll(List.of("-jar", jar.toString()));
    } else {
      // The service jar packs src/service/logback.xml as its logging configuration.
      cmd.add("-Dlogback.configurationFile=" + Path.of("actors", "src", "service", "logback.xml"));
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN));
    }
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    pb.environment().put("DISTILLGUARD_HTTP_PORT", String.valueOf(http));
    pb.environment().put("DISTILLGUARD_CLUSTER_PORT", String.valueOf(freePort()));
    pb.environment().put("DISTILLGUARD_DATA_DIR", WorkDirs.temporary("dg-latency").toString());
    ActorServiceProcess p = new ActorServiceProcess(pb.start(), http, log);
    p.awaitReady(Duration.ofMinutes(3));
    return p;
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the actor service exited at start; see " + log);
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    throw new IllegalStateException("the actor service was not ready in " + timeout + "; " + log);
  }

  /** SIGTERM, then waits up to a minute for the drain and exit. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
