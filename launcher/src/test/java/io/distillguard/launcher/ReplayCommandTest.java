package io.distillguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code replay} refuses before it reads a line: unsafe webhook URLs and secrets. */
class ReplayCommandTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @TempDir Path dir;

  private record Run(int exit, String err) {}

  private Run replay(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = DistillGuardCli.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    String[] all = new String[args.length + 5];
    all[0] = "replay";
    all[1] = "--profiles";
    all[2] = dir.resolve("absent-profiles.jsonl").toString();
    all[3] = "--events";
    all[4] = dir.resolve("absent-events.jsonl").toString();
    System.arraycopy(args, 0, all, 5, args.length);
    return new Run(cli.execute(all), err.toString());
  }

  @Test
  void aSecretOnTheCommandLineIsWarnedAbout() {
    Run r = replay("--webhook-url", "https://review.example.com/h", "--webhook-secret", SECRET);
    assertThat(r.err()).contains("visible to other users").doesNotContain(SECRET);
  }

  @Test
  void aSecretFileIsReadWithoutWarning() throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, SECRET + "\n");
    Run r =
        replay(
            "--webhook-url",
            "https://review.example.com/h",
            "--webhook-secret-file",
            file.toString());
    assertThat(r.err()).doesNotContain("visible to other users").contains("cannot read");
  }

  @Test
  void aShortSecretIsRefused() throws Exception {
    Path file = dir.resolve("short");
    Files.writeString(file, "whsec_c2hvcnQ=");
    Run r =
        replay(
            "--webhook-url",
            "https://review.example.com/h",
            "--webhook-secret-file",
            file.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("at least 24");
  }

  @Test
  void anHttpUrlToAnotherHostIsRefused() throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, SECRET);
    Run r =
        replay(
            "--webhook-url",
            "http://review.example.com/h",
            "--webhook-secret-file",
            file.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("must use https");
    Run throttle =
        replay(
            "--webhook-url",
            "http://127.0.0.1:9/h",
            "--throttle-url",
            "http://gateway.example.com/t",
            "--webhook-secret-file",
            file.toString());
    assertThat(throttle.exit()).isEqualTo(2);
    assertThat(throttle.err()).contains("--throttle-url must use https");
  }
}
