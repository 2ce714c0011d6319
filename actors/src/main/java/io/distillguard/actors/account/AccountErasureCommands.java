package io.distillguard.actors.account;

import io.distillguard.actors.account.AccountEntity.AccountErased;
import io.distillguard.actors.account.AccountEntity.CampaignFlagged;
import io.distillguard.actors.account.AccountEntity.CampaignsErased;
import io.distillguard.actors.account.AccountEntity.EraseAccount;
import io.distillguard.actors.account.AccountEntity.Event;
import io.distillguard.actors.account.AccountEntity.FlagByCampaign;
import io.distillguard.detect.AccountDetector;
import java.time.Clock;
import java.util.function.LongSupplier;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the account entity answers the commands whose answer depends on its erasure: the erasure
 * itself, and its campaigns' words ({@link FlagByCampaign}, {@link CampaignsErased}), which an
 * erasure in progress holds back and a campaign's word about the erased history leaves unheard.
 * Holds the entity's erasure bookkeeping, in memory (see {@link CampaignsErased}).
 */
final class AccountErasureCommands {

  private static final Logger LOG = LoggerFactory.getLogger(AccountEntity.class);

  private final String accountId;
  private final AccountDetector detector;
  private final Clock clock;
  private final EffectFactories<Event, AccountState> effects;

  /** The entity's last sequence number, read once the erasure marker is persisted. */
  private final LongSupplier lastSequenceNumber;

  /** Between its erasure marker and the {@link CampaignsErased} that completes the erasure. */
  private boolean erasing;

  /** The campaigns the account was erased from, each with its fact's sequence number. */
  private final java.util.Map<String, Long> erasedFrom = new java.util.HashMap<>();

  AccountErasureCommands(
      String accountId,
      AccountDetector detector,
      Clock clock,
      EffectFactories<Event, AccountState> effects,
      LongSupplier lastSequenceNumber) {
    this.accountId = accountId;
    this.detector = detector;
    this.clock = clock;
    this.effects = effects;
    this.lastSequenceNumber = lastSequenceNumber;
  }

  /** The entity's effect factories (named as the entity's own method, whose code this was). */
  @SuppressWarnings("MethodName")
  private EffectFactories<Event, AccountState> Effect() {
    return effects;
  }

  ReplyEffect<Event, AccountState> onErase(AccountState state, EraseAccount cmd) {
    LOG.info("account {} erased", accountId);
    erasing = true;
    return Effect()
        .persist(new AccountErased(clock.millis()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(lastSequenceNumber.getAsLong()));
  }

  ReplyEffect<Event, AccountState> onCampaignFlag(AccountState state, FlagByCampaign cmd) {
    if (erasing && state.queriesObserved() > 0) {
      // A new history began during the erasure: which campaigns' words are about the erased one is
      // known once the campaigns are restated, so the delivery keeps the word and sends it again
      // (the erasure deletes it). Without a history the word is ignored below, as always.
      return Effect().reply(cmd.replyTo(), StatusReply.error("account " + accountId + " erasing"));
    }
    if (CampaignFlags.beforeErasure(erasedFrom, cmd)) {
      return Effect().reply(cmd.replyTo(), StatusReply.ack()); // about the erased history
    }
    java.util.Optional<CampaignFlagged> flagged = CampaignFlags.decide(state, cmd, detector);
    if (flagged.isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.ack()); // stale, repeated or outranked
    }
    CampaignFlagged e = flagged.get();
    LOG.info(
        "account {} {} by campaign {}: {} -> {}",
        accountId,
        e.flag() == null ? "unflagged" : "flagged " + e.flag().level(),
        e.campaignId(),
        e.from(),
        e.to());
    return Effect().persist(e).thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  ReplyEffect<Event, AccountState> onCampaignsErased(AccountState state, CampaignsErased cmd) {
    erasing = false;
    cmd.facts().forEach((campaign, seq) -> erasedFrom.merge(campaign, seq, Math::max));
    java.util.List<CampaignFlagged> lifted =
        CampaignFlags.liftErased(state, erasedFrom, clock.millis(), detector);
    if (lifted.isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.ack());
    }
    LOG.info(
        "account {}: {} campaign flag(s) decided before its erasure lifted",
        accountId,
        lifted.size());
    return Effect()
        .persist(java.util.List.<Event>copyOf(lifted))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }
}
