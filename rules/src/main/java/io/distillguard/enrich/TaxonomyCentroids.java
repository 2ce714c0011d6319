package io.distillguard.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillguard.contract.EmbeddingBase64;
import io.distillguard.embedding.TextEmbedder;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The vectors a {@link QueryEnricher} derives from its taxonomy with the model: one centroid and
 * one description vector per category, and the model's embedding of {@link
 * QueryEnricher#GENERIC_STATED_USE}. They depend only on the taxonomy's texts and the model, so
 * they are computed once and shipped next to the taxonomy ({@value #DEFAULT_RESOURCE}): a process
 * whose events and profiles all carry their vectors then never loads the model.
 *
 * <p><b>Binding.</b> The file names the model it was computed with and the taxonomy's version (the
 * hash of its names, descriptions and examples, {@link CapabilityTaxonomy#version()}), and carries
 * a SHA-256 of its vectors. {@link #shipped} refuses a file that is malformed, names another model,
 * another taxonomy or another generic stated use, or whose vectors do not match their hash: a wrong
 * or stale file stops the start, it never silently changes categories. The file is regenerated from
 * the real model by the embedding module's {@code ShippedCentroidsTest}, which also proves that the
 * shipped vectors are bit for bit what the model computes now.
 *
 * <p>Immutable; the rows are shared with the enrichers made from it and never written.
 */
public final class TaxonomyCentroids {

  /** The classpath resource of the built-in taxonomy's centroids. */
  public static final String DEFAULT_RESOURCE = "taxonomy/capabilities.centroids.json";

  /** The file format this class reads and writes. */
  public static final String FORMAT = "distillguard-taxonomy-centroids/1";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String model;
  private final String taxonomyVersion;
  private final List<String> names;
  private final float[][] centroids;
  private final float[][] descriptions;
  private final float[] genericStatedUse;

  private TaxonomyCentroids(
      String model,
      String taxonomyVersion,
      List<String> names,
      float[][] centroids,
      float[][] descriptions,
      float[] genericStatedUse) {
    this.model = model;
    this.taxonomyVersion = taxonomyVersion;
    this.names = List.copyOf(names);
    this.centroids = centroids;
    this.descriptions = descriptions;
    this.genericStatedUse = genericStatedUse;
  }

  /**
   * Embeds the taxonomy's texts with {@code embedder}: each category's centroid is the
   * L2-normalised mean of the embeddings of its description and examples (summed in double
   * precision in the taxonomy's order), its description vector the normalised embedding of the
   * description alone; then the generic stated use, embedded on its own.
   *
   * @param modelOrNull the name of the model behind {@code embedder}, recorded in the file
   * @throws IllegalArgumentException if the embedder returns vectors of the wrong dimension
   */
  public static TaxonomyCentroids compute(
      CapabilityTaxonomy taxonomy, TextEmbedder embedder, String modelOrNull) {
    Objects.requireNonNull(taxonomy, "taxonomy");
    Objects.requireNonNull(embedder, "embedder");
    List<String> texts = new ArrayList<>();
    for (CapabilityTaxonomy.Category c : taxonomy.categories()) {
      texts.add(c.description());
      texts.addAll(c.examples());
    }
    List<float[]> vectors = embedder.embedAll(texts);
    int dim = embedder.dimension();
    float[][] centroids = new float[taxonomy.size()][];
    float[][] descriptions = new float[taxonomy.size()][];
    int next = 0;
    for (int k = 0; k < taxonomy.size(); k++) {
      int count = 1 + taxonomy.categories().get(k).examples().size();
      double[] sum = new double[dim];
      for (int j = 0; j < count; j++) {
        float[] v = vectors.get(next++);
        if (v.length != dim) {
          throw new IllegalArgumentException(
              "embedder returned " + v.length + " dimensions, expected " + dim);
        }
        if (j == 0) {
          descriptions[k] = Vectors.normalised(v);
        }
        for (int d = 0; d < dim; d++) {
          sum[d] += v[d];
        }
      }
      centroids[k] = Vectors.normalised(sum);
    }
    float[] generic = embedder.embed(QueryEnricher.GENERIC_STATED_USE);
    if (generic.length != dim) {
      throw new IllegalArgumentException(
          "embedder returned " + generic.length + " dimensions, expected " + dim);
    }
    return new TaxonomyCentroids(
        modelOrNull, taxonomy.version(), taxonomy.names(), centroids, descriptions, generic);
  }

  /**
   * The built-in taxonomy's shipped centroids ({@value #DEFAULT_RESOURCE}), checked against the
   * built-in taxonomy and the model this build embeds with.
   *
   * @param expectedModel the model id the caller embeds prompts with
   * @throws IllegalStateException if the resource is missing, malformed, or stale (another model,
   *     another taxonomy, vectors that do not match their hash): the message says what differs and
   *     how to regenerate the file
   */
  public static TaxonomyCentroids shipped(String expectedModel) {
    return shippedFor(CapabilityTaxonomy.loadDefault(), expectedModel)
        .orElseThrow(
            () ->
                stale(
                    "it was computed for another taxonomy than the built-in "
                        + CapabilityTaxonomy.loadDefault().version()));
  }

  /**
   * The shipped centroids if they were computed for {@code taxonomy} (an operator's taxonomy file
   * with the built-in categories word for word); empty for any other taxonomy, whose centroids must
   * be computed with the model.
   *
   * @throws IllegalStateException if the resource is missing, malformed or computed with another
   *     model (whatever the taxonomy: the file is wrong for this build)
   */
  public static Optional<TaxonomyCentroids> shippedFor(
      CapabilityTaxonomy taxonomy, String expectedModel) {
    TaxonomyCentroids c = resource();
    if (!Objects.equals(c.model, expectedModel)) {
      throw stale(
          "it was computed with the model "
              + c.model
              + ", this build embeds with "
              + expectedModel);
    }
    if (!c.taxonomyVersion.equals(taxonomy.version())) {
      return Optional.empty();
    }
    if (!c.names.equals(taxonomy.names())) {
      throw stale("its categories " + c.names + " are not the taxonomy's " + taxonomy.names());
    }
    return Optional.of(c);
  }

  private static TaxonomyCentroids loaded; // guarded by TaxonomyCentroids.class

  /** Loads the resource once per class loader; a failure is not kept, the next use tries again. */
  private static synchronized TaxonomyCentroids resource() {
    if (loaded == null) {
      try (InputStream in =
          TaxonomyCentroids.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
        if (in == null) {
          throw stale("the classpath resource is missing");
        }
        loaded = read(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + DEFAULT_RESOURCE, e);
      } catch (IllegalArgumentException e) {
        throw stale(e.getMessage());
      }
    }
    return loaded;
  }

  private static IllegalStateException stale(String why) {
    return new IllegalStateException(
        "the shipped taxonomy centroids ("
            + DEFAULT_RESOURCE
            + ") cannot be used: "
            + why
            + ". Regenerate them from the model: run the embedding module's ShippedCentroidsTest,"
            + " which writes the current file to embedding/target/"
            + "capabilities.centroids.json");
  }

  /**
   * Reads a centroids file and checks it on its own (format, dimensions, finite values, the hash of
   * its vectors, the generic stated use's text).
   *
   * @throws IllegalArgumentException naming the first problem
   */
  public static TaxonomyCentroids read(InputStream in) throws IOException {
    JsonNode root = JSON.readTree(in);
    if (root == null || !FORMAT.equals(root.path("format").asText(null))) {
      throw new IllegalArgumentException("not a " + FORMAT + " file");
    }
    int dim = root.path("dimension").asInt(0);
    if (dim <= 0) {
      throw new IllegalArgumentException("no dimension");
    }
    JsonNode generic = root.path("generic_stated_use");
    if (!QueryEnricher.GENERIC_STATED_USE.equals(generic.path("text").asText(null))) {
      throw new IllegalArgumentException(
          "its generic stated use is not '" + QueryEnricher.GENERIC_STATED_USE + "'");
    }
    float[] genericVector = vector(generic, "embedding_b64", dim, "generic_stated_use");
    List<String> names = new ArrayList<>();
    List<float[]> centroids = new ArrayList<>();
    List<float[]> descriptions = new ArrayList<>();
    for (JsonNode c : root.path("categories")) {
      String name = c.path("name").asText("");
      names.add(name);
      centroids.add(vector(c, "centroid_b64", dim, name));
      descriptions.add(vector(c, "description_b64", dim, name));
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no categories");
    }
    TaxonomyCentroids read =
        new TaxonomyCentroids(
            root.path("model").asText(null),
            root.path("taxonomy_version").asText(""),
            names,
            centroids.toArray(float[][]::new),
            descriptions.toArray(float[][]::new),
            genericVector);
    String expected = read.vectorsSha256();
    if (!expected.equals(root.path("vectors_sha256").asText(""))) {
      throw new IllegalArgumentException(
          "its vectors do not match their vectors_sha256 (edited or damaged)");
    }
    return read;
  }

  private static float[] vector(JsonNode parent, String field, int dim, String where) {
    JsonNode v = parent.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(where + ": missing " + field);
    }
    try {
      return EmbeddingBase64.decode(field, v.asText(), dim);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  /** The file's text (JSON, vectors as base64 little-endian float32). */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("model", model);
    root.put("taxonomy_version", taxonomyVersion);
    root.put("dimension", dimension());
    ObjectNode generic = root.putObject("generic_stated_use");
    generic.put("text", QueryEnricher.GENERIC_STATED_USE);
    generic.put("embedding_b64", EmbeddingBase64.encode(genericStatedUse));
    ArrayNode categories = root.putArray("categories");
    for (int k = 0; k < names.size(); k++) {
      ObjectNode c = categories.addObject();
      c.put("name", names.get(k));
      c.put("centroid_b64", EmbeddingBase64.encode(centroids[k]));
      c.put("description_b64", EmbeddingBase64.encode(descriptions[k]));
    }
    root.put("vectors_sha256", vectorsSha256());
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SHA-256 over the category names and every float's bits, in file order. */
  private String vectorsSha256() {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    update(sha, genericStatedUse);
    for (int k = 0; k < names.size(); k++) {
      sha.update(names.get(k).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha.update((byte) 0);
      update(sha, centroids[k]);
      update(sha, descriptions[k]);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void update(MessageDigest sha, float[] v) {
    for (float f : v) {
      int bits = Float.floatToRawIntBits(f);
      sha.update((byte) bits);
      sha.update((byte) (bits >>> 8));
      sha.update((byte) (bits >>> 16));
      sha.update((byte) (bits >>> 24));
    }
  }

  /** The model the vectors were computed with; {@code null} when not recorded. */
  public String model() {
    return model;
  }

  /** The {@link CapabilityTaxonomy#version()} of the taxonomy the vectors were computed for. */
  public String taxonomyVersion() {
    return taxonomyVersion;
  }

  /** Category names, in the taxonomy's order. */
  public List<String> names() {
    return names;
  }

  /** The vectors' dimension. */
  public int dimension() {
    return genericStatedUse.length;
  }

  /** Whether both hold the same names, versions and vectors, bit for bit. */
  public boolean sameVectors(TaxonomyCentroids other) {
    return names.equals(other.names)
        && taxonomyVersion.equals(other.taxonomyVersion)
        && vectorsSha256().equals(other.vectorsSha256())
        && java.util.Arrays.deepEquals(bits(centroids), bits(other.centroids))
        && java.util.Arrays.deepEquals(bits(descriptions), bits(other.descriptions))
        && java.util.Arrays.equals(
            bits(new float[][] {genericStatedUse})[0],
            bits(new float[][] {other.genericStatedUse})[0]);
  }

  /**
   * The lowest cosine between a vector of this set and the same vector of {@code other} (centroids,
   * descriptions, the generic stated use): how close two computations of the same taxonomy came
   * where {@link #sameVectors} is false (the model's int8 kernels differ between instruction sets).
   *
   * @throws IllegalArgumentException if the two do not hold the same categories and dimension
   */
  public double minCosine(TaxonomyCentroids other) {
    if (!names.equals(other.names) || dimension() != other.dimension()) {
      throw new IllegalArgumentException("centroids of other categories or dimension");
    }
    double min = Vectors.cosine(genericStatedUse, other.genericStatedUse);
    for (int k = 0; k < centroids.length; k++) {
      min = Math.min(min, Vectors.cosine(centroids[k], other.centroids[k]));
      min = Math.min(min, Vectors.cosine(descriptions[k], other.descriptions[k]));
    }
    return min;
  }

  private static int[][] bits(float[][] rows) {
    int[][] out = new int[rows.length][];
    for (int k = 0; k < rows.length; k++) {
      out[k] = new int[rows[k].length];
      for (int i = 0; i < rows[k].length; i++) {
        out[k][i] = Float.floatToRawIntBits(rows[k][i]);
      }
    }
    return out;
  }

  float[][] centroidRows() {
    return centroids;
  }

  float[][] descriptionRows() {
    return descriptions;
  }

  float[] genericStatedUseRow() {
    return genericStatedUse;
  }
}
