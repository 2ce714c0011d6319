package io.distillguard.actors.account;

import io.distillguard.actors.account.AccountEntity.Event;
import io.distillguard.actors.account.AccountEntity.GetStatus;
import io.distillguard.actors.account.AccountEntity.ObservationsRecorded;
import io.distillguard.actors.account.AccountEntity.ReviewAccount;
import io.distillguard.actors.account.AccountEntity.Reviewed;
import io.distillguard.detect.AccountDetector;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import java.time.Clock;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the account entity answers its observations, status asks and reviews: the policy is evaluated
 * here only, and what it decided is persisted before the reply (the commands whose answer depends
 * on an erasure are in {@link AccountErasureCommands}).
 */
final class AccountCommands {

  private static final Logger LOG = LoggerFactory.getLogger(AccountEntity.class);

  private final String accountId;
  private final AccountDetector detector;
  private final Clock clock;
  private final EffectFactories<Event, AccountState> effects;

  AccountCommands(
      String accountId,
      AccountDetector detector,
      Clock clock,
      EffectFactories<Event, AccountState> effects) {
    this.accountId = accountId;
    this.detector = detector;
    this.clock = clock;
    this.effects = effects;
  }

  /** The entity's effect factories (named as the entity's own method, whose code this was). */
  @SuppressWarnings("MethodName")
  private EffectFactories<Event, AccountState> Effect() {
    return effects;
  }

  ReplyEffect<Event, AccountState> onGetStatus(AccountState state, GetStatus cmd) {
    return Effect().reply(cmd.replyTo(), state.toStatus(accountId));
  }

  /**
   * Decides on {@code observations} (see {@link ObservationDecisions}), then persists the result.
   */
  ReplyEffect<Event, AccountState> onRecord(
      AccountState state,
      List<AccountObservation> observations,
      ActorRef<StatusReply<Done>> replyTo) {
    ObservationDecisions.Outcome out =
        ObservationDecisions.decide(accountId, state, observations, detector);
    if (out.refusal() != null) {
      return Effect().reply(replyTo, StatusReply.error(out.refusal()));
    }
    if (out.events().isEmpty()) {
      return Effect().reply(replyTo, StatusReply.ack());
    }
    // One journal row however many observations: the facts persisted as one chunk event.
    Event persisted =
        out.events().size() == 1 ? out.events().get(0) : new ObservationsRecorded(out.events());
    return Effect().persist(persisted).thenReply(replyTo, s -> StatusReply.ack());
  }

  ReplyEffect<Event, AccountState> onReview(AccountState state, ReviewAccount cmd) {
    if (cmd.verdict() != Level.CLEARED && cmd.verdict() != Level.CONFIRMED) {
      return Effect()
          .reply(cmd.replyTo(), StatusReply.error("verdict must be CLEARED or CONFIRMED"));
    }
    if (state.queriesObserved() == 0) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("unknown account: " + accountId));
    }
    LOG.info("account {} reviewed: {}", accountId, cmd.verdict());
    return Effect()
        .persist(
            new Reviewed(
                cmd.verdict(),
                cmd.reviewer(),
                cmd.note(),
                clock.millis(),
                state.queriesObserved(),
                state.signals()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(s.toStatus(accountId)));
  }
}
