package io.distillguard.actors.taxonomy;

import io.distillguard.observe.AccountObservation;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits only observations this node can read: those made with its own capability taxonomy, and
 * those made with a taxonomy it ran with before (translated to its own layout); it refuses the
 * rest.
 *
 * <p>An observation's stated-use shares are positions in the ingest job's taxonomy; an entity reads
 * them as positions in its own. With different taxonomies the stated-use signals would silently
 * mean something else (or nothing: shares of another length are ignored). So:
 *
 * <ul>
 *   <li>the node's own version, or none (written before versions travelled): admitted as it is;
 *   <li>a version this node ran with before ({@link TaxonomyLayouts}, e.g. observations still in
 *       the topic from before a taxonomy change): admitted with its shares rearranged by category
 *       name into this node's layout (a category the old taxonomy lacked gets the smallest old
 *       share, then the shares are normalised) and stamped with this node's version; counted in
 *       {@link #translated()};
 *   <li>any other version: refused, loudly: an ERROR log naming both versions (once per foreign
 *       version), the {@link #refused()} counter, and {@link #consistent()} turns false for good
 *       (the node's readiness check) until the node is restarted with the job's taxonomy file.
 * </ul>
 *
 * <p>Categories are matched by name in the entity, so the category itself needs no translation.
 * Thread-safe.
 */
public final class TaxonomyGuard {

  private static final Logger LOG = LoggerFactory.getLogger(TaxonomyGuard.class);

  private final String version;
  private final List<String> names;
  private final String source;
  private final Map<String, List<String>> earlierLayouts;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong translated = new AtomicLong();
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  /**
   * @param taxonomy the taxonomy this node's detector was built with
   * @param source where it was loaded from (a file, or the shipped default), for the log
   * @param knownLayouts category names by taxonomy version, of taxonomies this node ran with (see
   *     {@link TaxonomyLayouts}); may include its own
   */
  public TaxonomyGuard(
      CapabilityTaxonomy taxonomy, String source, Map<String, List<String>> knownLayouts) {
    this.version = Objects.requireNonNull(taxonomy, "taxonomy").version();
    this.names = taxonomy.names();
    this.source = Objects.requireNonNull(source, "source");
    this.earlierLayouts = Map.copyOf(knownLayouts);
  }

  /** A guard that knows only {@code taxonomy}. */
  public TaxonomyGuard(CapabilityTaxonomy taxonomy, String source) {
    this(taxonomy, source, Map.of());
  }

  /**
   * The observation as this node can record it, or empty when it is refused (counted, and logged at
   * ERROR the first time its version is seen).
   */
  public Optional<AccountObservation> admit(AccountObservation observation) {
    String theirs = observation.taxonomyVersion();
    if (theirs == null || theirs.equals(version)) {
      return Optional.of(observation);
    }
    List<String> layout = earlierLayouts.get(theirs);
    if (layout != null) {
      translated.incrementAndGet();
      if (reported.add(theirs)) {
        LOG.warn(
            "observations made with capability taxonomy {} (first: event {}), which this node ran"
                + " with before, are translated to its taxonomy {} by category name",
            theirs,
            observation.eventId(),
            version);
      }
      return Optional.of(translate(observation, layout));
    }
    refused.incrementAndGet();
    if (reported.add(theirs)) {
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
    return Optional.empty();
  }

  private AccountObservation translate(AccountObservation o, List<String> from) {
    float[] shares = o.statedUseCategoryShares();
    float[] ours = null;
    if (shares != null && shares.length == from.size()) {
      float smallest = Float.MAX_VALUE;
      for (float s : shares) {
        smallest = Math.min(smallest, s);
      }
      ours = new float[names.size()];
      double sum = 0;
      for (int j = 0; j < ours.length; j++) {
        int i = from.indexOf(names.get(j));
        ours[j] = i >= 0 ? shares[i] : smallest;
        sum += ours[j];
      }
      if (sum > 0) {
        for (int j = 0; j < ours.length; j++) {
          ours[j] = (float) (ours[j] / sum);
        }
      } else {
        ours = null;
      }
    }
    return o.withStatedUseShares(ours, version);
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

  /** Observations of an earlier taxonomy of this node, translated to its own. */
  public long translated() {
    return translated.get();
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
