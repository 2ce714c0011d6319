package io.distillguard.launcher.local;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What one local replay runs over and where its escalations go.
 *
 * @param profiles JSONL file of account profiles
 * @param events JSONL file of query events
 * @param dataDir where the vector store, the journal, the outbox and the dead letters live
 * @param webhookUrl receiver of {@code account.review_requested} escalations
 * @param webhookSecret {@code whsec_...} secret the webhooks are signed with
 * @param throttleUrl receiver of {@code account.throttled} directives, if any
 * @param policyFile a policy file to use (and reload on change) instead of the shipped default
 * @param parallelism parallelism of the ingest job
 */
public record ReplayRequest(
    Path profiles,
    Path events,
    Path dataDir,
    String webhookUrl,
    String webhookSecret,
    Optional<String> throttleUrl,
    Optional<Path> policyFile,
    int parallelism) {}
