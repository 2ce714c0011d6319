package io.distillguard.actors.taxonomy;

import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capability taxonomy a node runs with, loaded once at start, and the guard that admits
 * observations against it.
 *
 * @param taxonomy the categories the node's detector counts
 * @param guard admits, translates or refuses observations by their taxonomy version
 */
public record NodeTaxonomy(CapabilityTaxonomy taxonomy, TaxonomyGuard guard) {

  private static final Logger LOG = LoggerFactory.getLogger(NodeTaxonomy.class);

  /**
   * Loads {@code file} (null = the shipped default), records its layout in {@code layoutsDir} and
   * builds the guard over every layout recorded there (see {@link TaxonomyLayouts}).
   *
   * @throws IllegalArgumentException if the file is not a valid taxonomy (a node must not start on
   *     a broken one)
   */
  public static NodeTaxonomy load(Path file, Path layoutsDir) {
    CapabilityTaxonomy taxonomy =
        file == null ? CapabilityTaxonomy.loadDefault() : CapabilityTaxonomy.load(file);
    String source = file == null ? "the shipped default" : file.toString();
    LOG.info(
        "capability taxonomy {} ({} categories) from {}",
        taxonomy.version(),
        taxonomy.size(),
        source);
    return new NodeTaxonomy(
        taxonomy,
        new TaxonomyGuard(taxonomy, source, TaxonomyLayouts.recordAndLoad(layoutsDir, taxonomy)));
  }
}
