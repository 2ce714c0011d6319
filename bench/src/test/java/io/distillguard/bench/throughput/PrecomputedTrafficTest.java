package io.distillguard.bench.throughput;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.Parsed;
import io.distillguard.contract.QueryEvent;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The benchmarks' two forms of one event carry the same event and the same floats. */
class PrecomputedTrafficTest {

  private final ContractCodec codec = new ContractCodec(ContractLimits.DEFAULT);

  @Test
  void theBase64LineReadsBackAsTheSameEventAsTheJsonArrayLine() {
    Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      QueryEvent e =
          PrecomputedTraffic.event(
              "evt-" + i,
              i % 3,
              i,
              "How do I reset my card PIN? " + i,
              ThroughputBenchmark.unitVector(random, 384));
      String b64 = PrecomputedTraffic.base64Line(codec, e);
      assertThat(b64).contains("\"embedding_b64\":\"").doesNotContain("\"embedding\":");

      QueryEvent fromArray = ok(codec.parseEvent(codec.writeEvent(e)));
      QueryEvent fromBase64 = ok(codec.parseEvent(b64));
      assertThat(fromBase64.embedding()).containsExactly(e.embedding());
      assertThat(fromBase64).usingRecursiveComparison().isEqualTo(fromArray);
    }
  }

  private static QueryEvent ok(Parsed<QueryEvent> parsed) {
    assertThat(parsed).isInstanceOf(Parsed.Ok.class);
    return ((Parsed.Ok<QueryEvent>) parsed).value();
  }
}
