package io.distillguard.ingest.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.QueryEvent;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The join at the end of its inputs (a drained stop, or bounded inputs), when no final watermark
 * reached it: what it held is released, joined with the profile current then, in event-time order,
 * and nothing is left in its state.
 */
class JoinProfileOperatorTest extends JoinProfileHarness {

  @Override
  KeyedTwoInputStreamOperatorTestHarness<String, QueryEvent, ProfileUpdate, ProfiledEvent> harness()
      throws Exception {
    return new KeyedTwoInputStreamOperatorTestHarness<>(
        new JoinProfileOperator(new JoinProfileFunction(EMBEDDER, OUT_OF_ORDERNESS)),
        QueryEvent::accountId,
        ProfileUpdate::accountId,
        Types.STRING);
  }

  @Test
  void heldEventsLeaveWhenBothInputsEndWithoutAFinalWatermark() throws Exception {
    // The profiles input is idle (it holds nothing back); the events' watermark trails the newest
    // event by the out-of-orderness, so the last events wait.
    h.processWatermarkStatus2(WatermarkStatus.IDLE);
    h.processElement1(event("a1", "a", 1), ts(1));
    h.processElement1(event("b3", "b", 3), ts(3));
    h.processElement1(event("a9", "a", 9), ts(9));
    h.processElement1(event("a7", "a", 7), ts(7));
    h.processWatermark1(new Watermark(ts(2)));
    assertThat(h.extractOutputValues()).extracting(p -> p.event().eventId()).containsExactly("a1");

    // The events input ends (its final watermark was lost on the way): a profile may still come.
    h.endInput1();
    assertThat(h.extractOutputValues()).hasSize(1);
    h.processElement2(profile("b", "math homework tutor"), ts(0));
    h.endInput2();

    List<ProfiledEvent> out = h.extractOutputValues();
    assertThat(out)
        .extracting(p -> p.event().eventId())
        .as("everything released, each account in event-time order")
        .containsExactly("a1", "b3", "a7", "a9");
    assertThat(out.get(1).profile().statedUse()).isEqualTo("math homework tutor");
    assertThat(out.get(2).profile()).isNull();
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(h.numKeyedStateEntries()).as("only b's profile is left").isEqualTo(1);
    // The end of event time goes on downstream, announced active so that Flink forwards it.
    assertThat(h.getOutput())
        .filteredOn(o -> !(o instanceof StreamRecord))
        .containsSubsequence(WatermarkStatus.ACTIVE, Watermark.MAX_WATERMARK);
  }

  @Test
  void theEndOfOneInputAloneReleasesNothing() throws Exception {
    h.processElement1(event("a1", "a", 1), ts(1));
    h.endInput2();
    assertThat(h.extractOutputValues()).isEmpty();
    assertThat(h.numEventTimeTimers()).isEqualTo(1);

    h.endInput1();
    assertThat(h.extractOutputValues()).extracting(p -> p.event().eventId()).containsExactly("a1");
  }
}
