package io.distillguard.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignalSnapshotTest {

  private static Map<String, Double> values(double a, double b) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("a", a);
    m.put("b", b);
    return m;
  }

  @Test
  void readsByNameAndRejectsUnknownNames() {
    SignalSnapshot s = new SignalSnapshot(3, 1000, values(0.5, 2.0));
    assertThat(s.get("a")).isEqualTo(0.5);
    assertThat(s.get("b")).isEqualTo(2.0);
    assertThat(s.queriesObserved()).isEqualTo(3);
    assertThat(s.eventTimeMillis()).isEqualTo(1000);
    assertThatThrownBy(() -> s.get("c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown signal: c");
  }

  @Test
  void mapViewKeepsTheOrderAndIsReadOnly() {
    SignalSnapshot s = new SignalSnapshot(1, 0, values(1.0, 2.0));
    assertThat(s.values()).containsExactly(Map.entry("a", 1.0), Map.entry("b", 2.0));
    assertThat(s.values().get("b")).isEqualTo(2.0);
    assertThat(s.values().get("c")).isNull();
    assertThat(s.values()).isEqualTo(Map.of("a", 1.0, "b", 2.0));
    assertThatThrownBy(() -> s.values().put("a", 3.0))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void copiesTheGivenMapAndRejectsNullValues() {
    Map<String, Double> m = values(1.0, 2.0);
    SignalSnapshot s = new SignalSnapshot(1, 0, m);
    m.put("a", 9.0);
    assertThat(s.get("a")).isEqualTo(1.0);
    m.put("b", null);
    assertThatThrownBy(() -> new SignalSnapshot(1, 0, m)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void equalByValuesWhateverTheLayoutOrder() {
    Map<String, Double> reversed = new LinkedHashMap<>();
    reversed.put("b", 2.0);
    reversed.put("a", 1.0);
    SignalSnapshot s = new SignalSnapshot(1, 0, values(1.0, 2.0));
    SignalSnapshot t = new SignalSnapshot(1, 0, reversed);
    assertThat(s).isEqualTo(t).hasSameHashCodeAs(t);
    assertThat(s).isNotEqualTo(new SignalSnapshot(2, 0, values(1.0, 2.0)));
    assertThat(s).isNotEqualTo(new SignalSnapshot(1, 0, values(1.0, 2.5)));
  }

  @Test
  void jsonKeepsTheRecordShapeAndReadsBack() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    SignalSnapshot s = new SignalSnapshot(7, 1234, values(0.25, 3.0));
    String text = json.writeValueAsString(s);
    assertThat(text)
        .isEqualTo(
            "{\"queriesObserved\":7,\"eventTimeMillis\":1234,\"values\":{\"a\":0.25,\"b\":3.0}}");
    assertThat(json.readValue(text, SignalSnapshot.class)).isEqualTo(s);
    SignalSnapshot account = AccountSignals.create(java.util.List.of("x", "y")).snapshot();
    assertThat(json.readValue(json.writeValueAsString(account), SignalSnapshot.class))
        .isEqualTo(account);
    // A mapper that sees fields (as the actor side's serializer does) writes the same shape.
    com.fasterxml.jackson.databind.ObjectMapper fields =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .setVisibility(
                com.fasterxml.jackson.annotation.PropertyAccessor.FIELD,
                com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY);
    assertThat(fields.writeValueAsString(s)).isEqualTo(text);
    assertThat(fields.readValue(text, SignalSnapshot.class)).isEqualTo(s);
  }

  @Test
  void accountSnapshotsShareOneLayout() {
    AccountSignals signals = AccountSignals.create(java.util.List.of("x", "y", "z"));
    assertThat(signals.snapshot().values().keySet()).containsExactlyElementsOf(Signals.ALL);
    assertThat(signals.snapshot()).isEqualTo(signals.snapshot());
  }
}
