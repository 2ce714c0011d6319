package io.distillguard.taxonomy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The capability categories a prompt can be mapped to: an ordered, immutable list read from an
 * operator-editable YAML file ({@code taxonomy/capabilities.yaml} on the classpath by default).
 *
 * <p>The order of {@link #categories()} is the index order used by every per-category array in the
 * system (histograms, stated-use shares), so it must be the same wherever the taxonomy is loaded.
 * Names are lower-case identifiers ({@code [a-z][a-z0-9_]*}), unique; each category has a non-blank
 * description and at least one example. Loading fails with {@link IllegalArgumentException} naming
 * the offending entry otherwise.
 *
 * <p><b>Version.</b> {@link #version()} is a hash of the categories (names, descriptions and
 * examples, in order): two taxonomies with the same version map a prompt to the same category
 * index. The ingest job stamps it on every observation; the actor side refuses observations made
 * with another taxonomy than its own. Comments and formatting of the file do not change it.
 */
public final class CapabilityTaxonomy {

  /** The classpath resource {@link #loadDefault()} reads. */
  public static final String DEFAULT_RESOURCE = "taxonomy/capabilities.yaml";

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  /**
   * One capability category.
   *
   * @param name stable identifier, used as a histogram key and in reasons
   * @param description what the category covers, in plain words (embedded into the centroid)
   * @param examples short typical prompts (embedded into the centroid)
   */
  public record Category(String name, String description, List<String> examples) {
    public Category {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(description, "description");
      examples = List.copyOf(examples);
    }
  }

  private final List<Category> categories;
  private final List<String> names;
  private final Map<String, Integer> index;
  private final String version;

  private CapabilityTaxonomy(List<Category> categories) {
    this.categories = List.copyOf(categories);
    List<String> n = new ArrayList<>(categories.size());
    Map<String, Integer> idx = new HashMap<>();
    for (Category c : categories) {
      if (idx.putIfAbsent(c.name(), n.size()) != null) {
        throw new IllegalArgumentException("duplicate category name: " + c.name());
      }
      n.add(c.name());
    }
    this.names = List.copyOf(n);
    this.index = Map.copyOf(idx);
    this.version = versionOf(this.categories);
  }

  /**
   * {@code "sha256:"} and the first 16 hex digits of the SHA-256 of the categories, each field
   * length-prefixed so that no two different taxonomies serialise to the same bytes.
   */
  private static String versionOf(List<Category> categories) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (Category c : categories) {
      field(sha, c.name());
      field(sha, c.description());
      field(sha, Integer.toString(c.examples().size()));
      c.examples().forEach(e -> field(sha, e));
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest(), 0, 8);
  }

  private static void field(MessageDigest sha, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    sha.update((bytes.length + ":").getBytes(StandardCharsets.UTF_8));
    sha.update(bytes);
  }

  /** A taxonomy from categories built in code (tests, tools); validated like a file. */
  public static CapabilityTaxonomy of(List<Category> categories) {
    if (categories.isEmpty()) {
      throw new IllegalArgumentException("a taxonomy needs at least one category");
    }
    for (int i = 0; i < categories.size(); i++) {
      validate(categories.get(i), i);
    }
    return new CapabilityTaxonomy(categories);
  }

  /** Reads the taxonomy shipped on the classpath ({@value #DEFAULT_RESOURCE}). */
  public static CapabilityTaxonomy loadDefault() {
    try (InputStream in =
        CapabilityTaxonomy.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("classpath resource missing: " + DEFAULT_RESOURCE);
      }
      return parse(in, DEFAULT_RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DEFAULT_RESOURCE, e);
    }
  }

  /** Reads a taxonomy file an operator maintains. */
  public static CapabilityTaxonomy load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read taxonomy " + file, e);
    }
  }

  private static CapabilityTaxonomy parse(InputStream in, String origin) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
    if (root == null || !root.path("categories").isArray()) {
      throw new IllegalArgumentException(origin + ": expected a top-level 'categories' list");
    }
    List<Category> out = new ArrayList<>();
    int i = 0;
    for (JsonNode node : root.get("categories")) {
      String name = text(node, "name");
      String description = text(node, "description");
      List<String> examples = new ArrayList<>();
      JsonNode ex = node.path("examples");
      if (ex.isArray()) {
        for (JsonNode e : ex) {
          if (e.isTextual() && !e.asText().isBlank()) {
            examples.add(e.asText().strip());
          }
        }
      }
      Category c =
          new Category(
              name == null ? "" : name.strip(),
              description == null ? "" : description.strip(),
              examples);
      try {
        validate(c, i);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
      }
      out.add(c);
      i++;
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(origin + ": the 'categories' list is empty");
    }
    try {
      return new CapabilityTaxonomy(out);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  private static void validate(Category c, int position) {
    String where = "category #" + (position + 1);
    if (!NAME.matcher(c.name()).matches()) {
      throw new IllegalArgumentException(
          where + ": name '" + c.name() + "' must match " + NAME.pattern());
    }
    if (c.description().isBlank()) {
      throw new IllegalArgumentException(where + " (" + c.name() + "): description is blank");
    }
    if (c.examples().isEmpty()) {
      throw new IllegalArgumentException(where + " (" + c.name() + "): needs at least one example");
    }
  }

  /** The categories, in index order. */
  public List<Category> categories() {
    return categories;
  }

  /** The category names, in index order. */
  public List<String> names() {
    return names;
  }

  /**
   * This taxonomy's content version, e.g. {@code sha256:1f0c9a...} (16 hex digits): equal for equal
   * categories wherever and from whichever file they were loaded.
   */
  public String version() {
    return version;
  }

  /** The number of categories (K). */
  public int size() {
    return categories.size();
  }

  /** The index of a category name, or -1 when the taxonomy has no such category. */
  public int indexOf(String name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }
}
