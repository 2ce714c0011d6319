package io.distillguard.ingest.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real standalone Flink session cluster started from Maven jars, the way {@code
 * bin/start-cluster.sh} of a Flink distribution starts one: a JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and a TaskManager ({@code TaskManagerRunner}) as two JVMs on
 * one {@code lib/} folder and one {@code config.yaml}, with the memory flags {@code BashJavaUtils}
 * computes and the {@code --add-opens} flags of the distribution's config. Everything binds to
 * 127.0.0.1. The {@code flink} command line is {@link #cli} (CliFrontend in a third JVM).
 */
public final class StandaloneFlinkCluster implements AutoCloseable {

  /** {@code env.java.opts.all} of flink-dist's config.yaml (Flink 2.x on Java 17). */
  public static final List<String> JAVA_OPTS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path lib;
  private final Path conf;
  private final Path logs;
  private final int restPort;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Process> processes = new ArrayList<>();
  private final List<Process> taskManagers = new ArrayList<>();

  private StandaloneFlinkCluster(Path lib, Path conf, Path logs, int restPort) {
    this.lib = lib;
    this.conf = conf;
    this.logs = logs;
    this.restPort = restPort;
  }

  /**
   * Writes {@code conf/config.yaml} under {@code home}, starts the JobManager and one TaskManager
   * with {@code slots} slots, and returns once the TaskManager has registered its slots.
   */
  public static StandaloneFlinkCluster start(Path lib, Path home, int slots, Duration timeout)
      throws IOException, InterruptedException {
    return start(lib, home, slots, timeout, Map.of());
  }

  /**
   * Like {@link #start(Path, Path, int, Duration)}, with {@code extraConfig} appended to {@code
   * config.yaml} (e.g. faster heartbeats or a restart strategy for a fault test).
   */
  public static StandaloneFlinkCluster start(
      Path lib, Path home, int slots, Duration timeout, Map<String, String> extraConfig)
      throws IOException, InterruptedException {
    if (!Files.isDirectory(lib)) {
      throw new IllegalStateException(
          lib + " is missing: run through `mvn verify` (maven-dependency-plugin fills it)");
    }
    Path conf = Files.createDirectories(home.resolve("conf"));
    Path logs = Files.createDirectories(home.resolve("log"));
    int restPort = freePort();
    Files.writeString(
        conf.resolve("config.yaml"),
        String.join(
            "\n",
            "jobmanager.rpc.address: 127.0.0.1",
            "jobmanager.rpc.port: " + freePort(),
            "jobmanager.bind-host: 127.0.0.1",
            "jobmanager.memory.process.size: 700m",
            "jobmanager.memory.jvm-metaspace.size: 128m",
            "rest.address: 127.0.0.1",
            "rest.bind-address: 127.0.0.1",
            "rest.port: " + restPort,
            "taskmanager.host: 127.0.0.1",
            "taskmanager.bind-host: 127.0.0.1",
            "taskmanager.numberOfTaskSlots: " + slots,
            "taskmanager.memory.process.size: 1200m",
            "taskmanager.memory.managed.size: 64m",
            "parallelism.default: " + slots,
            // the REST API serves metrics it fetched at most this long ago
            "metrics.fetcher.update-interval: 1000",
            "env.java.opts.all: " + String.join(" ", JAVA_OPTS),
            ""));
    for (Map.Entry<String, String> e : new TreeMap<>(extraConfig).entrySet()) {
      Files.writeString(
          conf.resolve("config.yaml"),
          e.getKey() + ": " + e.getValue() + "\n",
          StandardOpenOption.APPEND);
    }
    Files.writeString(conf.resolve("log4j.properties"), log4j("log.file"));
    Files.writeString(conf.resolve("log4j-cli.properties"), log4j("log.file"));

    StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(lib, conf, logs, restPort);
    try {
      cluster.startDaemon(
          "jobmanager",
          "GET_JM_RESOURCE_PARAMS",
          "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
      cluster.startTaskManager("taskmanager");
      cluster.awaitRest(
          "/overview", o -> o.path("slots-total").asInt() >= slots, timeout, "task slots");
    } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
      String logTail = cluster.logTails();
      cluster.close();
      throw new IllegalStateException("cluster did not start:\n" + logTail, e);
    }
    return cluster;
  }

  public int restPort() {
    return restPort;
  }

  public Path confDir() {
    return conf;
  }

  /**
   * Runs the {@code flink} command line ({@code CliFrontend}, what {@code bin/flink} runs) with
   * {@code FLINK_CONF_DIR} pointing at this cluster's configuration; returns its output, failing
   * when it exits non-zero.
   */
  public String cli(Duration timeout, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(logs, "cli-", ".out");
    List<String> cmd = java("cli", "log4j-cli.properties");
    cmd.add("org.apache.flink.client.cli.CliFrontend");
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("FLINK_CONF_DIR", conf.toString());
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "flink " + String.join(" ", args) + " timed out:\n" + Files.readString(out));
    }
    String output = Files.readString(out);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "flink " + args[0] + " exited " + p.exitValue() + ":\n" + output + "\n" + logTails());
    }
    return output;
  }

  /** The first group of {@code pattern} in {@code output}. */
  public static String extract(String output, String pattern) {
    Matcher m = Pattern.compile(pattern).matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("no match for " + pattern + " in:\n" + output);
    }
    return m.group(1);
  }

  /** GET on the REST API, parsed. */
  public JsonNode rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + " -> " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** Polls a REST resource until {@code done} holds; returns the last response. */
  public JsonNode awaitRest(String path, Predicate<JsonNode> done, Duration timeout, String what) {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    AtomicReference<Exception> lastError = new AtomicReference<>();
    try {
      return Awaitility.await(what)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(250))
          // a process that died ends the wait at once, with its log
          .failFast(
              "a cluster process exited", () -> processes.stream().anyMatch(p -> !p.isAlive()))
          .until(
              () -> {
                try {
                  last.set(rest(path));
                  return last.get();
                } catch (IOException | RuntimeException e) {
                  lastError.set(e); // not up yet
                  return null;
                }
              },
              r -> r != null && done.test(r));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "timed out waiting for "
              + what
              + " at "
              + path
              + "; last: "
              + last.get()
              + (lastError.get() == null ? "" : "; error: " + lastError.get())
              + "\n"
              + logTails(),
          e);
    } catch (org.awaitility.core.TerminalFailureException e) {
      throw new IllegalStateException("a cluster process exited:\n" + logTails(), e);
    }
  }

  /**
   * Starts another TaskManager JVM (logging to {@code <name>.log}) that registers with the running
   * JobManager, as an orchestrator does after a TaskManager died.
   */
  public void startTaskManager(String name) throws IOException, InterruptedException {
    taskManagers.add(
        startDaemon(
            name,
            "GET_TM_RESOURCE_PARAMS",
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner"));
  }

  /**
   * Kills the oldest running TaskManager JVM with SIGKILL (no shutdown hook, no goodbye to the
   * JobManager: what the kernel's OOM killer or a lost machine does) and waits until it is gone.
   */
  public void killTaskManager() throws InterruptedException {
    Process tm =
        taskManagers.stream()
            .filter(Process::isAlive)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no TaskManager is running"));
    // On Linux, destroyForcibly() sends SIGKILL.
    tm.destroyForcibly();
    if (!tm.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("TaskManager " + tm.pid() + " did not die");
    }
    processes.remove(tm);
  }

  /** The state of a job: RUNNING, FINISHED, ... */
  public String jobState(String jobId) throws IOException, InterruptedException {
    return rest("/jobs/" + jobId).path("state").asText();
  }

  /** Polls the REST API until the job is in {@code state} (RUNNING, FINISHED, ...). */
  public void awaitJobState(String jobId, String state, Duration timeout) {
    awaitRest(
        "/jobs/" + jobId, j -> j.path("state").asText().equals(state), timeout, "job " + state);
  }

  /** The last lines of every process log, for failure messages. */
  public String logTails() {
    StringBuilder b = new StringBuilder();
    try (var files = Files.list(logs)) {
      for (Path f : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        b.append("--- ").append(f.getFileName()).append('\n');
        lines
            .subList(Math.max(0, lines.size() - 40), lines.size())
            .forEach(l -> b.append(l).append('\n'));
      }
    } catch (IOException e) {
      b.append("(logs unreadable: ").append(e).append(")");
    }
    return b.toString();
  }

  /** Stops the TaskManager and JobManager (destroying the JVMs), TaskManager first. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      try {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }

  private Process startDaemon(String name, String resourceParams, String mainClass)
      throws IOException, InterruptedException {
    List<String> params = resourceParams(resourceParams);
    // Like flink-daemon.sh: line 1 holds JVM flags (heap, direct, metaspace), line 2 the derived
    // memory settings as dynamic properties (-D key=value) for the entry point.
    List<String> cmd = java(name, "log4j.properties");
    cmd.addAll(List.of(params.get(0).trim().split("\\s+")));
    cmd.add(mainClass);
    cmd.add("--configDir");
    cmd.add(conf.toString());
    if (params.size() > 1 && !params.get(1).isBlank()) {
      cmd.addAll(List.of(params.get(1).trim().split("\\s+")));
    }
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve(name + ".out").toFile())
            .start();
    processes.add(p);
    return p;
  }

  private List<String> resourceParams(String command) throws IOException, InterruptedException {
    Path out = logs.resolve(command.toLowerCase() + ".out");
    List<String> cmd = java("bash-java-utils", "log4j-cli.properties");
    cmd.add("org.apache.flink.runtime.util.bash.BashJavaUtils");
    cmd.add(command);
    cmd.add("--configDir");
    cmd.add(conf.toString());
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " failed:\n" + Files.readString(out));
    }
    List<String> results =
        Files.readAllLines(out).stream()
            .filter(l -> l.startsWith(RESULT_PREFIX))
            .map(l -> l.substring(RESULT_PREFIX.length()))
            .toList();
    if (results.isEmpty()) {
      throw new IllegalStateException(command + " printed no result:\n" + Files.readString(out));
    }
    return results;
  }

  private List<String> java(String logName, String log4jConfig) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JAVA_OPTS);
    cmd.add("-Dlog.file=" + logs.resolve(logName + ".log"));
    cmd.add("-Dlog4j.configurationFile=" + conf.resolve(log4jConfig).toUri());
    cmd.add("-cp");
    // the launcher expands lib/* to every jar in lib, as bin/config.sh's constructFlinkClassPath
    cmd.add(lib.toAbsolutePath() + "/*");
    return cmd;
  }

  private static String log4j(String fileProperty) {
    return String.join(
        "\n",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.file.ref = MainAppender",
        "appender.main.name = MainAppender",
        "appender.main.type = File",
        "appender.main.append = true",
        "appender.main.fileName = ${sys:" + fileProperty + "}",
        "appender.main.layout.type = PatternLayout",
        "appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
        "logger.kafka.name = org.apache.kafka",
        "logger.kafka.level = WARN",
        "");
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
