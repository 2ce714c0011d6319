package io.distillguard.ingest.enrich;

import io.distillguard.embedding.TextEmbedder;
import io.distillguard.enrich.QueryEnricher;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link QueryEnricher} of a taxonomy file that operators edit while the job runs: at most once
 * per check interval it reads the file, and when the content differs from the one in use it loads
 * the taxonomy and embeds its categories into new centroids, then switches to them. A file with the
 * built-in categories word for word uses the shipped centroids instead ({@link
 * EnrichResources#enricherFor}), so it needs no model.
 *
 * <p>A file that cannot be read or is not a valid taxonomy never stops the job: the current
 * enricher stays in use, a warning is logged, and the next check tries again. The file is compared
 * by content (SHA-256), not by modification time, so a ConfigMap remounted through a new symlink
 * and an editor that rewrites the same bytes behave as expected.
 *
 * <p>Not thread-safe: one instance per operator subtask, called from the task thread. Rebuilding
 * embeds the categories' texts (about 200 for the built-in taxonomy, ~1 s) in that thread.
 */
public final class TaxonomyReloader {

  private static final Logger LOG = LoggerFactory.getLogger(TaxonomyReloader.class);

  private final Path file;
  private final long checkIntervalMillis;
  private final TextEmbedder embedder;
  private final LongSupplier clock;
  private QueryEnricher enricher;
  private byte[] digest;
  private long nextCheckMillis;
  private int version;

  /**
   * Loads the file now; fails if it is not a valid taxonomy (a job must not start on a broken one).
   */
  public TaxonomyReloader(
      Path file, Duration checkInterval, TextEmbedder embedder, LongSupplier clockMillis) {
    this.file = Objects.requireNonNull(file, "file");
    this.checkIntervalMillis = checkInterval.toMillis();
    this.embedder = Objects.requireNonNull(embedder, "embedder");
    this.clock = Objects.requireNonNull(clockMillis, "clockMillis");
    byte[] content = read();
    this.enricher = EnrichResources.enricherFor(CapabilityTaxonomy.load(file), embedder);
    this.digest = sha256(content);
    this.version = 1;
    // The first call checks at once: an edit made between loading and the first record (a
    // restart, a redeploy) is taken with that record, not one interval later.
    this.nextCheckMillis = clock.getAsLong();
  }

  /** The enricher of the newest valid taxonomy seen, checking the file if the interval passed. */
  public QueryEnricher current() {
    long now = clock.getAsLong();
    if (now >= nextCheckMillis) {
      nextCheckMillis = now + checkIntervalMillis;
      reloadIfChanged();
    }
    return enricher;
  }

  /** How many taxonomies this reloader has used: 1 after loading, +1 per change taken. */
  public int version() {
    return version;
  }

  private void reloadIfChanged() {
    try {
      byte[] content = read();
      byte[] d = sha256(content);
      if (Arrays.equals(d, digest)) {
        return;
      }
      CapabilityTaxonomy taxonomy = CapabilityTaxonomy.load(file);
      QueryEnricher next = EnrichResources.enricherFor(taxonomy, embedder);
      enricher = next;
      digest = d;
      version++;
      LOG.info(
          "taxonomy {} changed: now version {} ({}) with {} categories",
          file,
          version,
          taxonomy.version(),
          taxonomy.size());
    } catch (RuntimeException e) {
      LOG.warn("taxonomy {} not reloaded, keeping the current one: {}", file, e.toString());
    }
  }

  private byte[] read() {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read taxonomy " + file + ": " + e, e);
    }
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
