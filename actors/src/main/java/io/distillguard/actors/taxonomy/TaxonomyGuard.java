package io.distillguard.actors.taxonomy;

import io.distillguard.observe.AccountObservation;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses observations made with another capability taxonomy than the one this node loaded.
 *
 * <p>An observation's category and its stated-use shares are positions in the ingest job's
 * taxonomy; an entity reads them as positions in its own. With different taxonomies the category
 * histograms and the stated-use divergence would silently mean something else (or nothing: a
 * category name the node does not know counts as "other", and shares of another length are
 * ignored). So an observation whose {@link AccountObservation#taxonomyVersion()} differs from this
 * node's {@link CapabilityTaxonomy#version()} is refused, loudly: an ERROR log naming both versions
 * (once per foreign version), the {@link #refused()} counter, and {@link #consistent()} turns false
 * for good (the node's readiness check), until the node is restarted with the job's taxonomy file.
 * An observation without a version (written before versions travelled) is accepted.
 *
 * <p>Thread-safe.
 */
public final class TaxonomyGuard {

  private static final Logger LOG = LoggerFactory.getLogger(TaxonomyGuard.class);

  private final String version;
  private final String source;
  private final AtomicLong refused = new AtomicLong();
  private final Set<String> foreignVersions = ConcurrentHashMap.newKeySet();

  /**
   * @param taxonomy the taxonomy this node's detector was built with
   * @param source where it was loaded from (a file, or the shipped default), for the log
   */
  public TaxonomyGuard(CapabilityTaxonomy taxonomy, String source) {
    this.version = Objects.requireNonNull(taxonomy, "taxonomy").version();
    this.source = Objects.requireNonNull(source, "source");
  }

  /**
   * Whether {@code observation} may be recorded: it carries this node's taxonomy version or none. A
   * refusal is counted and, the first time a version is seen, logged at ERROR.
   */
  public boolean accepts(AccountObservation observation) {
    String theirs = observation.taxonomyVersion();
    if (theirs == null || theirs.equals(version)) {
      return true;
    }
    refused.incrementAndGet();
    if (foreignVersions.add(theirs)) {
      LOG.error(
          "refusing observations made with capability taxonomy {} (first: event {}): this node"
              + " uses {} from {}. Give the actor service the ingest job's taxonomy file"
              + " (DISTILLGUARD_TAXONOMY_FILE = the job's taxonomy.file) and restart it; until"
              + " then it is not ready and records nothing newer.",
          theirs,
          observation.eventId(),
          version,
          source);
    }
    return false;
  }

  /** The exception a refused observation fails with. */
  public TaxonomyMismatchException mismatch(AccountObservation observation) {
    return new TaxonomyMismatchException(
        "observation "
            + observation.eventId()
            + " was made with capability taxonomy "
            + observation.taxonomyVersion()
            + ", this node uses "
            + version
            + " from "
            + source);
  }

  /** False once any observation has been refused. */
  public boolean consistent() {
    return refused.get() == 0;
  }

  /** Observations refused so far. */
  public long refused() {
    return refused.get();
  }

  /** This node's taxonomy version ({@link CapabilityTaxonomy#version()}). */
  public String version() {
    return version;
  }

  /** Where this node's taxonomy came from. */
  public String source() {
    return source;
  }
}
