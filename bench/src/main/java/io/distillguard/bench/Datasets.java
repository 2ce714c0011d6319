package io.distillguard.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the benchmarks read the full prompt datasets (one {@code <source>.jsonl} per dataset, rows
 * {@code {"text", "source", "domain", "category", "id"}}): {@code --datasets DIR}, else the
 * environment variable {@code DISTILLGUARD_DATASETS}, else {@code ../shared/datasets} next to the
 * repository. The tests never read them; they use the repository's own samples.
 */
public final class Datasets {

  /** The environment variable naming the datasets folder. */
  public static final String ENV = "DISTILLGUARD_DATASETS";

  /** The folder used when neither the option nor the environment variable names one. */
  public static final Path DEFAULT = Path.of("../shared/datasets");

  private Datasets() {}

  /**
   * The datasets folder.
   *
   * @param option the value of {@code --datasets}, or {@code null} when not given
   * @throws IllegalStateException naming the folder looked at and how to set another, when it holds
   *     no {@code .jsonl} dataset
   */
  public static Path locate(String option) {
    String env = System.getenv(ENV);
    Path dir;
    String from;
    if (option != null) {
      dir = Path.of(option);
      from = "--datasets";
    } else if (env != null && !env.isBlank()) {
      dir = Path.of(env);
      from = ENV;
    } else {
      dir = DEFAULT;
      from = "the default";
    }
    if (!Files.isRegularFile(dir.resolve("mmlu.jsonl"))) {
      throw new IllegalStateException(
          "no prompt datasets at "
              + dir.toAbsolutePath().normalize()
              + " ("
              + from
              + "): point --datasets DIR or "
              + ENV
              + "=DIR at the folder of <source>.jsonl files (see bench/README.md)");
    }
    return dir;
  }
}
