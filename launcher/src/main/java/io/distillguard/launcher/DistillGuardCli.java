package io.distillguard.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./distillguard}: the command line of the all-in-one local mode. */
@Command(
    name = "distillguard",
    mixinStandardHelpOptions = true,
    versionProvider = DistillGuardCli.Version.class,
    description = "Catches model-distillation campaigns against an LLM API while they run.",
    subcommands = {
      DemoCommand.class,
      ReplayCommand.class,
      EvidenceCommand.class,
      EraseCommand.class,
      DoctorCommand.class,
      ExportCommand.class,
      CampaignsCommand.class,
      StatedUseCommand.class
    })
public final class DistillGuardCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (also what the tests drive). */
  public static CommandLine commandLine() {
    return new CommandLine(new DistillGuardCli()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = DistillGuardCli.class.getPackage().getImplementationVersion();
      return new String[] {"distillguard " + (v == null ? "development build" : v)};
    }
  }
}
