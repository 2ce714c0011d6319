package io.distillguard.enrich;

/**
 * What {@link QueryEnricher} derives from one prompt.
 *
 * @param category the nearest capability category (see {@code CapabilityTaxonomy})
 * @param categorySimilarity cosine similarity between the prompt and that category's centroid
 * @param statedUseSimilarity cosine similarity between the prompt and the account's stated use;
 *     {@code 0} when no stated use is known (the observation then carries no stated-use shares,
 *     which is how consumers tell "unknown" from "orthogonal")
 * @param lshSignature 64 sign bits of random-hyperplane projections of the prompt embedding (see
 *     {@link QueryEnricher#lshSignature(float[])}); nearby prompts share most bits
 * @param templateFingerprint hash of the prompt's shape with content masked (see {@link
 *     TemplateFingerprint}); {@code 0} when there is no prompt text
 * @param taxonomyVersion the {@code CapabilityTaxonomy#version()} the category comes from; {@code
 *     null} for an enricher built from bare centroids
 */
public record Enrichment(
    String category,
    float categorySimilarity,
    float statedUseSimilarity,
    long lshSignature,
    long templateFingerprint,
    String taxonomyVersion) {}
