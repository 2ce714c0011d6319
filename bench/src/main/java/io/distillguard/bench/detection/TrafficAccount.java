package io.distillguard.bench.detection;

import static io.distillguard.bench.detection.CallerHabits.MODELS;
import static io.distillguard.bench.detection.CallerHabits.PREAMBLES;
import static io.distillguard.bench.detection.CallerHabits.TEMPLATES;

import io.distillguard.bench.detection.CallerHabits.Preamble;
import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything about how one generated account calls the API, drawn from the shared distributions of
 * its {@link TrafficBuilder} (client software, addresses, model, preamble, request template, repeat
 * habit), and the prompts it sends at their times; {@link #emit()} renders them into contract
 * events, profile and label. The fields are drawn in declaration order from the builder's random
 * source, so the traffic of a seed never depends on which shape created the account.
 */
final class TrafficAccount {
  private final TrafficBuilder b;
  final String id;
  final String apiKey;
  AccountKind kind;
  String swarmId;
  String statedUse;
  String appName;
  String orgId;
  String tier;
  Instant createdAt;
  Instant verifiedAt;
  String userAgent;
  List<String> ips;
  String model;
  Preamble preamble;
  String template;
  int historyTurns;
  int contextRows;
  String contextDomain;
  double repeatRate;
  final List<Instant> times = new ArrayList<>();
  final List<PromptPool.Row> rows = new ArrayList<>();

  TrafficAccount(TrafficBuilder b) {
    this.b = b;
    this.id = b.newId("acct");
    this.apiKey = b.newId("key");
    this.tier = b.pick(List.of("free", "pay-as-you-go", "pay-as-you-go", "enterprise"));
    this.userAgent = CallerHabits.userAgent(b.rng);
    this.ips = CallerHabits.egressIps(b.rng);
    this.model = b.pick(MODELS);
    this.preamble = b.rng.nextDouble() < 0.7 ? b.pick(PREAMBLES) : null;
    this.template = b.rng.nextDouble() < 0.12 ? b.pick(TEMPLATES) : null;
    this.repeatRate = 0.02 + b.rng.nextDouble() * 0.08;
  }

  void add(Instant t, PromptPool.Row row) {
    times.add(t);
    rows.add(row);
  }

  /** Renders the account's prompts into events and adds them, its profile and label to the run. */
  void emit() {
    if (createdAt == null) {
      createdAt =
          times.isEmpty()
              ? TrafficBuilder.START
              : times.get(0).minus(Duration.ofDays(3 + b.rng.nextInt(60)));
    }
    if (verifiedAt == null && kind != AccountKind.RAMP_AFTER_VERIFICATION) {
      verifiedAt =
          b.rng.nextDouble() < 0.85
              ? createdAt.plus(Duration.ofMinutes(5 + b.rng.nextInt(600)))
              : null;
    }
    b.profiles.add(new AccountProfile(id, statedUse, orgId, tier, createdAt, verifiedAt));
    b.labels.add(new AccountLabel(id, kind, swarmId, times.size(), statedUse));
    List<String> history = new ArrayList<>();
    for (int i = 0; i < times.size(); i++) {
      String user = rows.get(i).text();
      if (!history.isEmpty() && b.rng.nextDouble() < repeatRate) {
        // People and scripts alike resend a request now and then (retries, rephrasing).
        user = history.get(b.rng.nextInt(history.size()));
      }
      String prompt = render(user, history);
      history.add(user);
      if (history.size() > 50) {
        history.remove(0);
      }
      boolean detail = preamble != null ? preamble.asksForDetail() : b.rng.nextDouble() < 0.5;
      int completion =
          (int)
              Math.max(
                  1,
                  Math.round(Math.exp(Math.log(detail ? 380 : 90) + 0.6 * b.rng.nextGaussian())));
      b.events.add(
          new QueryEvent(
              b.newId("evt"),
              id,
              times.get(i),
              prompt,
              null,
              apiKey,
              model,
              Math.max(1, prompt.length() / 4),
              completion,
              null,
              new QueryEvent.ClientInfo(ips.get(b.rng.nextInt(ips.size())), userAgent)));
    }
  }

  private String render(String user, List<String> history) {
    StringBuilder sb = new StringBuilder();
    if (preamble != null) {
      sb.append(preamble.text().replace("{app}", appName)).append("\n\n");
    }
    if (historyTurns > 0 && !history.isEmpty()) {
      sb.append("Conversation so far:\n");
      for (int k = Math.max(0, history.size() - historyTurns); k < history.size(); k++) {
        String turn = history.get(k);
        sb.append("User: ").append(turn, 0, Math.min(turn.length(), 200)).append('\n');
      }
      sb.append("\nUser: ");
    }
    sb.append(template == null ? user : template.replace("{text}", user));
    if (contextRows > 0) {
      AppDomain d = TrafficBuilder.domain(contextDomain);
      sb.append("\n\nContext:");
      int k = 1 + b.rng.nextInt(contextRows);
      for (int j = 0; j < k; j++) {
        sb.append("\n- ").append(b.fromDomain(d).text());
      }
    }
    return sb.toString();
  }
}
