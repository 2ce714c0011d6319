package io.distillguard.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.QueryEvent;
import io.distillguard.ingest.Descriptors;
import io.distillguard.ingest.IngestFixtures;
import io.distillguard.ingest.profile.ProfileUpdate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ParseFunctionsTest {

  @Test
  void validEventsPassAndEveryMalformedLineIsDeadLetteredWithItsReason() throws Exception {
    List<QueryEvent> events = IngestFixtures.events(IngestFixtures.accounts(3), 20, 7L);
    Map<String, String> malformed = IngestFixtures.malformedEvents();
    try (OneInputStreamOperatorTestHarness<String, QueryEvent> h =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new ParseEventsFunction("events.jsonl", ContractLimits.DEFAULT))) {
      for (QueryEvent e : events) {
        h.processElement(IngestFixtures.CODEC.writeEvent(e), 0L);
      }
      for (String line : malformed.keySet()) {
        h.processElement(line, 0L);
      }

      assertThat(h.extractOutputValues())
          .extracting(QueryEvent::eventId)
          .containsExactlyElementsOf(events.stream().map(QueryEvent::eventId).toList());
      List<DeadLetter> dead =
          h.getSideOutput(Descriptors.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
      assertThat(dead).hasSize(malformed.size());
      for (DeadLetter d : dead) {
        assertThat(d.source()).isEqualTo("events.jsonl");
        assertThat(malformed).containsKey(d.line());
        assertThat(d.reason()).contains(malformed.get(d.line()));
        assertThat(d.receivedAtMillis()).isPositive();
      }
    }
  }

  @Test
  void implausibleTimestampsAreDeadLetteredWithTheRuleTheyBreak() throws Exception {
    EventTimeRange range =
        new EventTimeRange(java.time.Instant.parse("2020-01-01T00:00:00Z"), Duration.ofHours(2));
    String future =
        java.time.Instant.ofEpochMilli(System.currentTimeMillis())
            .plus(Duration.ofHours(3))
            .toString();
    String soon =
        java.time.Instant.ofEpochMilli(System.currentTimeMillis())
            .plus(Duration.ofHours(1))
            .toString();
    try (OneInputStreamOperatorTestHarness<String, QueryEvent> h =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new ParseEventsFunction("events", ContractLimits.DEFAULT, range))) {
      for (String ts :
          List.of(
              "9999-12-31T23:59:59Z",
              "1970-01-01T00:00:00Z",
              future,
              soon,
              "2020-01-01T00:00:00Z")) {
        h.processElement(
            "{\"event_id\":\""
                + ts
                + "\",\"account_id\":\"a\",\"timestamp\":\""
                + ts
                + "\",\"prompt\":\"p\"}",
            0L);
      }
      assertThat(h.extractOutputValues())
          .extracting(QueryEvent::eventId)
          .containsExactly(soon, "2020-01-01T00:00:00Z");
      assertThat(h.getSideOutput(Descriptors.DEAD_LETTERS))
          .extracting(r -> r.getValue().reason())
          .containsExactly(
              "implausible timestamp: 9999-12-31T23:59:59Z is more than PT2H ahead of the clock"
                  + " (event-time.max-future)",
              "implausible timestamp: 1970-01-01T00:00:00Z is before 2020-01-01T00:00:00Z"
                  + " (event-time.not-before)",
              "implausible timestamp: "
                  + future
                  + " is more than PT2H ahead of the clock (event-time.max-future)");
    }
  }

  @Test
  void precomputedEmbeddingSurvivesParsing() throws Exception {
    float[] v = IngestFixtures.events(IngestFixtures.accounts(1), 10, 3L).get(9).embedding();
    assertThat(v).hasSize(384);
    try (OneInputStreamOperatorTestHarness<String, QueryEvent> h =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new ParseEventsFunction("events", ContractLimits.DEFAULT))) {
      QueryEvent e = IngestFixtures.events(IngestFixtures.accounts(1), 10, 3L).get(9);
      h.processElement(IngestFixtures.CODEC.writeEvent(e), 0L);
      assertThat(h.extractOutputValues())
          .singleElement()
          .satisfies(p -> assertThat(p.embedding()).containsExactly(v));
    }
  }

  @Test
  void aProfileTombstoneDeletesAndOneWithoutAValidKeyIsDeadLettered() throws Exception {
    try (OneInputStreamOperatorTestHarness<RawRecord, ProfileUpdate> h =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new ParseProfilesFunction("account-profiles", ContractLimits.DEFAULT))) {
      h.processElement(new RawRecord("acct|1", null), 0L);
      h.processElement(new RawRecord(null, null), 0L);
      h.processElement(new RawRecord("x".repeat(200), null), 0L);
      h.processElement(new RawRecord("acct-2", ""), 0L);

      assertThat(h.extractOutputValues()).containsExactly(ProfileUpdate.delete("acct|1"));
      assertThat(h.getSideOutput(Descriptors.DEAD_LETTERS))
          .extracting(r -> r.getValue().reason())
          .containsExactly(
              "tombstone without a valid account id key: no key",
              "tombstone without a valid account id key: field id is 200 characters, limit 128",
              "not JSON: empty line");
    }
  }

  @Test
  void profilesParseAndMalformedProfilesAreDeadLettered() throws Exception {
    List<AccountProfile> profiles = IngestFixtures.profiles(IngestFixtures.accounts(4));
    Map<String, String> malformed = IngestFixtures.malformedProfiles();
    try (OneInputStreamOperatorTestHarness<RawRecord, ProfileUpdate> h =
        ProcessFunctionTestHarnesses.forProcessFunction(
            new ParseProfilesFunction("profiles.jsonl", ContractLimits.DEFAULT))) {
      for (AccountProfile p : profiles) {
        h.processElement(RawRecord.line(IngestFixtures.CODEC.writeProfile(p)), 0L);
      }
      for (String line : malformed.keySet()) {
        h.processElement(RawRecord.line(line), 0L);
      }
      assertThat(h.extractOutputValues())
          .containsExactlyElementsOf(profiles.stream().map(ProfileUpdate::replace).toList());
      List<DeadLetter> dead =
          h.getSideOutput(Descriptors.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
      assertThat(dead).hasSize(malformed.size());
      dead.forEach(
          d -> {
            assertThat(d.source()).isEqualTo("profiles.jsonl");
            assertThat(d.reason()).contains(malformed.get(d.line()));
          });
    }
  }
}
