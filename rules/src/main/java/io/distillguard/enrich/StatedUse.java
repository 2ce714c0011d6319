package io.distillguard.enrich;

/**
 * An account's stated use, embedded once per profile.
 *
 * <p>Arrays are shared, not copied: treat them as read-only. A concrete public record (arrays of
 * primitives) so Flink serializes it without Kryo.
 *
 * @param embedding the L2-normalised embedding of the stated-use text
 * @param categoryShares the category distribution expected from this stated use, in the taxonomy's
 *     category order; sums to 1 (see {@link QueryEnricher#statedUse(String)})
 */
public record StatedUse(float[] embedding, float[] categoryShares) {}
