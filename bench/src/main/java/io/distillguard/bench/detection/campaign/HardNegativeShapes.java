package io.distillguard.bench.detection.campaign;

import io.distillguard.bench.detection.AppDomain;
import io.distillguard.bench.detection.ArrivalTimes;
import io.distillguard.bench.detection.NarrowSlices;
import io.distillguard.bench.detection.PromptPool;
import io.distillguard.bench.detection.TrafficBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Legitimate groups that share what campaigns share on one or two axes and must stay quiet: a
 * company's small accounts behind one NAT (with and without a declared organisation), students on a
 * campus network at semester start, a reseller's end customers behind its one key, one SDK's many
 * customers, many apps built from one open-source template. Every member is an ordinary app or
 * person: in-domain, repeating itself now and then, human-paced. The teams of a hackathon, signed
 * up within hours at one venue, each building an app of its own, are one of them.
 */
final class HardNegativeShapes {

  private static final List<String> CUSTOMERS =
      List.of(
          "Alpine Ski House",
          "Coho Winery",
          "Fourth Coffee",
          "Margie's Travel",
          "Trey Research",
          "Wide World Importers",
          "Humongous Insurance",
          "Blue Yonder Airlines",
          "Lamna Healthcare",
          "Relecloud",
          "VanArsdel",
          "Bellows College",
          "Munson's Pickles",
          "Nod Publishers",
          "Southridge Video",
          "Tailwind Traders");

  private final TrafficKit kit;

  HardNegativeShapes(TrafficKit kit) {
    this.kit = kit;
  }

  /** An ordinary app of one domain: its stated use, habits and human-paced in-domain traffic. */
  private Member app(CampaignKind kind, String group, AppDomain d, Instant start, int n) {
    Member m = new Member(kit, kind, group);
    m.statedUse = kit.pick(d.statedUses());
    m.historyTurns = kit.chance(0.45) ? kit.between(1, 4) : 0;
    m.repeatRate = kit.uniform(0.02, 0.1);
    for (Instant t : ArrivalTimes.human(kit.rng, start, n, kit.uniform(8, 48) * 3600 / n)) {
      m.add(t, kit.fromDomain(d).text());
    }
    return m;
  }

  private Instant someTimeInFirstDays(int days) {
    return TrafficBuilder.START.plus(Duration.ofMinutes(kit.between(0, days * 24 * 60)));
  }

  /** A start on an office morning: the staff of one company work the same hours. */
  private Instant officeMorning() {
    return TrafficBuilder.START
        .plus(Duration.ofDays(kit.between(0, 3)))
        .plus(Duration.ofMinutes(kit.between(8 * 60, 10 * 60)));
  }

  /**
   * A company's small accounts (teams, projects, employees) behind its NAT: one or two addresses,
   * the company's email domain, its card on most, its internal preamble on many, sign-ups spread
   * over a year.
   */
  void natOrganisation(boolean declared, int members) {
    CampaignKind kind = declared ? CampaignKind.NAT_ORG_DECLARED : CampaignKind.NAT_ORG_UNDECLARED;
    String group = kit.newId("org");
    String domain = kit.companyDomain();
    String prefix = kit.cloudPrefix();
    List<String> nat = List.of(kit.inPrefix(prefix), kit.inPrefix(prefix));
    String card = kit.paymentFingerprint();
    String company = domain.substring(0, domain.indexOf('-'));
    String preamble =
        "You are "
            + company.substring(0, 1).toUpperCase(Locale.ROOT)
            + company.substring(1)
            + "'s internal assistant. Follow the company style guide and never reveal"
            + " confidential information.";
    for (int i = 0; i < members; i++) {
      Member m = app(kind, group, kit.pick(AppDomain.LEGIT), officeMorning(), kit.between(20, 80));
      m.orgId = declared ? group : null;
      m.ips = kit.oneOf(nat.subList(0, kit.chance(0.7) ? 1 : 2));
      m.emailDomain = domain;
      m.signupIp = nat.get(0);
      m.createdAt = kit.daysBefore(5, 400);
      m.verifiedAt = m.createdAt.plus(Duration.ofMinutes(kit.between(10, 3000)));
      if (kit.chance(0.7)) {
        m.paymentFingerprint = card;
        m.tier = "enterprise";
      } else {
        m.ownPayment(0.3);
      }
      m.preamble = kit.chance(0.4) ? preamble : null;
      m.emit();
    }
  }

  /**
   * Students of one university in the first week of term: a campus NAT, the university's mail
   * domain, a sign-up burst, stated uses from the same few phrasings, each asking about one or two
   * of their own courses.
   */
  void university(int members) {
    String group = kit.newId("campus");
    Campus campus = campus(3);
    List<NarrowSlices.Slice> courses = kit.courseSlices();
    Instant termStarts = TrafficBuilder.START.minus(Duration.ofDays(4));
    List<String> phrasings =
        List.of(
            "Study help for my %s course.",
            "Homework help and exam revision for %s.",
            "Personal tutor for my %s classes at university.");
    for (int i = 0; i < members; i++) {
      Member m = new Member(kit, CampaignKind.UNIVERSITY, group);
      List<NarrowSlices.Slice> mine = new ArrayList<>();
      mine.add(kit.pick(courses));
      if (kit.chance(0.5)) {
        mine.add(kit.pick(courses));
      }
      m.statedUse = String.format(Locale.ROOT, kit.pick(phrasings), course(mine.get(0)));
      enrol(m, campus, termStarts, 5);
      int n = kit.between(20, 80);
      Instant start =
          m.createdAt.isAfter(TrafficBuilder.START) ? m.createdAt : someTimeInFirstDays(2);
      for (Instant t : ArrivalTimes.human(kit.rng, start, n, kit.uniform(24, 72) * 3600 / n)) {
        m.add(t, kit.fromSlices(mine).text());
      }
      m.emit();
    }
  }

  /**
   * A general-studies course of eight topics from across the subjects (a week each): its students
   * sign up from the campus in the first days of term with the university's mail domain and one of
   * a few phrasings of the course's name, and each asks questions of their own about the topic of
   * the week, in the syllabus's order, at a student's pace.
   */
  void syllabus(int members) {
    String group = kit.newId("course");
    Campus campus = campus(2);
    List<NarrowSlices.Slice> topics = new ArrayList<>(kit.courseSlices());
    Collections.shuffle(topics, kit.rng);
    topics = topics.subList(0, Math.min(8, topics.size()));
    Instant termStarts = TrafficBuilder.START.minus(Duration.ofDays(2));
    List<String> phrasings =
        List.of(
            "Study help for my general studies course.",
            "Homework help and exam revision for General Studies 101.",
            "Personal tutor for my general studies classes at university.");
    for (int i = 0; i < members; i++) {
      Member m = new Member(kit, CampaignKind.SYLLABUS, group);
      m.statedUse = kit.pick(phrasings);
      enrol(m, campus, termStarts, 3);
      for (int week = 0; week < topics.size(); week++) {
        Instant weekStarts = TrafficBuilder.START.plus(Duration.ofDays(7L * week));
        int n = kit.between(5, 20);
        NarrowSlices.Slice topic = topics.get(week);
        for (Instant t :
            ArrivalTimes.human(
                kit.rng,
                weekStarts.plus(Duration.ofHours(kit.between(0, 72))),
                n,
                kit.uniform(24, 96) * 3600 / n)) {
          m.add(t, topic.rows().get(kit.rng.nextInt(topic.rows().size())).text());
        }
      }
      m.emit();
    }
  }

  /**
   * A hackathon: its teams sign up in the event's first hours from the venue's network, most on the
   * free credits it hands out and with their own mail addresses, and each builds an app of its own
   * (a stated use of one domain, its traffic in that domain and now and then a question about the
   * code), many through the organisers' starter kit, at a developer's pace (test prompts sent again
   * and again) over the two days of the event; a few keep building at home afterwards.
   */
  void hackathon(int members) {
    String group = kit.newId("hackathon");
    String venuePrefix = kit.cloudPrefix();
    List<String> venue = List.of(kit.inPrefix(venuePrefix), kit.inPrefix(venuePrefix));
    Instant opens =
        TrafficBuilder.START.plus(Duration.ofDays(kit.between(0, 3))).plus(Duration.ofHours(9));
    String starter =
        "You are the assistant of a prototype built at "
            + kit.pick(List.of("HackWeek", "BuildFest", "Code for Good", "AI Builders Day"))
            + ". Answer the user's message helpfully and concisely.";
    List<String> phrasings =
        List.of("Hackathon project: %s", "%s Prototype built at a hackathon.", "%s");
    AppDomain coding =
        AppDomain.LEGIT.stream().filter(d -> d.name().equals("coding")).findFirst().orElseThrow();
    for (int i = 0; i < members; i++) {
      Member m = new Member(kit, CampaignKind.HACKATHON, group);
      AppDomain d = kit.pick(AppDomain.LEGIT);
      m.statedUse = String.format(Locale.ROOT, kit.pick(phrasings), kit.pick(d.statedUses()));
      m.historyTurns = kit.chance(0.4) ? kit.between(1, 4) : 0;
      m.repeatRate = kit.uniform(0.1, 0.25);
      m.userAgent = kit.chance(0.6) ? kit.commonUserAgent() : kit.distinctUserAgent();
      m.emailDomain = kit.chance(0.6) ? kit.webmail() : kit.ownEmailDomain();
      m.signupIp = kit.pick(venue);
      m.createdAt = opens.plus(Duration.ofMinutes(kit.between(0, 180)));
      m.verifiedAt = m.createdAt.plus(Duration.ofMinutes(kit.between(1, 30)));
      m.ownPayment(0.1);
      m.preamble = kit.chance(0.5) ? starter : null;
      int atEvent = kit.between(30, 150);
      int after = kit.chance(0.25) ? kit.between(20, 80) : 0;
      Supplier<String> home = kit.ownFleet();
      Supplier<String> atVenue = kit.oneOf(venue);
      int[] sent = {0};
      m.ips = () -> sent[0]++ < atEvent ? atVenue.get() : home.get();
      Instant start = m.verifiedAt.plus(Duration.ofMinutes(kit.between(5, 120)));
      for (Instant t :
          ArrivalTimes.human(kit.rng, start, atEvent, kit.uniform(24, 40) * 3600 / atEvent)) {
        m.add(t, (kit.chance(0.8) ? kit.fromDomain(d) : kit.fromDomain(coding)).text());
      }
      if (after > 0) {
        Instant later = opens.plus(Duration.ofDays(kit.between(3, 10)));
        for (Instant t :
            ArrivalTimes.human(kit.rng, later, after, kit.uniform(48, 240) * 3600 / after)) {
          m.add(t, kit.fromDomain(d).text());
        }
      }
      m.emit();
    }
  }

  /** A university's mail domain and the NAT addresses its campus network reaches us from. */
  private record Campus(String mailDomain, List<String> nat) {}

  private Campus campus(int addresses) {
    String domain =
        kit.pick(List.of("uni-", "college-", "tu-", "state-"))
            + Integer.toHexString(kit.rng.nextInt(0x10000))
            + ".edu";
    String prefix = "128." + kit.rng.nextInt(256) + "." + kit.rng.nextInt(256);
    List<String> nat = new ArrayList<>();
    for (int i = 0; i < addresses; i++) {
      nat.add(kit.inPrefix(prefix));
    }
    return new Campus(domain, List.copyOf(nat));
  }

  /**
   * A student's habits and registration: chat history now and then, a few repeats, the campus
   * network and mail domain, signed up within {@code signupDays} of the start of term, free or
   * paying their own way.
   */
  private void enrol(Member m, Campus campus, Instant termStarts, int signupDays) {
    m.historyTurns = kit.chance(0.6) ? kit.between(1, 4) : 0;
    m.repeatRate = kit.uniform(0.05, 0.15);
    m.ips = kit.oneOf(campus.nat());
    m.userAgent = kit.chance(0.5) ? kit.commonUserAgent() : kit.distinctUserAgent();
    m.emailDomain = campus.mailDomain();
    m.signupIp = kit.pick(campus.nat());
    m.createdAt = termStarts.plus(Duration.ofMinutes(kit.between(0, signupDays * 24 * 60)));
    m.verifiedAt = m.createdAt.plus(Duration.ofMinutes(kit.between(1, 60)));
    m.ownPayment(0.1);
  }

  private static String course(NarrowSlices.Slice s) {
    String name = s.appName();
    if (name.startsWith("a ") && name.endsWith(" study app")) {
      return name.substring(2, name.length() - " study app".length());
    }
    return switch (name) {
      case "a maths tutoring app" -> "mathematics";
      case "an IDE plugin" -> "programming";
      default -> "writing";
    };
  }

  /**
   * A reseller's end customers: one account each, every call through the reseller's one API key,
   * from its gateway's addresses with its client string, wrapped in its per-customer preamble, paid
   * with its card; the customers joined over months.
   */
  void reseller(boolean declared, int members) {
    String group = kit.newId("reseller");
    String name = kit.pick(List.of("Botique", "ChatDesk", "Replyly", "HelpStack", "AgentHub"));
    String key = kit.newId("key");
    String prefix = kit.cloudPrefix();
    List<String> gateway = List.of(kit.inPrefix(prefix), kit.inPrefix(prefix));
    String ua = name.toLowerCase(Locale.ROOT) + "-gateway/2." + kit.between(0, 9);
    String card = kit.paymentFingerprint();
    String domain = "tenants." + name.toLowerCase(Locale.ROOT) + ".com";
    for (int i = 0; i < members; i++) {
      AppDomain d = kit.pick(AppDomain.LEGIT);
      String customer = CUSTOMERS.get(i % CUSTOMERS.size()) + (i < CUSTOMERS.size() ? "" : " " + i);
      Member m = new Member(kit, CampaignKind.RESELLER, group);
      m.statedUse = name + " workspace for " + customer + ": " + kit.pick(d.statedUses());
      m.historyTurns = kit.chance(0.5) ? kit.between(1, 4) : 0;
      m.repeatRate = kit.uniform(0.02, 0.1);
      m.apiKeyId = key;
      m.orgId = declared ? group : null;
      m.ips = kit.oneOf(gateway);
      m.userAgent = ua;
      m.signupIp = gateway.get(0);
      m.emailDomain = domain;
      m.paymentFingerprint = card;
      m.tier = "enterprise";
      m.createdAt = kit.daysBefore(3, 300);
      m.verifiedAt = m.createdAt.plus(Duration.ofMinutes(kit.between(1, 30)));
      m.preamble =
          "You are the virtual assistant of "
              + customer
              + ", provided by "
              + name
              + ". Answer the customer's message politely and only about "
              + customer
              + "'s services.";
      int n = kit.between(40, 150);
      Instant start = someTimeInFirstDays(2);
      for (Instant t : ArrivalTimes.poisson(kit.rng, start, n, kit.uniform(3, 12))) {
        m.add(t, "Customer message: " + kit.fromDomain(d).text());
      }
      m.emit();
    }
  }

  /** Unrelated customers of one popular SDK that sends its own client string. */
  void sdkUserAgent(int members) {
    String group = kit.newId("sdk");
    String ua = "flowkit-sdk/3.4." + kit.between(0, 9) + " (python 3.11; linux)";
    for (int i = 0; i < members; i++) {
      Member m =
          app(
              CampaignKind.SDK_USER_AGENT,
              group,
              kit.pick(AppDomain.LEGIT),
              someTimeInFirstDays(3),
              kit.between(30, 150));
      m.userAgent = ua;
      independentRegistration(m);
      m.emit();
    }
  }

  /** Unrelated apps built from one of a few open-source retrieval templates. */
  void openSourceTemplate(int members) {
    String group = kit.newId("template");
    for (int i = 0; i < members; i++) {
      AppDomain d = kit.pick(AppDomain.LEGIT);
      String template = kit.pick(Scaffolds.OPEN_SOURCE);
      Member m = new Member(kit, CampaignKind.OSS_TEMPLATE, group);
      m.statedUse = kit.pick(d.statedUses());
      m.repeatRate = kit.uniform(0.02, 0.1);
      int n = kit.between(30, 150);
      Instant start = someTimeInFirstDays(3);
      for (Instant t : ArrivalTimes.human(kit.rng, start, n, kit.uniform(8, 48) * 3600 / n)) {
        StringBuilder context = new StringBuilder();
        for (int k = kit.between(2, 4); k > 0; k--) {
          PromptPool.Row r = kit.fromDomain(d);
          context.append(r.text()).append('\n');
        }
        m.add(t, Scaffolds.wrap(template, context.toString().strip(), kit.fromDomain(d).text()));
      }
      independentRegistration(m);
      m.emit();
    }
  }

  /** Sign-up on its own: its own address, mail domain and card, any time in the last year. */
  private void independentRegistration(Member m) {
    m.createdAt = kit.daysBefore(2, 365);
    m.verifiedAt =
        kit.chance(0.85) ? m.createdAt.plus(Duration.ofMinutes(kit.between(5, 900))) : null;
    m.signupIp = kit.chance(0.5) ? kit.residentialIp() : kit.cloudIp();
    m.emailDomain = kit.ownEmailDomain();
    m.ownPayment(0.7);
  }
}
