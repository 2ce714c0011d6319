package io.distillguard.bench.detection.campaign;

import io.distillguard.bench.detection.AccountKind;
import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One account being built: its profile and registration data, how it calls the API (key, client,
 * addresses, model, preamble, conversation habit) and what it sends when. {@link #emit} turns it
 * into a profile, events and a label.
 */
final class Member {

  final String id;
  final TrafficKit kit;
  final CampaignKind kind;
  final String groupId;
  String apiKeyId;
  String statedUse;
  String orgId;
  String tier;
  Instant createdAt;
  Instant verifiedAt;
  String signupIp;
  String paymentFingerprint;
  String emailDomain;
  String userAgent;
  Supplier<String> ips;
  String model;

  /** Resent before every request ({@code null}: none). */
  String preamble;

  /** Earlier user turns resent with each request (chat apps). */
  int historyTurns;

  /** How often a request repeats an earlier one (retries, people asking again). */
  double repeatRate;

  private final List<Instant> times = new ArrayList<>();
  private final List<String> requests = new ArrayList<>();

  Member(TrafficKit kit, CampaignKind kind, String groupId) {
    this.kit = kit;
    this.kind = kind;
    this.groupId = groupId;
    this.id = kit.newId("acct");
    this.apiKeyId = kit.newId("key");
    this.model = kit.model();
    this.userAgent = kit.commonUserAgent();
    this.ips = kit.ownFleet();
  }

  /** A request at a time: the user's text, already wrapped in whatever template it travels in. */
  void add(Instant t, String request) {
    times.add(t);
    requests.add(request);
  }

  int size() {
    return times.size();
  }

  /** A paid account with its own card, or a free one without. */
  void ownPayment(double paidShare) {
    boolean paid = kit.chance(paidShare);
    tier = paid ? kit.pick(List.of("pay-as-you-go", "pay-as-you-go", "enterprise")) : "free";
    paymentFingerprint = paid ? kit.paymentFingerprint() : null;
  }

  void emit() {
    if (createdAt == null) {
      createdAt =
          times
              .get(0)
              .minus(Duration.ofDays(kit.between(3, 300)))
              .minusSeconds(kit.between(0, 86399));
    }
    if (tier == null) {
      tier = paymentFingerprint == null ? "free" : "pay-as-you-go";
    }
    kit.profiles.add(
        new RegisteredProfile(
            new AccountProfile(id, statedUse, orgId, tier, createdAt, verifiedAt),
            signupIp,
            paymentFingerprint,
            emailDomain));
    kit.labels.add(
        new CampaignLabel(id, kind, groupId, (AccountKind) null, times.size(), statedUse));
    List<String> history = new ArrayList<>();
    for (int i = 0; i < times.size(); i++) {
      String user = requests.get(i);
      if (!history.isEmpty() && kit.chance(repeatRate)) {
        user = history.get(kit.rng.nextInt(history.size()));
      }
      String prompt = render(user, history);
      history.add(user);
      if (history.size() > 50) {
        history.remove(0);
      }
      boolean detail = prompt.contains("step") || prompt.contains("detail") || kit.chance(0.4);
      int completion =
          (int)
              Math.max(
                  1,
                  Math.round(Math.exp(Math.log(detail ? 380 : 90) + 0.6 * kit.rng.nextGaussian())));
      kit.events.add(
          new QueryEvent(
              kit.newId("evt"),
              id,
              times.get(i),
              prompt,
              null,
              apiKeyId,
              model,
              Math.max(1, prompt.length() / 4),
              completion,
              null,
              new QueryEvent.ClientInfo(ips.get(), userAgent)));
    }
  }

  private String render(String user, List<String> history) {
    StringBuilder sb = new StringBuilder();
    if (preamble != null) {
      sb.append(preamble).append("\n\n");
    }
    if (historyTurns > 0 && !history.isEmpty()) {
      sb.append("Conversation so far:\n");
      for (int k = Math.max(0, history.size() - historyTurns); k < history.size(); k++) {
        String turn = history.get(k);
        sb.append("User: ").append(turn, 0, Math.min(turn.length(), 200)).append('\n');
      }
      sb.append("\nUser: ");
    }
    return sb.append(user).toString();
  }
}
