package io.distillguard.launcher.demo;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.QueryEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Generates the demo's traffic in the v1 contract: ordinary domain apps (including the hard cases:
 * a templated batch pipeline at machine rate and a broad general assistant) next to distillation
 * campaigns of several shapes. Deterministic for a given seed.
 */
public final class DemoTraffic {

  /** When the demo's traffic starts (event time). */
  public static final Instant START = Instant.parse("2026-10-05T00:00:00Z");

  /** The shape of one account's traffic. */
  public enum Kind {
    DOMAIN_APP(false),
    BATCH_PIPELINE(false),
    GENERAL_ASSISTANT(false),
    FAST_SWEEP(true),
    SLOW_SWEEP(true),
    RAMP_AFTER_VERIFICATION(true),
    DILUTED_SWEEP(true);

    private final boolean campaign;

    Kind(boolean campaign) {
      this.campaign = campaign;
    }

    public boolean isCampaign() {
      return campaign;
    }
  }

  /** One generated account: its id, what it declared, its kind and how many queries it sent. */
  public record DemoAccount(String accountId, String statedUse, Kind kind, int queries) {}

  /** Where the traffic was written, and the accounts in it. */
  public record Written(Path profiles, Path events, List<DemoAccount> accounts) {}

  private record Plan(
      String accountId,
      String statedUse,
      Kind kind,
      List<String> topics,
      int queries,
      Duration meanGap,
      boolean machineTiming,
      Duration verifiedAfter) {}

  private static final List<Plan> PLANS =
      List.of(
          new Plan(
              "acct-skyways-support",
              "Customer support chatbot for SkyWays Airlines: bookings, baggage, flight changes "
                  + "and refunds.",
              Kind.DOMAIN_APP,
              List.of("travel-support"),
              420,
              Duration.ofSeconds(50),
              false,
              null),
          new Plan(
              "acct-ledgerly-bank",
              "Banking assistant in our mobile app answering questions about cards, transfers "
                  + "and fees.",
              Kind.DOMAIN_APP,
              List.of("banking"),
              380,
              Duration.ofSeconds(55),
              false,
              null),
          new Plan(
              "acct-codepilot",
              "IDE plugin that explains, tests and fixes Python and JavaScript code for "
                  + "developers.",
              Kind.DOMAIN_APP,
              List.of("code"),
              450,
              Duration.ofSeconds(45),
              false,
              null),
          new Plan(
              "acct-recipebox",
              "Recipe and meal-planning assistant inside a cooking app.",
              Kind.DOMAIN_APP,
              List.of("cooking"),
              300,
              Duration.ofSeconds(70),
              false,
              null),
          new Plan(
              "acct-ticket-tagger",
              "Nightly pipeline that classifies e-commerce customer support tickets into "
                  + "categories.",
              Kind.BATCH_PIPELINE,
              List.of("tickets"),
              600,
              Duration.ofSeconds(2),
              true,
              null),
          new Plan(
              "acct-acme-helpdesk",
              "General-purpose AI assistant for our employees: writing, coding, analysis, "
                  + "translation and research questions.",
              Kind.GENERAL_ASSISTANT,
              DemoTemplates.ASSISTANT_TOPICS,
              400,
              Duration.ofSeconds(50),
              false,
              null),
          new Plan(
              "acct-stride-shoes",
              "Customer service bot for an online shoe store.",
              Kind.FAST_SWEEP,
              DemoTemplates.SWEEP_TOPICS,
              700,
              Duration.ofSeconds(3),
              true,
              null),
          new Plan(
              "acct-wanderly",
              "Travel planning assistant that suggests itineraries.",
              Kind.SLOW_SWEEP,
              DemoTemplates.SWEEP_TOPICS,
              450,
              Duration.ofSeconds(45),
              false,
              null),
          new Plan(
              "acct-quietstart",
              "Recipe suggestions for a food blog.",
              Kind.RAMP_AFTER_VERIFICATION,
              DemoTemplates.SWEEP_TOPICS,
              650,
              Duration.ofSeconds(4),
              true,
              Duration.ofHours(2)),
          new Plan(
              "acct-lexassist",
              "Legal document assistant for a law firm: contracts and leases.",
              Kind.DILUTED_SWEEP,
              DemoTemplates.SWEEP_TOPICS,
              600,
              Duration.ofSeconds(20),
              false,
              null));

  private DemoTraffic() {}

  /**
   * Writes {@code profiles.jsonl} and {@code events.jsonl} (ordered by event time) into {@code
   * dir}.
   *
   * @param scale multiplies every account's query count (1.0 = the full demo, ~5k events)
   */
  public static Written write(Path dir, long seed, double scale) {
    ContractCodec codec = new ContractCodec(ContractLimits.DEFAULT);
    Random random = new Random(seed);
    List<QueryEvent> events = new ArrayList<>();
    List<AccountProfile> profiles = new ArrayList<>();
    List<DemoAccount> accounts = new ArrayList<>();
    for (Plan plan : PLANS) {
      int queries = Math.max(20, (int) Math.round(plan.queries() * scale));
      Instant created = START.minus(Duration.ofDays(3 + random.nextInt(30)));
      Instant verified =
          plan.verifiedAfter() == null
              ? created.plus(Duration.ofDays(1))
              : START.plus(plan.verifiedAfter());
      profiles.add(
          new AccountProfile(
              plan.accountId(),
              plan.statedUse(),
              "org-" + plan.accountId().substring(5),
              "standard",
              created,
              verified));
      events.addAll(eventsOf(plan, queries, verified, random));
      accounts.add(new DemoAccount(plan.accountId(), plan.statedUse(), plan.kind(), queries));
    }
    events.sort(Comparator.comparing(QueryEvent::timestamp));
    try {
      Files.createDirectories(dir);
      Path profilesFile = dir.resolve("profiles.jsonl");
      Path eventsFile = dir.resolve("events.jsonl");
      try (BufferedWriter out = Files.newBufferedWriter(profilesFile)) {
        for (AccountProfile p : profiles) {
          out.write(codec.writeProfile(p));
          out.newLine();
        }
      }
      try (BufferedWriter out = Files.newBufferedWriter(eventsFile)) {
        for (QueryEvent e : events) {
          out.write(codec.writeEvent(e));
          out.newLine();
        }
      }
      return new Written(profilesFile, eventsFile, List.copyOf(accounts));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write demo traffic to " + dir, e);
    }
  }

  private static List<QueryEvent> eventsOf(
      Plan plan, int queries, Instant verified, Random random) {
    List<QueryEvent> out = new ArrayList<>(queries);
    String ip = "203.0." + random.nextInt(255) + "." + random.nextInt(255);
    String agent = random.nextBoolean() ? "openai-python/1.54.3" : "OpenAI/NodeJS/4.73.0";
    String ownTopic = plan.kind() == Kind.DILUTED_SWEEP ? "legal" : null;
    long t = START.toEpochMilli() + random.nextInt(600_000);
    for (int i = 0; i < queries; i++) {
      t += gapMillis(plan, i, queries, verified, t, random);
      String topic = topicOf(plan, i, ownTopic, random);
      String prompt = DemoTemplates.prompt(topic, random);
      int promptTokens = Math.max(4, prompt.length() / 4);
      int completionTokens = 60 + random.nextInt(700);
      out.add(
          new QueryEvent(
              plan.accountId() + "-" + i,
              plan.accountId(),
              Instant.ofEpochMilli(t),
              prompt,
              null,
              "key-" + plan.accountId().substring(5),
              "frontier-1",
              promptTokens,
              completionTokens,
              null,
              new QueryEvent.ClientInfo(ip, agent)));
    }
    return out;
  }

  private static String topicOf(Plan plan, int i, String ownTopic, Random random) {
    List<String> topics = plan.topics();
    return switch (plan.kind()) {
      case DOMAIN_APP, BATCH_PIPELINE, GENERAL_ASSISTANT, SLOW_SWEEP, FAST_SWEEP ->
          topics.get(random.nextInt(topics.size()));
      case RAMP_AFTER_VERIFICATION ->
          // Quiet and on-topic before verification, then the sweep.
          i < 40 ? "cooking" : topics.get(random.nextInt(topics.size()));
      case DILUTED_SWEEP ->
          random.nextBoolean() ? ownTopic : topics.get(random.nextInt(topics.size()));
    };
  }

  private static long gapMillis(
      Plan plan, int i, int queries, Instant verified, long now, Random random) {
    long mean = plan.meanGap().toMillis();
    if (plan.kind() == Kind.RAMP_AFTER_VERIFICATION && now < verified.toEpochMilli()) {
      mean = Duration.ofMinutes(3).toMillis();
    }
    if (plan.machineTiming()) {
      // Machine timing: a fixed cadence with a little jitter.
      return Math.max(1, mean + (long) (random.nextGaussian() * mean * 0.05));
    }
    // Human-like: exponential gaps.
    return Math.max(1, (long) (-Math.log(1.0 - random.nextDouble()) * mean));
  }
}
