package io.distillguard.bench.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ground truth for one benchmark account, kept in a labels file apart from the events (the
 * pipeline never sees it).
 *
 * @param accountId the account
 * @param kind its traffic shape
 * @param swarmId the swarm it belongs to, or {@code null}
 * @param queries how many events it sent
 * @param statedUse what its profile declares
 */
public record AccountLabel(
    String accountId, AccountKind kind, String swarmId, int queries, String statedUse) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** True for distillation traffic. */
  public boolean campaign() {
    return kind.campaign();
  }

  /** One JSON line. */
  public String toJson() {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("account_id", accountId);
    o.put("kind", kind.name());
    o.put("campaign", kind.campaign());
    o.put("hard_negative", kind.hardNegative());
    if (swarmId != null) {
      o.put("swarm_id", swarmId);
    }
    o.put("queries", queries);
    o.put("stated_use", statedUse);
    return o.toString();
  }

  /** Parses one line written by {@link #toJson()}. */
  public static AccountLabel fromJson(String line) {
    try {
      JsonNode n = MAPPER.readTree(line);
      return new AccountLabel(
          n.path("account_id").asText(),
          AccountKind.valueOf(n.path("kind").asText()),
          n.hasNonNull("swarm_id") ? n.get("swarm_id").asText() : null,
          n.path("queries").asInt(),
          n.path("stated_use").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a labels file, one JSON line per account. */
  public static void write(Path file, List<AccountLabel> labels) {
    List<String> lines = new ArrayList<>(labels.size());
    labels.forEach(l -> lines.add(l.toJson()));
    try {
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a labels file. */
  public static List<AccountLabel> read(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank())
          .map(AccountLabel::fromJson)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
