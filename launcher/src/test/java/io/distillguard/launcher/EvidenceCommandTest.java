package io.distillguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.ingest.enrich.PreambleMetadata;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code evidence} on the embedded store: payloads stored after a scaffold show its id. */
class EvidenceCommandTest {

  @Test
  void showsAPayloadWithItsScaffoldIdAndAWholePromptAsItIs(@TempDir Path dataDir) {
    float[] v = new float[384];
    v[0] = 1f;
    try (VectorStore store = VectorStores.open(StoreSettings.embedded(dataDir))) {
      store.upsert(
          List.of(
              new QueryRecord(
                  "e-1", "acct-1", 1_000L, "banking", 0.5f, "Where is my card?", v, Map.of()),
              new QueryRecord(
                  "e-2",
                  "acct-1",
                  2_000L,
                  "banking",
                  0.5f,
                  "Can I get a refund?",
                  v,
                  Map.of(
                      PreambleMetadata.PREAMBLE_ID,
                      "0123456789abcdef",
                      PreambleMetadata.PREAMBLE,
                      "You are the bank's assistant.\n\n"))));
    }
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new EvidenceCommand());
    cli.setOut(new PrintWriter(out));
    int rc = cli.execute("--account", "acct-1", "--data-dir", dataDir.toString());

    assertThat(rc).isZero();
    assertThat(out.toString())
        .contains("2 stored queries match")
        .contains("e-2                           [preamble 0123456789abcdef] Can I get a refund?")
        .contains("e-1                           Where is my card?");
  }
}
