package io.distillguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code stated-use}: the real model's reading of a stated use, as the ingest job derives it. */
class StatedUseCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = DistillGuardCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void aClinicsSymptomCheckerExpectsMedicineAndCountsLawAsUnexpected() throws Exception {
    int rc = run("stated-use", "--json", "Symptom checker for our clinics");

    assertThat(rc).isZero();
    JsonNode reading = new ObjectMapper().readTree(out.toString());
    assertThat(reading.get("statedUse").asText()).isEqualTo("Symptom checker for our clinics");
    List<String> order = new ArrayList<>();
    reading.get("expectedShares").fieldNames().forEachRemaining(order::add);
    assertThat(order).hasSize(26);
    assertThat(order.get(0)).isEqualTo("medicine_health");
    double total = 0;
    for (JsonNode share : reading.get("expectedShares")) {
      total += share.asDouble();
    }
    assertThat(total).isBetween(0.99, 1.01);
    List<String> unexpected = new ArrayList<>();
    reading.get("unexpected").forEach(n -> unexpected.add(n.asText()));
    assertThat(unexpected).contains("law", "code_generation").doesNotContain("medicine_health");
    assertThat(reading.get("normalisedEntropy").asDouble()).isBetween(0.0, 1.0);
  }

  @Test
  void aBroadStatedUseIsReadWithMoreExpectedCategoriesThanANarrowOne() {
    int rc =
        run(
            "stated-use",
            "Support chatbot for our airline: bookings, baggage and flight changes.",
            "Consumer chat assistant app that answers any question users ask.");

    assertThat(rc).isZero();
    String text = out.toString();
    assertThat(text)
        .contains("stated use: Support chatbot for our airline")
        .contains("stated use: Consumer chat assistant app");
    String[] parts = text.split("stated use: ");
    assertThat(expectedCount(parts[1])).isLessThan(expectedCount(parts[2]));
    assertThat(parts[1].lines().skip(2).findFirst().orElseThrow()).contains("travel");
  }

  @Test
  void aBlankStatedUseOrAnUnreadableTaxonomyIsRefusedWithoutLoadingTheModel(@TempDir Path dir)
      throws Exception {
    assertThat(run("stated-use", " ")).isEqualTo(2);
    assertThat(err.toString()).contains("must not be blank");

    Path broken = Files.writeString(dir.resolve("taxonomy.yaml"), "categories: 12\n");
    assertThat(run("stated-use", "--taxonomy", broken.toString(), "Travel bot")).isEqualTo(2);
    assertThat(err.toString()).contains("stated-use: ");
    assertThat(out.toString()).isEmpty();
  }

  private static int expectedCount(String block) {
    String line =
        block.lines().filter(l -> l.startsWith("expected categories: ")).findFirst().orElseThrow();
    return Integer.parseInt(line.substring("expected categories: ".length()).split(" ")[0]);
  }
}
