package io.distillguard.bench.detection.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.bench.detection.AccountKind;
import io.distillguard.bench.detection.PromptPool;
import io.distillguard.bench.detection.TrafficBuilder;
import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.Parsed;
import io.distillguard.contract.QueryEvent;
import io.distillguard.fixtures.PromptSamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The campaign traffic builder produces what it claims, on the repository's own prompt samples:
 * every kind, the request metadata and registration data each kind is defined by, the hard
 * negatives' shared links, valid v1 lines with the labels apart, the same traffic for the same
 * seed.
 */
class CampaignTrafficBuilderTest {

  private static final double SCALE = 0.5;
  private static CampaignTraffic traffic;
  private static Map<String, CampaignLabel> labels;
  private static Map<String, RegisteredProfile> profiles;
  private static Map<String, List<QueryEvent>> eventsOf;

  @BeforeAll
  static void build() {
    PromptPool pool = PromptPool.load(PromptSamples.directory(), PromptPool.Split.REPORT);
    traffic = CampaignTrafficBuilder.build(pool, SCALE, 2002);
    labels = traffic.labelsById();
    profiles = new HashMap<>();
    traffic.profiles().forEach(p -> profiles.put(p.accountId(), p));
    eventsOf = new HashMap<>();
    traffic
        .events()
        .forEach(e -> eventsOf.computeIfAbsent(e.accountId(), k -> new ArrayList<>()).add(e));
  }

  private static Map<String, List<CampaignLabel>> groups(CampaignKind kind) {
    return traffic.labels().stream()
        .filter(l -> l.kind() == kind)
        .collect(Collectors.groupingBy(CampaignLabel::groupId));
  }

  private static Set<String> values(List<CampaignLabel> members, Function<QueryEvent, String> f) {
    Set<String> out = new HashSet<>();
    members.forEach(m -> eventsOf.get(m.accountId()).forEach(e -> out.add(f.apply(e))));
    return out;
  }

  /** Between the group's first and last sign-up ({@code created_at}). */
  private static Duration signupSpan(List<CampaignLabel> members) {
    List<Instant> created =
        members.stream()
            .map(m -> profiles.get(m.accountId()).profile().createdAt())
            .sorted()
            .toList();
    return Duration.between(created.get(0), created.get(created.size() - 1));
  }

  private static String ip(QueryEvent e) {
    return e.client().ip();
  }

  private static String prefix24(String ip) {
    return ip.substring(0, ip.lastIndexOf('.'));
  }

  @Test
  void everyKindIsPresentWithItsGroupsAndTheBackground() {
    Set<CampaignKind> kinds = EnumSet.noneOf(CampaignKind.class);
    traffic.labels().forEach(l -> kinds.add(l.kind()));
    assertThat(kinds).containsExactlyInAnyOrder(CampaignKind.values());
    for (CampaignKind k : CampaignKind.values()) {
      if (k != CampaignKind.LEGIT) {
        assertThat(groups(k)).as("%s", k).isNotEmpty();
        groups(k).values().forEach(g -> assertThat(g).as("%s group", k).hasSizeGreaterThan(1));
      }
    }
    // The detection benchmark's single-account campaigns link to no one and are left out.
    assertThat(traffic.labels())
        .filteredOn(l -> l.accountKind() != null)
        .allMatch(l -> !l.accountKind().campaign() || l.accountKind().swarm());
    assertThat(traffic.labels())
        .filteredOn(l -> l.kind() == CampaignKind.LEGIT)
        .extracting(CampaignLabel::accountKind)
        .contains(AccountKind.DOMAIN_APP, AccountKind.ORG_SMALL_ACCOUNT);
  }

  @Test
  void labelsCountTheEventsAndEveryEventHasRequestMetadataAndAProfile() {
    for (CampaignLabel l : traffic.labels()) {
      assertThat(eventsOf.get(l.accountId())).hasSize(l.queries());
      assertThat(profiles).containsKey(l.accountId());
    }
    for (QueryEvent e : traffic.events()) {
      assertThat(e.apiKeyId()).isNotBlank();
      assertThat(e.client().ip()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
      assertThat(e.client().userAgent()).isNotBlank();
    }
    List<Instant> times = traffic.events().stream().map(QueryEvent::timestamp).toList();
    assertThat(times).isSorted();
    for (RegisteredProfile p : traffic.profiles()) {
      assertThat(p.profile().createdAt()).isNotNull();
      assertThat(p.signupIp()).isNotNull();
      assertThat(p.emailDomain()).isNotBlank();
      // A card only where the account pays.
      assertThat(p.paymentFingerprint() == null).isEqualTo("free".equals(p.profile().tier()));
    }
  }

  @Test
  void linesAreV1ContractWithOnlyTheOptionalRegistrationFieldsAdded(@TempDir Path dir)
      throws Exception {
    traffic.write(dir);
    ContractCodec codec = new ContractCodec(ContractLimits.DEFAULT);
    ObjectMapper mapper = new ObjectMapper();
    Set<String> profileFields =
        Set.of(
            "account_id",
            "stated_use",
            "org_id",
            "tier",
            "created_at",
            "verified_at",
            "signup_ip",
            "payment_fingerprint",
            "email_domain");
    List<String> profileLines = Files.readAllLines(dir.resolve("profiles.jsonl"));
    assertThat(profileLines).hasSize(traffic.profiles().size());
    for (String line : profileLines) {
      assertThat(codec.parseProfile(line)).isInstanceOf(Parsed.Ok.class);
      JsonNode n = mapper.readTree(line);
      n.fieldNames().forEachRemaining(f -> assertThat(profileFields).contains(f));
    }
    Set<String> eventFields =
        Set.of(
            "event_id",
            "account_id",
            "timestamp",
            "prompt",
            "api_key_id",
            "model",
            "prompt_tokens",
            "completion_tokens",
            "client");
    List<String> eventLines = Files.readAllLines(dir.resolve("events.jsonl"));
    assertThat(eventLines).hasSize(traffic.events().size());
    for (String line : eventLines) {
      assertThat(codec.parseEvent(line)).isInstanceOf(Parsed.Ok.class);
      // Nothing but v1 fields: the labels live in their own file.
      mapper.readTree(line).fieldNames().forEachRemaining(f -> assertThat(eventFields).contains(f));
    }
    assertThat(
            Files.readAllLines(dir.resolve("labels.jsonl")).stream().map(CampaignLabel::fromJson))
        .containsExactlyElementsOf(traffic.labels());
  }

  @Test
  void campaignMembersAreHumanScaleAndShareOneScaffold() {
    for (CampaignKind k : CampaignKind.values()) {
      if (!k.campaign() || k == CampaignKind.SWARM_BROAD || k == CampaignKind.SWARM_NARROW) {
        continue;
      }
      for (List<CampaignLabel> members : groups(k).values()) {
        for (CampaignLabel m : members) {
          assertThat(m.queries()).as("%s", k).isBetween(100, 400);
        }
        String scaffold = scaffoldOf(members.get(0));
        assertThat(scaffold).as("%s scaffold", k).isNotNull();
        for (CampaignLabel m : members) {
          long wrapped =
              eventsOf.get(m.accountId()).stream()
                  .filter(e -> request(e).contains(scaffold))
                  .count();
          double share = (double) wrapped / m.queries();
          if (k == CampaignKind.MIXED_TRAFFIC) {
            // Half of a mixed member's traffic is ordinary in-domain traffic, unwrapped.
            assertThat(share).as("%s wrapped share", k).isBetween(0.3, 0.7);
          } else if (k == CampaignKind.ORG_SWEEP) {
            // A third of an organisation's account's traffic is its app's ordinary traffic.
            assertThat(share).as("%s wrapped share", k).isBetween(0.5, 0.85);
          } else {
            assertThat(share).as("%s wrapped share", k).isEqualTo(1.0);
          }
        }
      }
    }
  }

  @Test
  void anOrganisationsSweepIsDeclaredUnderOneOrganisationAndOffItsStatedUses() {
    for (List<CampaignLabel> members : groups(CampaignKind.ORG_SWEEP).values()) {
      assertThat(members).hasSizeGreaterThanOrEqualTo(4);
      assertThat(members.stream().map(m -> profiles.get(m.accountId()).profile().orgId()))
          .doesNotContainNull()
          .containsOnly(profiles.get(members.get(0).accountId()).profile().orgId());
      assertThat(members.stream().map(m -> profiles.get(m.accountId()).profile().statedUse()))
          .doesNotContainNull();
    }
  }

  /** The request itself, without the earlier turns a chat app resends before it. */
  private static String request(QueryEvent e) {
    String p = e.prompt();
    return p.startsWith("Conversation so far:") ? p.substring(p.lastIndexOf("\nUser: ") + 7) : p;
  }

  /** The longest fixed part of the campaign's scaffold found in the account's first prompt. */
  private static String scaffoldOf(CampaignLabel member) {
    List<String> scaffolds = new ArrayList<>(Scaffolds.CAMPAIGN);
    // A company's own harness, whatever the company's name: its part after the name.
    String harness = Scaffolds.companyHarness("Acme");
    scaffolds.add(harness.substring(harness.indexOf("Acme") + "Acme".length()));
    for (QueryEvent e : eventsOf.get(member.accountId())) {
      for (String s : scaffolds) {
        String head = s.substring(0, Math.max(s.indexOf("{text}"), 0));
        String tail = s.substring(s.indexOf("{text}") + "{text}".length());
        String fixed = head.length() >= tail.length() ? head : tail;
        if (e.prompt().contains(fixed)) {
          return fixed;
        }
      }
    }
    return null;
  }

  @Test
  void residentialProxyMembersShareNoInfrastructure() {
    for (List<CampaignLabel> members : groups(CampaignKind.RESIDENTIAL_PROXY).values()) {
      Map<String, String> prefixOwner = new HashMap<>();
      Map<String, String> agentOwner = new HashMap<>();
      for (CampaignLabel m : members) {
        Set<String> ips = values(List.of(m), CampaignTrafficBuilderTest::ip);
        // Sticky sessions that rotate: more than one exit per member.
        assertThat(ips).hasSizeGreaterThan(1);
        for (String ip : ips) {
          assertThat(prefixOwner.putIfAbsent(prefix24(ip), m.accountId()))
              .isIn(null, m.accountId());
        }
        for (String ua : values(List.of(m), e -> e.client().userAgent())) {
          assertThat(agentOwner.putIfAbsent(ua, m.accountId())).isIn(null, m.accountId());
        }
      }
      // What remains: registration links (a few cards, a few mail domains) and the scaffold.
      Set<String> cards = new HashSet<>();
      members.forEach(m -> cards.add(profiles.get(m.accountId()).paymentFingerprint()));
      cards.remove(null);
      assertThat(cards.size()).isLessThan(members.size());
    }
  }

  @Test
  void growingCampaignsAddMembersOverDays() {
    for (List<CampaignLabel> members : groups(CampaignKind.GROWING).values()) {
      List<Instant> firsts =
          members.stream()
              .map(m -> eventsOf.get(m.accountId()).get(0).timestamp())
              .sorted()
              .toList();
      assertThat(Duration.between(firsts.get(0), firsts.get(firsts.size() - 1)))
          .isGreaterThan(Duration.ofDays(4));
    }
  }

  @Test
  void statedUseSliceMembersEachAskTheirOwnSlice() {
    for (List<CampaignLabel> members : groups(CampaignKind.STATED_USE_SLICES).values()) {
      Set<String> uses = new HashSet<>();
      members.forEach(m -> uses.add(m.statedUse()));
      assertThat(uses).hasSizeGreaterThan(1);
      // No shared addresses: every member calls from its own fleet.
      Map<String, String> owner = new HashMap<>();
      for (CampaignLabel m : members) {
        for (String ip : values(List.of(m), CampaignTrafficBuilderTest::ip)) {
          assertThat(owner.putIfAbsent(ip, m.accountId())).isIn(null, m.accountId());
        }
      }
    }
  }

  @Test
  void banEvasionAccountsArriveAfterTheOriginalsAndLinkToThem() {
    Map<String, List<CampaignLabel>> originals = groups(CampaignKind.BAN_EVASION_ORIGINAL);
    Map<String, List<CampaignLabel>> fresh = groups(CampaignKind.BAN_EVASION_FRESH);
    assertThat(fresh.keySet()).isEqualTo(originals.keySet());
    fresh.forEach(
        (campaign, newcomers) -> {
          List<CampaignLabel> old = originals.get(campaign);
          Set<String> oldPrefixes = new HashSet<>();
          values(old, CampaignTrafficBuilderTest::ip).forEach(ip -> oldPrefixes.add(prefix24(ip)));
          Set<String> oldCards = new HashSet<>();
          Set<String> oldMail = new HashSet<>();
          old.forEach(
              m -> {
                oldCards.add(profiles.get(m.accountId()).paymentFingerprint());
                oldMail.add(profiles.get(m.accountId()).emailDomain());
              });
          String scaffold = scaffoldOf(old.get(0));
          for (CampaignLabel m : newcomers) {
            AccountProfile p = profiles.get(m.accountId()).profile();
            assertThat(p.createdAt()).isAfter(TrafficBuilder.START.plus(Duration.ofDays(3)));
            assertThat(eventsOf.get(m.accountId())).allMatch(e -> e.prompt().contains(scaffold));
            boolean infrastructure =
                values(List.of(m), CampaignTrafficBuilderTest::ip).stream()
                    .anyMatch(ip -> oldPrefixes.contains(prefix24(ip)));
            RegisteredProfile r = profiles.get(m.accountId());
            boolean registration =
                (r.paymentFingerprint() != null && oldCards.contains(r.paymentFingerprint()))
                    || oldMail.contains(r.emailDomain());
            assertThat(infrastructure || registration).as("fresh account links").isTrue();
          }
        });
  }

  @Test
  void hardNegativesShareWhatTheyAreDefinedBy() {
    for (CampaignKind k : List.of(CampaignKind.NAT_ORG_DECLARED, CampaignKind.NAT_ORG_UNDECLARED)) {
      for (List<CampaignLabel> members : groups(k).values()) {
        assertThat(values(members, CampaignTrafficBuilderTest::ip)).hasSizeLessThanOrEqualTo(2);
        assertThat(members.stream().map(m -> profiles.get(m.accountId()).emailDomain()).distinct())
            .hasSize(1);
        Set<String> orgs = new HashSet<>();
        members.forEach(
            m -> orgs.add(String.valueOf(profiles.get(m.accountId()).profile().orgId())));
        assertThat(orgs).hasSize(1);
        assertThat(orgs.contains("null")).isEqualTo(k == CampaignKind.NAT_ORG_UNDECLARED);
      }
    }
    for (List<CampaignLabel> students : groups(CampaignKind.UNIVERSITY).values()) {
      assertThat(values(students, CampaignTrafficBuilderTest::ip)).hasSizeLessThanOrEqualTo(3);
      assertThat(signupSpan(students)).isLessThanOrEqualTo(Duration.ofDays(5));
      assertThat(students)
          .allMatch(m -> profiles.get(m.accountId()).emailDomain().endsWith(".edu"));
    }
    for (List<CampaignLabel> customers : groups(CampaignKind.RESELLER).values()) {
      assertThat(values(customers, QueryEvent::apiKeyId)).hasSize(1);
      assertThat(values(customers, e -> e.client().userAgent())).hasSize(1);
    }
    for (List<CampaignLabel> users : groups(CampaignKind.SDK_USER_AGENT).values()) {
      assertThat(values(users, e -> e.client().userAgent())).hasSize(1);
      assertThat(values(users, CampaignTrafficBuilderTest::ip).size())
          .isGreaterThanOrEqualTo(users.size());
    }
    for (List<CampaignLabel> apps : groups(CampaignKind.OSS_TEMPLATE).values()) {
      for (CampaignLabel m : apps) {
        assertThat(eventsOf.get(m.accountId()))
            .allMatch(
                e ->
                    Scaffolds.OPEN_SOURCE.stream()
                        .anyMatch(t -> e.prompt().contains(t.substring(0, 30))));
      }
      // Unrelated apps: sign-ups spread over months, not a burst.
      assertThat(signupSpan(apps)).isGreaterThan(Duration.ofDays(60));
    }
  }

  @Test
  void aHackathonsTeamsSignUpTogetherAtTheVenueAndEachBuildsItsOwnApp() {
    for (List<CampaignLabel> teams : groups(CampaignKind.HACKATHON).values()) {
      assertThat(signupSpan(teams)).isLessThanOrEqualTo(Duration.ofHours(3));
      assertThat(teams.stream().map(m -> profiles.get(m.accountId()).signupIp()).distinct())
          .hasSizeLessThanOrEqualTo(2);
      // At the event every call comes from the venue's two addresses.
      Set<String> atEvent = new HashSet<>();
      for (CampaignLabel m : teams) {
        Instant signedUp = profiles.get(m.accountId()).profile().createdAt();
        eventsOf.get(m.accountId()).stream()
            .filter(e -> e.timestamp().isBefore(signedUp.plus(Duration.ofDays(2))))
            .forEach(e -> atEvent.add(ip(e)));
      }
      assertThat(atEvent).hasSizeLessThanOrEqualTo(2);
      // Each team states its own app: the stated uses are not one text.
      assertThat(teams.stream().map(CampaignLabel::statedUse).distinct().count())
          .isGreaterThan(teams.size() / 2);
    }
  }

  @Test
  void theSameSeedGivesTheSameTraffic() {
    PromptPool pool = PromptPool.load(PromptSamples.directory(), PromptPool.Split.REPORT);
    CampaignTraffic again = CampaignTrafficBuilder.build(pool, SCALE, 2002);
    assertThat(again.labels()).isEqualTo(traffic.labels());
    assertThat(again.events().stream().map(QueryEvent::eventId).toList())
        .isEqualTo(traffic.events().stream().map(QueryEvent::eventId).toList());
    CampaignTraffic other = CampaignTrafficBuilder.build(pool, SCALE, 3003);
    assertThat(other.labels()).isNotEqualTo(traffic.labels());
  }
}
