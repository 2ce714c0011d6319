package io.distillguard.signals;

import io.distillguard.observe.AccountObservation;
import java.util.ArrayList;
import java.util.List;

/** Builds synthetic observations for detection tests. */
public final class Observations {
  public static final long T0 = 1_790_000_000_000L; // 2026-09-21, an arbitrary event-time origin

  public static List<String> categories(int k) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      names.add(String.format("c%02d", i));
    }
    return names;
  }

  /** A stated-use distribution concentrated on the given categories. */
  public static float[] statedShares(int k, int... focus) {
    float[] s = new float[k];
    for (int i = 0; i < k; i++) {
      s[i] = 0.002f;
    }
    for (int f : focus) {
      s[f] = 1.0f / focus.length;
    }
    return s;
  }

  /**
   * A stated-use distribution shaped like the enricher's: {@code mass} spread over the focus
   * categories, the rest uniform over the others (the enricher mixes in a uniform floor).
   */
  public static float[] realisticShares(int k, float mass, int... focus) {
    float[] s = new float[k];
    java.util.Arrays.fill(s, (1 - mass) / (k - focus.length));
    for (int f : focus) {
      s[f] = mass / focus.length;
    }
    return s;
  }

  /**
   * A stated-use distribution with a second tier: {@code focusMass} on the focus categories, {@code
   * nearMass} on related ones, the rest uniform over the others — the shape the enricher's softmax
   * gives a narrow stated use (its own categories, a few neighbours, the rest near the floor).
   */
  public static float[] tieredShares(
      int k, float focusMass, int[] focus, float nearMass, int[] near) {
    float[] s = new float[k];
    java.util.Arrays.fill(s, (1 - focusMass - nearMass) / (k - focus.length - near.length));
    for (int f : focus) {
      s[f] = focusMass / focus.length;
    }
    for (int n : near) {
      s[n] = nearMass / near.length;
    }
    return s;
  }

  /** A uniform stated-use distribution (a broad general assistant). */
  public static float[] uniformShares(int k) {
    float[] s = new float[k];
    java.util.Arrays.fill(s, 1.0f / k);
    return s;
  }

  private String eventId;
  private String accountId = "acct-1";
  private long time = T0;
  private String category = "c00";
  private float statedUseSimilarity = 0.5f;
  private float categorySimilarity = 0.6f;
  private long lsh;
  private long template;
  private Double responseEntropy;
  private Long verifiedAt;
  private float[] shares;

  public static Observations obs(String eventId) {
    Observations o = new Observations();
    o.eventId = eventId;
    o.lsh = Hashing.mix64(Hashing.hash(eventId));
    o.template = Hashing.hash("tpl-" + eventId);
    return o;
  }

  public Observations account(String a) {
    accountId = a;
    return this;
  }

  public Observations at(long millis) {
    time = millis;
    return this;
  }

  public Observations category(String c) {
    category = c;
    return this;
  }

  public Observations similarity(float s) {
    statedUseSimilarity = s;
    return this;
  }

  /** The prompt's similarity to its nearest category's centroid (0.6 unless set). */
  public Observations fit(float f) {
    categorySimilarity = f;
    return this;
  }

  public Observations lsh(long l) {
    lsh = l;
    return this;
  }

  public Observations template(long t) {
    template = t;
    return this;
  }

  public Observations entropy(Double e) {
    responseEntropy = e;
    return this;
  }

  public Observations verifiedAt(Long v) {
    verifiedAt = v;
    return this;
  }

  public Observations shares(float[] s) {
    shares = s;
    return this;
  }

  public AccountObservation build() {
    return new AccountObservation(
        eventId,
        accountId,
        time,
        category,
        categorySimilarity,
        statedUseSimilarity,
        lsh,
        template,
        120,
        40,
        300,
        responseEntropy,
        "key-1",
        "10.0.0.1",
        "sdk/1.0",
        "org-1",
        verifiedAt,
        shares,
        null,
        null,
        null);
  }
}
