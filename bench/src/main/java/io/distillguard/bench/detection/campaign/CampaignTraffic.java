package io.distillguard.bench.detection.campaign;

import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.QueryEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The campaign benchmark's traffic: profiles with their registration fields, events in event-time
 * order, and the labels apart.
 */
public record CampaignTraffic(
    List<RegisteredProfile> profiles, List<QueryEvent> events, List<CampaignLabel> labels) {

  /** Writes {@code profiles.jsonl}, {@code events.jsonl} and {@code labels.jsonl} into dir. */
  public void write(Path dir) {
    ContractCodec codec = new ContractCodec(ContractLimits.DEFAULT);
    try {
      Files.createDirectories(dir);
      try (BufferedWriter out =
          Files.newBufferedWriter(dir.resolve("profiles.jsonl"), StandardCharsets.UTF_8)) {
        for (RegisteredProfile p : profiles) {
          out.write(p.toJson(codec));
          out.newLine();
        }
      }
      try (BufferedWriter out =
          Files.newBufferedWriter(dir.resolve("events.jsonl"), StandardCharsets.UTF_8)) {
        for (QueryEvent e : events) {
          out.write(codec.writeEvent(e));
          out.newLine();
        }
      }
      try (BufferedWriter out =
          Files.newBufferedWriter(dir.resolve("labels.jsonl"), StandardCharsets.UTF_8)) {
        for (CampaignLabel l : labels) {
          out.write(l.toJson());
          out.newLine();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Account id to label. */
  public Map<String, CampaignLabel> labelsById() {
    Map<String, CampaignLabel> m = new HashMap<>();
    labels.forEach(l -> m.put(l.accountId(), l));
    return m;
  }

  /**
   * When each profile enters a replay: at its sign-up, or just before the account's first query
   * when that comes earlier (account id → epoch millis).
   */
  public Map<String, Long> profileEntryMillis() {
    Map<String, Long> firstQuery = new HashMap<>();
    for (QueryEvent e : events) {
      firstQuery.putIfAbsent(e.accountId(), e.timestamp().toEpochMilli());
    }
    Map<String, Long> at = new HashMap<>();
    for (RegisteredProfile p : profiles) {
      long created = p.profile().createdAt().toEpochMilli();
      at.put(p.accountId(), Math.min(created, firstQuery.getOrDefault(p.accountId(), created) - 1));
    }
    return at;
  }
}
