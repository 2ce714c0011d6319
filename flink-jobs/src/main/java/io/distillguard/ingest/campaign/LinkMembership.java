package io.distillguard.ingest.campaign;

/**
 * An account joined a link key that other accounts are on: the per-key operator's output (a
 * membership, not a graph). A concrete public record so Flink serializes it without Kryo.
 *
 * @param linkKey the key's wire form ({@code type:hash})
 * @param accountId the account that joined
 * @param atMillis event time it joined
 * @param weight the key's weight at that moment (0..1, falls as more accounts share it)
 * @param accounts distinct accounts seen on the key so far (an estimate past a few hundred)
 * @param coMembers the other current members (at most the key's member bound)
 */
public record LinkMembership(
    String linkKey,
    String accountId,
    long atMillis,
    double weight,
    double accounts,
    String[] coMembers) {}
