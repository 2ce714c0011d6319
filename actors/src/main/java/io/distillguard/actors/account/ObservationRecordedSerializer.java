package io.distillguard.actors.account;

import io.distillguard.actors.account.AccountEntity.Event;
import io.distillguard.actors.account.AccountEntity.LevelChanged;
import io.distillguard.actors.account.AccountEntity.ObservationRecorded;
import io.distillguard.actors.account.AccountEntity.ObservationsRecorded;
import io.distillguard.detect.DetectionState;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Decision;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.distillguard.policy.ThrottlePlan;
import io.distillguard.signals.EventTimeSettings;
import io.distillguard.signals.SignalSnapshot;
import java.io.NotSerializableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The account journal's observation events, {@link ObservationRecorded} (one counted observation)
 * and {@link ObservationsRecorded} (a chunk: the observations and level changes one command
 * decided, each fact in the same form as on its own), in a compact binary form instead of Jackson
 * CBOR with field names: no field names, varints for counts and times, floats and doubles as their
 * raw bits (so every value reads back bit for bit), a presence bit per optional field, and a short
 * manifest. The decision, journaled whenever it differs from the previous one (at WATCH and above
 * most observations, since its reasons carry the signals' values), is its level, its reasons and
 * its throttle plan, field by field.
 *
 * <p>Journals written before keep their events as Jackson CBOR: the journal stores each event's
 * serializer id, so those rows are still read by the Jackson serializer, and both forms fold into
 * the same state ({@link AccountEvents}).
 *
 * <p>Format {@value #MANIFEST}: bumping the format means a new manifest, and this class keeps
 * reading every manifest it ever wrote.
 */
public final class ObservationRecordedSerializer extends SerializerWithStringManifest {

  /** The serializer id (configured in {@code reference.conf}; ids below 40 are Pekko's). */
  public static final int ID = 7301;

  /** Manifest of format 1. */
  static final String MANIFEST = "OR1";

  /** Manifest of a chunk ({@link ObservationsRecorded}), format 1. */
  static final String CHUNK_MANIFEST = "ORC1";

  private static final int FACT_OBSERVATION = 0;
  private static final int FACT_LEVEL = 1;

  // Presence bits of the optional fields.
  private static final int PROMPT_TOKENS = 1;
  private static final int COMPLETION_TOKENS = 1 << 1;
  private static final int RESPONSE_ENTROPY = 1 << 2;
  private static final int API_KEY = 1 << 3;
  private static final int CLIENT_IP = 1 << 4;
  private static final int USER_AGENT = 1 << 5;
  private static final int ORG = 1 << 6;
  private static final int VERIFIED_AT = 1 << 7;
  private static final int SHARES = 1 << 8;
  private static final int TAXONOMY_VERSION = 1 << 9;
  private static final int LINK_KEYS = 1 << 10;
  private static final int HYSTERESIS = 1 << 11;
  private static final int DECISION = 1 << 12;
  private static final int POLICY_VERSION = 1 << 13;
  private static final int EVENT_TIME = 1 << 14;
  private static final int CATEGORY = 1 << 15;
  // Written after every older field, so events from before it read unchanged.
  private static final int SIGNUP_AT = 1 << 16;

  public ObservationRecordedSerializer() {}

  @Override
  public int identifier() {
    return ID;
  }

  @Override
  public String manifest(Object o) {
    return o instanceof ObservationsRecorded ? CHUNK_MANIFEST : MANIFEST;
  }

  @Override
  public byte[] toBinary(Object o) {
    JournalBytes.Out out = new JournalBytes.Out();
    if (o instanceof ObservationRecorded e) {
      writeRecorded(out, e);
    } else if (o instanceof ObservationsRecorded chunk) {
      writeChunk(out, chunk);
    } else {
      throw new IllegalArgumentException("not an account observation event: " + o.getClass());
    }
    return out.toByteArray();
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    JournalBytes.In in = new JournalBytes.In(bytes);
    Object event;
    if (MANIFEST.equals(manifest)) {
      event = readRecorded(in);
    } else if (CHUNK_MANIFEST.equals(manifest)) {
      event = readChunk(in);
    } else {
      throw new NotSerializableException("unknown account journal manifest " + manifest);
    }
    in.end();
    return event;
  }

  /**
   * A chunk: the number of facts, then each as a kind byte ({@value #FACT_OBSERVATION}: an
   * observation, written as {@link #writeRecorded}; {@value #FACT_LEVEL}: a level change, {@link
   * #writeLevelChanged}).
   */
  private static void writeChunk(JournalBytes.Out out, ObservationsRecorded chunk) {
    out.varint(chunk.facts().size());
    for (Event f : chunk.facts()) {
      if (f instanceof ObservationRecorded r) {
        out.varint(FACT_OBSERVATION);
        writeRecorded(out, r);
      } else {
        out.varint(FACT_LEVEL);
        writeLevelChanged(out, (LevelChanged) f);
      }
    }
  }

  private static ObservationsRecorded readChunk(JournalBytes.In in) {
    int n = in.varint32();
    List<Event> facts = new ArrayList<>(Math.min(n, 4096));
    for (int i = 0; i < n; i++) {
      int kind = in.varint32();
      facts.add(
          switch (kind) {
            case FACT_OBSERVATION -> readRecorded(in);
            case FACT_LEVEL -> readLevelChanged(in);
            default -> throw new IllegalArgumentException("unknown chunk fact kind " + kind);
          });
    }
    return new ObservationsRecorded(facts);
  }

  /**
   * A level change: presence bits (decision, signals, policy version, escalation), the levels, the
   * event id, the decision as {@link #writeDecision}, the signals (count, event time, the values
   * sorted by name) and the policy version.
   */
  private static void writeLevelChanged(JournalBytes.Out out, LevelChanged e) {
    int present =
        (e.decision() != null ? 1 : 0)
            | (e.signals() != null ? 2 : 0)
            | (e.policyVersion() != null ? 4 : 0)
            | (e.escalation() ? 8 : 0);
    out.varint(present).string(e.from().name()).string(e.to().name()).string(e.eventId());
    if (e.decision() != null) {
      writeDecision(out, e.decision());
    }
    if (e.signals() != null) {
      SignalSnapshot sig = e.signals();
      out.signed(sig.queriesObserved()).signed(sig.eventTimeMillis()).varint(sig.values().size());
      new TreeMap<>(sig.values()).forEach((name, v) -> out.string(name).float64(v));
    }
    optional(out, e.policyVersion());
  }

  private static LevelChanged readLevelChanged(JournalBytes.In in) {
    int present = in.varint32();
    Level from = Level.valueOf(in.string());
    Level to = Level.valueOf(in.string());
    String eventId = in.string();
    Decision decision = (present & 1) != 0 ? readDecision(in) : null;
    SignalSnapshot signals = null;
    if ((present & 2) != 0) {
      long queries = in.signed();
      long at = in.signed();
      int n = in.varint32();
      Map<String, Double> values = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        values.put(in.string(), in.float64());
      }
      signals = new SignalSnapshot(queries, at, values);
    }
    String policyVersion = (present & 4) != 0 ? in.string() : null;
    return new LevelChanged(
        from, to, eventId, decision, signals, policyVersion, (present & 8) != 0);
  }

  private static void writeRecorded(JournalBytes.Out out, ObservationRecorded e) {
    AccountObservation ob = e.observation();
    int present = 0;
    present |= ob.promptTokens() != null ? PROMPT_TOKENS : 0;
    present |= ob.completionTokens() != null ? COMPLETION_TOKENS : 0;
    present |= ob.responseEntropy() != null ? RESPONSE_ENTROPY : 0;
    present |= ob.apiKeyId() != null ? API_KEY : 0;
    present |= ob.clientIp() != null ? CLIENT_IP : 0;
    present |= ob.userAgent() != null ? USER_AGENT : 0;
    present |= ob.orgId() != null ? ORG : 0;
    present |= ob.verifiedAtMillis() != null ? VERIFIED_AT : 0;
    present |= ob.statedUseCategoryShares() != null ? SHARES : 0;
    present |= ob.taxonomyVersion() != null ? TAXONOMY_VERSION : 0;
    present |= ob.linkKeys() != null ? LINK_KEYS : 0;
    present |= e.hysteresis() != null ? HYSTERESIS : 0;
    present |= e.decision() != null ? DECISION : 0;
    present |= e.policyVersion() != null ? POLICY_VERSION : 0;
    present |= e.eventTime() != null ? EVENT_TIME : 0;
    present |= ob.category() != null ? CATEGORY : 0;
    present |= ob.signupMillis() != null ? SIGNUP_AT : 0;

    out.varint(present);
    out.string(ob.eventId()).string(ob.accountId()).signed(ob.eventTimeMillis());
    if (ob.category() != null) {
      out.string(ob.category());
    }
    out.float32(ob.categorySimilarity()).float32(ob.statedUseSimilarity());
    out.fixed64(ob.lshSignature()).fixed64(ob.templateFingerprint()).signed(ob.promptChars());
    if (ob.promptTokens() != null) {
      out.signed(ob.promptTokens());
    }
    if (ob.completionTokens() != null) {
      out.signed(ob.completionTokens());
    }
    if (ob.responseEntropy() != null) {
      out.float64(ob.responseEntropy());
    }
    optional(out, ob.apiKeyId());
    optional(out, ob.clientIp());
    optional(out, ob.userAgent());
    optional(out, ob.orgId());
    if (ob.verifiedAtMillis() != null) {
      out.signed(ob.verifiedAtMillis());
    }
    if (ob.statedUseCategoryShares() != null) {
      out.varint(ob.statedUseCategoryShares().length);
      for (float f : ob.statedUseCategoryShares()) {
        out.float32(f);
      }
    }
    optional(out, ob.taxonomyVersion());
    if (ob.linkKeys() != null) {
      out.varint(ob.linkKeys().length);
      for (String k : ob.linkKeys()) {
        out.string(k);
      }
    }
    out.signed(e.queriesObserved());
    if (e.hysteresis() != null) {
      DetectionState.Hysteresis h = e.hysteresis();
      out.string(h.level().name()).signed(h.levelSinceMillis()).signed(h.lastSupportedMillis());
      // Sorted, so the same hysteresis always has the same bytes.
      Map<String, DetectionState.RuleHold> holds = new TreeMap<>(h.holds());
      out.varint(holds.size());
      holds.forEach(
          (rule, hold) -> out.string(rule).signed(hold.consecutive()).signed(hold.sinceMillis()));
    }
    if (e.decision() != null) {
      writeDecision(out, e.decision());
    }
    optional(out, e.policyVersion());
    if (e.eventTime() != null) {
      out.signed(e.eventTime().allowedLatenessMillis()).signed(e.eventTime().maxJumpMillis());
    }
    out.float64(e.evidenceScore());
    if (ob.signupMillis() != null) {
      out.signed(ob.signupMillis());
    }
  }

  private static ObservationRecorded readRecorded(JournalBytes.In in) {
    int present = in.varint32();
    String eventId = in.string();
    String accountId = in.string();
    long eventTime = in.signed();
    String category = (present & CATEGORY) != 0 ? in.string() : null;
    float categorySimilarity = in.float32();
    float statedUseSimilarity = in.float32();
    long lsh = in.fixed64();
    long template = in.fixed64();
    int promptChars = Math.toIntExact(in.signed());
    Integer promptTokens = (present & PROMPT_TOKENS) != 0 ? Math.toIntExact(in.signed()) : null;
    Integer completionTokens =
        (present & COMPLETION_TOKENS) != 0 ? Math.toIntExact(in.signed()) : null;
    Double entropy = (present & RESPONSE_ENTROPY) != 0 ? in.float64() : null;
    String apiKey = (present & API_KEY) != 0 ? in.string() : null;
    String clientIp = (present & CLIENT_IP) != 0 ? in.string() : null;
    String userAgent = (present & USER_AGENT) != 0 ? in.string() : null;
    String org = (present & ORG) != 0 ? in.string() : null;
    Long verifiedAt = (present & VERIFIED_AT) != 0 ? in.signed() : null;
    float[] shares = null;
    if ((present & SHARES) != 0) {
      shares = new float[in.varint32()];
      for (int i = 0; i < shares.length; i++) {
        shares[i] = in.float32();
      }
    }
    String taxonomyVersion = (present & TAXONOMY_VERSION) != 0 ? in.string() : null;
    String[] linkKeys = null;
    if ((present & LINK_KEYS) != 0) {
      linkKeys = new String[in.varint32()];
      for (int i = 0; i < linkKeys.length; i++) {
        linkKeys[i] = in.string();
      }
    }
    long queriesObserved = in.signed();
    DetectionState.Hysteresis hysteresis = null;
    if ((present & HYSTERESIS) != 0) {
      Level level = Level.valueOf(in.string());
      long levelSince = in.signed();
      long lastSupported = in.signed();
      int n = in.varint32();
      Map<String, DetectionState.RuleHold> holds = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        holds.put(
            in.string(), new DetectionState.RuleHold(Math.toIntExact(in.signed()), in.signed()));
      }
      hysteresis = new DetectionState.Hysteresis(level, levelSince, lastSupported, holds);
    }
    Decision decision = (present & DECISION) != 0 ? readDecision(in) : null;
    String policyVersion = (present & POLICY_VERSION) != 0 ? in.string() : null;
    EventTimeSettings eventTimeSettings =
        (present & EVENT_TIME) != 0 ? new EventTimeSettings(in.signed(), in.signed()) : null;
    double evidenceScore = in.float64();
    Long signupAt = (present & SIGNUP_AT) != 0 ? in.signed() : null;
    return new ObservationRecorded(
        new AccountObservation(
            eventId,
            accountId,
            eventTime,
            category,
            categorySimilarity,
            statedUseSimilarity,
            lsh,
            template,
            promptChars,
            promptTokens,
            completionTokens,
            entropy,
            apiKey,
            clientIp,
            userAgent,
            org,
            verifiedAt,
            shares,
            taxonomyVersion,
            linkKeys,
            signupAt),
        queriesObserved,
        hysteresis,
        decision,
        policyVersion,
        eventTimeSettings,
        evidenceScore);
  }

  private static void optional(JournalBytes.Out out, String s) {
    if (s != null) {
      out.string(s);
    }
  }

  /**
   * A decision: its level, its reasons in order (rule, signal, value, threshold) and its throttle
   * plan if any (category shares sorted by category, the time to live).
   */
  private static void writeDecision(JournalBytes.Out out, Decision d) {
    out.string(d.level().name()).varint(d.reasons().size());
    for (Reason r : d.reasons()) {
      out.string(r.rule()).string(r.signal()).float64(r.value()).float64(r.threshold());
    }
    if (d.throttle().isEmpty()) {
      out.varint(0);
      return;
    }
    ThrottlePlan plan = d.throttle().get();
    out.varint(1).varint(plan.categoryShares().size());
    new TreeMap<>(plan.categoryShares()).forEach((c, share) -> out.string(c).float64(share));
    out.signed(plan.ttl().getSeconds()).varint(plan.ttl().getNano());
  }

  private static Decision readDecision(JournalBytes.In in) {
    Level level = Level.valueOf(in.string());
    int n = in.varint32();
    List<Reason> reasons = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      reasons.add(new Reason(in.string(), in.string(), in.float64(), in.float64()));
    }
    Optional<ThrottlePlan> throttle = Optional.empty();
    if (in.varint32() == 1) {
      int shares = in.varint32();
      Map<String, Double> categoryShares = new TreeMap<>();
      for (int i = 0; i < shares; i++) {
        categoryShares.put(in.string(), in.float64());
      }
      throttle =
          Optional.of(
              new ThrottlePlan(categoryShares, Duration.ofSeconds(in.signed(), in.varint32())));
    }
    return new Decision(level, reasons, throttle);
  }
}
