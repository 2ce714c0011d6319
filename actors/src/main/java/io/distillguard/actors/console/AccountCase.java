package io.distillguard.actors.console;

import io.distillguard.actors.AccountStatus;
import io.distillguard.contract.AccountProfile;
import java.util.List;

/**
 * Everything a reviewer decides one account on: its status (level, signals, reasons, review), its
 * journal folded ({@link AccountHistory}), its profile when known, and the prompts that weigh most.
 *
 * @param evidenceError why the evidence could not be read (no store on this node); null when read
 */
public record AccountCase(
    AccountStatus status,
    AccountHistory history,
    AccountProfile profile,
    List<EvidenceRanking.Ranked> evidence,
    String evidenceError) {}
