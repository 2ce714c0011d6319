package io.distillguard.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapabilityTaxonomyTest {

  @Test
  void defaultTaxonomySpansTheCapabilitySpace() {
    CapabilityTaxonomy t = CapabilityTaxonomy.loadDefault();
    assertThat(t.size()).isBetween(20, 28);
    assertThat(t.names())
        .contains(
            "arithmetic",
            "advanced_math",
            "code_generation",
            "code_help",
            "medicine_health",
            "banking_finance",
            "travel",
            "customer_support",
            "creative_writing",
            "translation");
    Set<String> examples = new HashSet<>();
    for (CapabilityTaxonomy.Category c : t.categories()) {
      assertThat(c.description()).as(c.name()).hasSizeGreaterThan(40);
      assertThat(c.examples()).as(c.name()).hasSizeBetween(4, 8);
      for (String e : c.examples()) {
        assertThat(examples.add(e)).as("duplicate example %s", e).isTrue();
      }
      assertThat(t.indexOf(c.name())).isEqualTo(t.names().indexOf(c.name()));
    }
    assertThat(t.indexOf("no_such_category")).isEqualTo(-1);
  }

  @Test
  void loadsAnOperatorFileInItsOrder(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("caps.yaml");
    Files.writeString(
        file,
        """
        categories:
          - name: zeta
            description: Last letter things.
            examples: ["z one", "z two"]
          - name: alpha
            description: >-
              First letter
              things.
            examples:
              - a one
        """);
    CapabilityTaxonomy t = CapabilityTaxonomy.load(file);
    assertThat(t.names()).containsExactly("zeta", "alpha");
    assertThat(t.categories().get(1))
        .isEqualTo(
            new CapabilityTaxonomy.Category("alpha", "First letter things.", List.of("a one")));
  }

  @Test
  void versionFollowsTheCategoriesNotTheFileLayout(@TempDir Path dir) throws IOException {
    CapabilityTaxonomy shipped = CapabilityTaxonomy.loadDefault();
    assertThat(shipped.version()).matches("sha256:[0-9a-f]{16}");

    // the shipped file copied to disk, with a comment and blank lines added: same categories
    String yaml;
    try (var in = getClass().getClassLoader().getResourceAsStream("taxonomy/capabilities.yaml")) {
      yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(load(dir, "# reviewed by the operator\n\n" + yaml + "\n\n").version())
        .isEqualTo(shipped.version());
    assertThat(CapabilityTaxonomy.of(shipped.categories()).version()).isEqualTo(shipped.version());

    String one = "categories:\n  - {name: a, description: x, examples: [e]}\n";
    String reordered =
        "categories:\n  - {name: b, description: y, examples: [f]}\n"
            + "  - {name: a, description: x, examples: [e]}\n";
    String both =
        "categories:\n  - {name: a, description: x, examples: [e]}\n"
            + "  - {name: b, description: y, examples: [f]}\n";
    assertThat(
            Set.of(
                load(dir, one).version(),
                load(dir, one.replace("description: x", "description: x2")).version(),
                load(dir, one.replace("[e]", "[e, e2]")).version(),
                load(dir, both).version(),
                load(dir, reordered).version(),
                shipped.version()))
        .as("a changed description, example, category or order is another version")
        .hasSize(6);
  }

  @Test
  void rejectsBrokenFilesWithTheOffendingEntry(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> load(dir, "categories: []"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> load(dir, "cats: 1"))
        .hasMessageContaining("expected a top-level 'categories' list");
    assertThatThrownBy(
            () ->
                load(
                    dir,
                    "categories:\n  - {name: a, description: x, examples: [e]}\n"
                        + "  - {name: a, description: y, examples: [f]}"))
        .hasMessageContaining("duplicate category name: a");
    assertThatThrownBy(
            () -> load(dir, "categories:\n  - {name: Bad Name, description: x, examples: [e]}"))
        .hasMessageContaining("category #1")
        .hasMessageContaining("Bad Name");
    assertThatThrownBy(() -> load(dir, "categories:\n  - {name: a, description: x}"))
        .hasMessageContaining("needs at least one example");
    assertThatThrownBy(() -> load(dir, "categories:\n  - {name: a, examples: [e]}"))
        .hasMessageContaining("description is blank");
  }

  private static CapabilityTaxonomy load(Path dir, String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "t", ".yaml");
    Files.writeString(file, yaml);
    return CapabilityTaxonomy.load(file);
  }
}
