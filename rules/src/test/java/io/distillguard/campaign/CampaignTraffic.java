package io.distillguard.campaign;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.fixtures.PromptSamples;
import io.distillguard.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds campaign scenarios from the fixtures' real prompts and plays them through a {@link
 * CampaignDetector} in event-time order. Categories are coarse labels of the samples: an MMLU
 * subject, or the source of any other sample.
 */
final class CampaignTraffic {

  static final Instant T0 = Instant.parse("2026-10-05T00:00:00Z");

  /** A prompt with its category label. */
  record Prompt(String text, String category) {}

  private record Step(long at, int order, Runnable action) {}

  static final Map<String, List<Prompt>> BY_CATEGORY = new LinkedHashMap<>();

  static {
    for (String source : PromptSamples.SOURCES) {
      for (PromptSamples.Row r : PromptSamples.rows(source)) {
        String category = source.equals("mmlu") ? "mmlu:" + r.domain() : source;
        BY_CATEGORY
            .computeIfAbsent(category, k -> new ArrayList<>())
            .add(new Prompt(r.text(), category));
      }
    }
  }

  /** Every category label (the taxonomy of these tests). */
  static List<String> categories() {
    return List.copyOf(BY_CATEGORY.keySet());
  }

  /** MMLU subjects with at least {@code min} prompts, in a stable order. */
  static List<String> subjects(int min) {
    List<String> out = new ArrayList<>();
    BY_CATEGORY.forEach(
        (c, rows) -> {
          if (c.startsWith("mmlu:") && rows.size() >= min) {
            out.add(c);
          }
        });
    return out;
  }

  /** Distinct, unrelated stated uses, as unrelated customers write them. */
  static final List<String> STATED_USES =
      List.of(
          "Customer support chatbot for a regional bank's card holders",
          "Summarising clinical notes for our outpatient clinic",
          "Code review suggestions inside our CI pipeline",
          "Math tutoring for middle school pupils",
          "Drafting replies to hotel guest emails",
          "Smart home voice assistant commands",
          "Answering questions about our travel booking policies",
          "Generating unit tests for legacy Python services",
          "Helping nurses look up medication information",
          "Writing product descriptions for a furniture shop",
          "Internal HR policy question answering",
          "Explaining tax forms to freelancers",
          "Recipe suggestions for a meal-kit delivery service",
          "Legal contract clause extraction for a law firm",
          "Tutoring high schoolers preparing for physics exams",
          "Classifying support tickets by urgency",
          "Translating restaurant menus for tourists",
          "Personal fitness coaching messages",
          "Chat assistant for a hardware store's website",
          "Research assistant for a university chemistry lab",
          "Writing marketing emails for an online bookshop",
          "Diagnosing printer errors for an IT helpdesk",
          "Language learning exercises in Spanish",
          "Insurance claim intake conversations",
          "Onboarding questions from new employees at a logistics company",
          "Summaries of quarterly earnings calls for analysts",
          "Home gardening advice for hobby growers",
          "Grammar checking for student essays",
          "Game master assistant for tabletop role playing",
          "Support bot for a mobile phone carrier",
          "Answering parents' questions about a daycare",
          "SQL query help for our data analysts",
          "Veterinary clinic appointment assistant",
          "Trivia question generation for pub quizzes",
          "Real estate listing descriptions",
          "Accessibility alt-text for a news website",
          "Helping volunteers at a food bank schedule shifts",
          "Study buddy for nursing school coursework",
          "Troubleshooting guide for e-bike owners",
          "Airline baggage policy questions",
          "Personal journaling prompts",
          "Helping small farmers with crop planning");

  final CampaignDetector detector;
  final Random rng;
  private final List<Step> steps = new ArrayList<>();
  private final List<CampaignDetector.Update> updates = new ArrayList<>();
  private final Map<String, Long> queriesSent = new LinkedHashMap<>();
  private final Map<CampaignDetector.Update, Long> sentAtUpdate = new java.util.HashMap<>();
  private long sentTotal;
  private final Map<String, AccountProfile> profiles = new java.util.HashMap<>();
  private boolean viaObservations;
  private int order;
  private int events;

  CampaignTraffic(long seed) {
    this(Policy.loadDefault(), seed);
  }

  CampaignTraffic(Policy policy, long seed) {
    this(() -> policy, seed);
  }

  CampaignTraffic(java.util.function.Supplier<Policy> policy, long seed) {
    this.detector = new CampaignDetector(policy, categories());
    this.rng = new Random(seed);
  }

  /**
   * One account of a scenario, built step by step: its profile (stated use, what it expects,
   * organisation, sign-up time and address) and its queries (how many, from which categories, when,
   * through which wrapper, addresses and client string). {@link Account#signedUp} queues the
   * profile (so call {@link Account#states} and {@link Account#org} before it), {@link
   * Account#add()} the queries: the scenario's random draws come in the order the steps are
   * written.
   */
  final class Account {
    private final String id;
    private String statedUse = "Study helper app";
    private Set<String> expected = Set.of();
    private String org;
    private Instant start = T0;
    private Duration spread = Duration.ofDays(2);
    private int queries;
    private List<String> categories = List.of();
    private String wrapper;
    private List<String> ips = List.of("192.0.2.1");
    private String userAgent = "Mozilla/5.0";
    private boolean transcript;

    private Account(String id) {
      this.id = id;
    }

    /** What the profile states, and the categories that stated use makes likely. */
    Account states(String use, Set<String> expects) {
      this.statedUse = use;
      this.expected = expects;
      return this;
    }

    Account org(String organisation) {
      this.org = organisation;
      return this;
    }

    /**
     * Signed up at {@code at}, from {@code ip} (null: the profile names no sign-up address): queues
     * the profile.
     */
    Account signedUp(Instant at, String ip) {
      profile(id, statedUse, org, at, expected, ip);
      return this;
    }

    /** {@code n} queries from {@code from}, spread over {@code over} from {@code first}. */
    Account asks(int n, List<String> from, Instant first, Duration over) {
      this.queries = n;
      this.categories = from;
      this.start = first;
      this.spread = over;
      return this;
    }

    /** Every prompt wrapped by {@code template} ({@code %s}: the prompt). */
    Account wrappedIn(String template) {
      this.wrapper = template;
      return this;
    }

    /**
     * Every prompt after the first resent with the conversation before it, as a chat app does:
     * "Conversation so far:\nUser: (the previous request, at most 200 characters)\n\nUser: (the
     * request)".
     */
    Account inTranscript() {
      this.transcript = true;
      return this;
    }

    /** Calls from {@code addresses} (one picked per query) with client string {@code agent}. */
    Account via(List<String> addresses, String agent) {
      this.ips = addresses;
      this.userAgent = agent;
      return this;
    }

    /** Queues the queries; returns the account id. */
    String add() {
      if (queries > 0) {
        CampaignTraffic.this.queries(
            id, start, spread, queries, categories, wrapper, ips, userAgent, transcript);
      }
      return id;
    }
  }

  /** A new account of the scenario (see {@link Account}). */
  Account account(String id) {
    return new Account(id);
  }

  /**
   * Twenty unrelated apps built from one open-source prompt template: each its own domain, stated
   * use, sign-up day, address and client; {@code wrapper} around every prompt, resent in a
   * conversation transcript when {@code transcript}. Returns their ids.
   */
  List<String> openSourceTemplateApps(String prefix, String wrapper, boolean transcript) {
    List<String> categories = List.copyOf(BY_CATEGORY.keySet());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String id = prefix + i;
      ids.add(id);
      String category = categories.get((i * 7) % categories.size());
      Account app =
          account(id)
              .states(STATED_USES.get(STATED_USES.size() - 1 - i), Set.of(category))
              .signedUp(T0.minus(Duration.ofDays(10 + 17L * i)), null)
              .asks(60, List.of(category), T0, Duration.ofDays(2))
              .wrappedIn(wrapper.replace("{i}", Integer.toString(i)));
      if (transcript) {
        app.inTranscript();
      }
      app.via(List.of("172.16." + i + ".9"), "Mozilla/5.0 app-" + i).add();
    }
    return ids;
  }

  /** A profile arriving at its creation time. */
  void profile(
      String account,
      String statedUse,
      String org,
      Instant created,
      Set<String> expected,
      String signupIp) {
    AccountProfile p =
        new AccountProfile(
            account,
            statedUse,
            org,
            null,
            created,
            created.plus(Duration.ofMinutes(5 + rng.nextInt(20))),
            signupIp,
            null,
            null);
    steps.add(
        new Step(
            created.toEpochMilli(),
            order++,
            () -> {
              profiles.put(account, p);
              if (!viaObservations) {
                updates.addAll(detector.profile(p, expected, created.toEpochMilli()));
              }
            }));
  }

  /** {@code n} queries from {@code categories}, wrapped by {@code wrapper} ({@code %s}: prompt). */
  void queries(
      String account,
      Instant start,
      Duration spread,
      int n,
      List<String> categories,
      String wrapper,
      List<String> ips,
      String userAgent) {
    queries(account, start, spread, n, categories, wrapper, ips, userAgent, false);
  }

  /** As above; with {@code transcript}, each prompt after the first behind the previous one. */
  void queries(
      String account,
      Instant start,
      Duration spread,
      int n,
      List<String> categories,
      String wrapper,
      List<String> ips,
      String userAgent,
      boolean transcript) {
    String previous = null;
    for (int i = 0; i < n; i++) {
      String category = categories.get(rng.nextInt(categories.size()));
      List<Prompt> pool = BY_CATEGORY.get(category);
      Prompt p = pool.get(rng.nextInt(pool.size()));
      Instant at = start.plusMillis((long) (rng.nextDouble() * spread.toMillis()));
      String request = wrapper == null ? p.text() : String.format(wrapper, p.text());
      String text =
          transcript && previous != null
              ? "Conversation so far:\nUser: "
                  + previous.substring(0, Math.min(previous.length(), 200))
                  + "\n\nUser: "
                  + request
              : request;
      previous = request;
      QueryEvent e =
          new QueryEvent(
              account + "-e" + (events++),
              account,
              at,
              text,
              null,
              "key-" + account,
              null,
              null,
              null,
              null,
              new QueryEvent.ClientInfo(ips.get(rng.nextInt(ips.size())), userAgent));
      steps.add(
          new Step(
              at.toEpochMilli(),
              order++,
              () -> {
                queriesSent.merge(account, 1L, Long::sum);
                sentTotal++;
                List<CampaignDetector.Update> u =
                    viaObservations
                        ? detector.observe(observation(e, category))
                        : detector.observe(e, category);
                u.forEach(x -> sentAtUpdate.put(x, sentTotal));
                updates.addAll(u);
              }));
    }
  }

  /**
   * From now on, queries reach the detector as the ingest job's observations (link keys attached by
   * {@link ObservationLinks}, profiles only through them), as on the runtime path.
   */
  CampaignTraffic viaObservations() {
    viaObservations = true;
    return this;
  }

  private io.distillguard.observe.AccountObservation observation(QueryEvent e, String category) {
    AccountProfile p = profiles.get(e.accountId());
    var o =
        io.distillguard.enrich.QueryEnricher.observation(
            e, p, null, new io.distillguard.enrich.Enrichment(category, 0.5f, 0.5f, 0L, 0L, null));
    return ObservationLinks.attach(o, e, p, detector.extractor());
  }

  /** Plays every step queued so far in event-time order. */
  CampaignTraffic play() {
    steps.sort(Comparator.comparingLong(Step::at).thenComparingInt(Step::order));
    for (Step s : steps) {
      s.action().run();
    }
    steps.clear();
    return this;
  }

  /** Every campaign level change so far, in order. */
  List<CampaignDetector.Update> updates() {
    return updates;
  }

  /** Queries sent by all accounts when {@code u} came. */
  long sentAt(CampaignDetector.Update u) {
    return sentAtUpdate.getOrDefault(u, 0L);
  }

  long sent(String account) {
    return queriesSent.getOrDefault(account, 0L);
  }

  /** Accounts whose level through a campaign is above OK. */
  Set<String> flagged(List<String> accounts) {
    Set<String> out = new TreeSet<>();
    for (String a : accounts) {
      if (detector.memberLevel(a) != io.distillguard.policy.Level.OK) {
        out.add(a);
      }
    }
    return out;
  }
}
