package io.distillguard.actors;

import static io.distillguard.settings.SettingValues.optionalPath;

import com.typesafe.config.Config;
import java.nio.file.Path;

/**
 * The files detection reads ({@code policy-file} and {@code taxonomy-file} of {@code
 * distillguard.actors}).
 *
 * @param policyFile detection policy file (reloaded on change); null = the built-in default
 * @param taxonomyFile capability taxonomy file, the same file the ingest job enriches with ({@code
 *     taxonomy.file}); null = the shipped default. Read once at start: observations made with a
 *     taxonomy this node never ran with are refused (see {@code TaxonomyGuard})
 */
public record DetectionFiles(Path policyFile, Path taxonomyFile) {

  static DetectionFiles fromConfig(Config c) {
    return new DetectionFiles(
        optionalPath(c.getString("policy-file")), optionalPath(c.getString("taxonomy-file")));
  }
}
