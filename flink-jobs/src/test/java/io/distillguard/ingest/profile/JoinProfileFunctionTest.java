package io.distillguard.ingest.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.QueryEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The profile join with the real model behind the stated-use embedding: buffering until the
 * watermark, joining with the profile current then, replacement, late events, state cleanup.
 */
class JoinProfileFunctionTest extends JoinProfileHarness {

  @Override
  KeyedTwoInputStreamOperatorTestHarness<String, QueryEvent, ProfileUpdate, ProfiledEvent> harness()
      throws Exception {
    return ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
        new JoinProfileFunction(EMBEDDER, OUT_OF_ORDERNESS),
        QueryEvent::accountId,
        ProfileUpdate::accountId,
        Types.STRING);
  }

  @Test
  void eventsWaitForTheProfilesWatermarkThenJoinTheProfileThatArrivedMeanwhile() throws Exception {
    h.processElement1(event("e1", "a", 1), ts(1));
    h.processElement1(event("e2", "a", 2), ts(2));
    h.processWatermark1(new Watermark(ts(10)));
    // The events' watermark has passed, but the profiles input has promised nothing yet.
    assertThat(h.extractOutputValues()).isEmpty();
    assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the pending buffer of "a"
    assertThat(h.numEventTimeTimers()).isEqualTo(2);

    h.processElement2(profile("a", "customer support chatbot for a retail bank"), ts(0));
    h.processWatermark2(new Watermark(Long.MAX_VALUE)); // the profiles file ended

    List<ProfiledEvent> out = h.extractOutputValues();
    assertThat(out).extracting(p -> p.event().eventId()).containsExactly("e1", "e2");
    assertThat(out)
        .allSatisfy(
            p -> {
              assertThat(p.profile().statedUse()).contains("retail bank");
              assertThat(p.statedUse()).isNotNull();
              assertThat(p.statedUse().embedding()).hasSize(384);
            });
    // Buffer gone and its timers deleted; only the profile remains.
    assertThat(h.numKeyedStateEntries()).isEqualTo(1);
    assertThat(h.numEventTimeTimers()).isZero();
  }

  @Test
  void accountsWithoutProfileProceedWithoutOneAndLeaveNoState() throws Exception {
    h.processElement1(event("e1", "nobody", 5), ts(5));
    h.processElement1(event("e0", "nobody", 3), ts(3));
    h.processWatermark2(new Watermark(Long.MAX_VALUE));
    h.processWatermark1(new Watermark(ts(4)));
    assertThat(h.extractOutputValues()).extracting(p -> p.event().eventId()).containsExactly("e0");
    h.processWatermark1(new Watermark(ts(100)));

    List<ProfiledEvent> out = h.extractOutputValues();
    assertThat(out).extracting(p -> p.event().eventId()).containsExactly("e0", "e1");
    assertThat(out).allSatisfy(p -> assertThat(p.profile()).isNull());
    assertThat(out).allSatisfy(p -> assertThat(p.statedUse()).isNull());
    assertThat(h.numKeyedStateEntries()).isZero();
    assertThat(h.numEventTimeTimers()).isZero();
  }

  @Test
  void aLaterProfileReplacesTheEarlierOne() throws Exception {
    h.processWatermark2(new Watermark(Long.MAX_VALUE));
    h.processElement2(profile("a", "math homework tutor"), ts(0));
    h.processElement1(event("e1", "a", 1), ts(1));
    h.processWatermark1(new Watermark(ts(1)));
    h.processElement2(profile("a", "general purpose assistant"), ts(2));
    h.processElement1(event("e2", "a", 2), ts(2));
    h.processWatermark1(new Watermark(ts(2)));

    List<ProfiledEvent> out = h.extractOutputValues();
    assertThat(out)
        .extracting(p -> p.profile().statedUse())
        .containsExactly("math homework tutor", "general purpose assistant");
    assertThat(out.get(0).statedUse().embedding()).isNotEqualTo(out.get(1).statedUse().embedding());
    assertThat(h.numKeyedStateEntries()).isEqualTo(1);
  }

  @Test
  void aTombstoneDeletesTheProfileAndLaterEventsGoWithoutOne() throws Exception {
    h.processWatermark2(new Watermark(Long.MAX_VALUE));
    h.processElement2(profile("a", "math homework tutor"), ts(0));
    h.processElement1(event("e1", "a", 1), ts(1));
    h.processWatermark1(new Watermark(ts(1)));
    h.processElement2(ProfileUpdate.delete("a"), ts(2));
    h.processElement2(ProfileUpdate.delete("never-had-one"), ts(2));
    h.processElement1(event("e2", "a", 2), ts(2));
    h.processWatermark1(new Watermark(ts(2)));

    List<ProfiledEvent> out = h.extractOutputValues();
    assertThat(out).extracting(p -> p.event().eventId()).containsExactly("e1", "e2");
    assertThat(out.get(0).profile()).isNotNull();
    assertThat(out.get(1).profile()).isNull();
    assertThat(out.get(1).statedUse()).isNull();
    assertThat(h.numKeyedStateEntries()).as("no state left for either account").isZero();
  }

  @Test
  void aLateEventIsJoinedAtOnce() throws Exception {
    h.processElement2(profile("a", "general purpose assistant"), ts(0));
    h.processWatermark2(new Watermark(Long.MAX_VALUE));
    h.processWatermark1(new Watermark(ts(50)));
    h.processElement1(event("late", "a", 10), ts(10));

    assertThat(h.extractOutputValues())
        .singleElement()
        .satisfies(p -> assertThat(p.profile()).isNotNull());
    assertThat(h.numEventTimeTimers()).isZero();
  }

  @Test
  void aProfileNotRenewedWithinItsTtlIsForgotten() throws Exception {
    h.setStateTtlProcessingTime(0);
    h.processElement2(profile("a", "general purpose assistant"), ts(0));
    h.processWatermark2(new Watermark(Long.MAX_VALUE));
    h.setStateTtlProcessingTime(Duration.ofHours(2).toMillis());
    h.processElement1(event("e1", "a", 1), ts(1));
    h.processWatermark1(new Watermark(ts(1)));

    assertThat(h.extractOutputValues())
        .singleElement()
        .satisfies(p -> assertThat(p.profile()).isNull());
  }

  @Test
  void aProfileThatCarriesItsStatedUseVectorJoinsExactlyAsTheSameProfileEmbeddedHere()
      throws Exception {
    String use = "math homework tutor for high-school students";
    // the vector a gateway computed with the same model
    float[] vector = model.embed(use);
    h.processElement2(profile("text", use), ts(0));
    h.processElement2(
        ProfileUpdate.replace(
            new io.distillguard.contract.AccountProfile("vector", use, null, null, null, null)
                .withStatedUseEmbedding(vector)),
        ts(0));
    h.processElement1(event("e1", "text", 1), ts(1));
    h.processElement1(event("e2", "vector", 1), ts(1));
    h.processWatermark1(new Watermark(Long.MAX_VALUE));
    h.processWatermark2(new Watermark(Long.MAX_VALUE));

    List<ProfiledEvent> out = h.extractOutputValues();
    ProfiledEvent text =
        out.stream().filter(p -> p.event().eventId().equals("e1")).findFirst().get();
    ProfiledEvent carried =
        out.stream().filter(p -> p.event().eventId().equals("e2")).findFirst().get();
    assertThat(carried.statedUse().categoryShares())
        .containsExactly(text.statedUse().categoryShares());
    assertThat(carried.statedUse().embedding()).containsExactly(text.statedUse().embedding());
    // the joined profile does not carry the vector on (it lives in the derived stated use)
    assertThat(carried.profile().statedUseEmbedding()).isNull();
    assertThat(carried.profile().statedUse()).isEqualTo(use);
  }
}
