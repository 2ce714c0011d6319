package io.distillguard.actors.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Erasure and retention of a dead-letter file ({@code dead-letters.jsonl}: one {@code
 * {"source","reason","line","received_at"}} per line). The file is rewritten without the letters
 * that go (to a temporary file moved over the original, so a crash leaves one or the other whole).
 * Not for a file the ingest job is writing at that moment: run it with the job stopped.
 */
public final class DeadLetterFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DeadLetterFiles() {}

  /**
   * Removes every dead letter whose original line belongs to {@code accountId}: its {@code
   * account_id} field, read as JSON or, for a line that is not whole JSON (malformed or cut),
   * matched as the literal {@code "account_id":"<id>"}. Returns how many were removed.
   */
  public static long erase(Path file, String accountId) {
    String quoted;
    try {
      quoted = JSON.writeValueAsString(accountId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Pattern literal = Pattern.compile("\"account_id\"\\s*:\\s*" + Pattern.quote(quoted));
    return rewrite(file, letter -> belongsTo(letter, accountId, literal));
  }

  /** Removes every dead letter received before {@code cutoff}; returns how many. */
  public static long expire(Path file, Instant cutoff) {
    return rewrite(
        file,
        letter -> {
          try {
            return Instant.parse(letter.path("received_at").asText()).isBefore(cutoff);
          } catch (DateTimeParseException e) {
            return false;
          }
        });
  }

  private static boolean belongsTo(JsonNode letter, String accountId, Pattern literal) {
    String line = letter.path("line").asText("");
    try {
      JsonNode original = JSON.readTree(line);
      if (original != null && original.isObject() && original.has("account_id")) {
        return accountId.equals(original.path("account_id").asText());
      }
    } catch (IOException e) {
      // not whole JSON: fall through to the literal match
    }
    return literal.matcher(line).find();
  }

  private static long rewrite(Path file, Predicate<JsonNode> drop) {
    if (!Files.exists(file)) {
      return 0;
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".rewrite");
    long dropped = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode letter;
        try {
          letter = JSON.readTree(line);
        } catch (IOException e) {
          letter = null;
        }
        if (letter != null && drop.test(letter)) {
          dropped++;
        } else {
          out.write(line);
          out.newLine();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + file, e);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace " + file, e);
    }
    return dropped;
  }
}
