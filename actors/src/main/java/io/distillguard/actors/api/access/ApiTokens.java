package io.distillguard.actors.api.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's bearer tokens, each with a name and a role, from three places:
 *
 * <ul>
 *   <li>a list in the environment ({@code DISTILLGUARD_API_TOKENS}): entries {@code
 *       name:role:token} separated by commas or new lines;
 *   <li>a mounted file ({@code DISTILLGUARD_API_TOKENS_FILE}), one {@code name:role:token} per line
 *       ({@code #} starts a comment), re-read when it changes (checked at most once a second), so a
 *       token is rotated by editing the file (or updating the Kubernetes Secret behind it): add the
 *       new token, move the callers, remove the old one. A file that cannot be read or parsed on a
 *       later check keeps the last good list (logged); at start it stops the service;
 *   <li>the single token of earlier versions ({@code DISTILLGUARD_API_TOKEN}), which acts as an
 *       {@code admin} token named {@code api-token}.
 * </ul>
 *
 * <p>Only SHA-256 digests of the tokens are kept. A presented token is compared with every known
 * digest in constant time ({@link MessageDigest#isEqual}), without stopping at a match, so timing
 * says nothing about which token, or how much of one, matched. Tokens shorter than {@value
 * #MIN_TOKEN_LENGTH} characters are refused. Thread-safe.
 */
public final class ApiTokens {

  private static final Logger LOG = LoggerFactory.getLogger(ApiTokens.class);

  /** The shortest token accepted: shorter ones are guessable. */
  public static final int MIN_TOKEN_LENGTH = 16;

  /** The name under which the single {@code DISTILLGUARD_API_TOKEN} is audited. */
  public static final String FALLBACK_NAME = "api-token";

  private static final long RECHECK_NANOS = 1_000_000_000L;

  private record Entry(String name, Role role, byte[] digest) {}

  private record Stamp(long modifiedMillis, long size, Object fileKey) {}

  private final List<Entry> fixed;
  private final Path file;
  private volatile List<Entry> fromFile = List.of();
  private volatile Stamp stamp;
  private volatile long checkedAtNanos;

  private ApiTokens(List<Entry> fixed, Path file) {
    this.fixed = fixed;
    this.file = file;
  }

  /**
   * Reads the token sources; any may be null or blank.
   *
   * @param inline the {@code DISTILLGUARD_API_TOKENS} list
   * @param file the {@code DISTILLGUARD_API_TOKENS_FILE} path
   * @param fallbackToken the single {@code DISTILLGUARD_API_TOKEN} (an admin token)
   * @throws IllegalArgumentException for a malformed entry, a short token, an unknown role, a name
   *     used twice or a file that cannot be read
   */
  public static ApiTokens of(String inline, Path file, String fallbackToken) {
    List<Entry> fixed = new ArrayList<>();
    if (inline != null && !inline.isBlank()) {
      fixed.addAll(parse(inline.replace(',', '\n'), "DISTILLGUARD_API_TOKENS"));
    }
    if (fallbackToken != null && !fallbackToken.isBlank()) {
      fixed.add(entry(FALLBACK_NAME, Role.ADMIN, fallbackToken.strip(), "DISTILLGUARD_API_TOKEN"));
    }
    ApiTokens tokens = new ApiTokens(List.copyOf(fixed), file);
    if (file != null) {
      tokens.reload(true);
    }
    tokens.checkUnique(tokens.fromFile);
    return tokens;
  }

  /** No tokens at all: the API is open, which {@code ApiAccess} allows on loopback only. */
  public static ApiTokens none() {
    return new ApiTokens(List.of(), null);
  }

  /** True when any token source is configured (then every non-public endpoint needs a token). */
  public boolean configured() {
    return !fixed.isEmpty() || file != null;
  }

  /** The caller a presented bearer token belongs to, if any. */
  public Optional<Principal> authenticate(String token) {
    maybeReload();
    byte[] presented = sha256(token);
    Entry match = null;
    for (List<Entry> list : List.of(fixed, fromFile)) {
      for (Entry e : list) {
        // Every digest is compared: no early exit on a match.
        if (MessageDigest.isEqual(presented, e.digest()) && match == null) {
          match = e;
        }
      }
    }
    return match == null
        ? Optional.empty()
        : Optional.of(new Principal(match.name(), match.role()));
  }

  /** How many tokens are known now, for the start-up log (never the tokens). */
  public int size() {
    return fixed.size() + fromFile.size();
  }

  private void maybeReload() {
    if (file != null && System.nanoTime() - checkedAtNanos > RECHECK_NANOS) {
      reload(false);
    }
  }

  private synchronized void reload(boolean atStart) {
    checkedAtNanos = System.nanoTime();
    try {
      BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
      Stamp now = new Stamp(attrs.lastModifiedTime().toMillis(), attrs.size(), attrs.fileKey());
      if (now.equals(stamp)) {
        return;
      }
      List<Entry> read = parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
      checkUnique(read);
      fromFile = read;
      stamp = now;
      if (!atStart) {
        LOG.info("API tokens reloaded from {}: {} tokens", file, read.size());
      }
    } catch (IOException | RuntimeException e) {
      if (atStart) {
        throw new IllegalArgumentException("cannot read the API token file " + file + ": " + e, e);
      }
      LOG.warn(
          "API token file {} not reloaded, keeping the last good tokens: {}", file, e.toString());
    }
  }

  private void checkUnique(List<Entry> other) {
    Set<String> names = new HashSet<>();
    for (List<Entry> list : List.of(fixed, other)) {
      for (Entry e : list) {
        if (!names.add(e.name())) {
          throw new IllegalArgumentException("API token name '" + e.name() + "' is used twice");
        }
      }
    }
  }

  private static List<Entry> parse(String text, String source) {
    List<Entry> out = new ArrayList<>();
    int lineNo = 0;
    for (String raw : text.split("\n")) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(":", 3);
      if (parts.length != 3 || parts[0].isBlank()) {
        // Never echo the line: it may hold a token.
        throw new IllegalArgumentException(source + " entry " + lineNo + " is not name:role:token");
      }
      out.add(entry(parts[0].strip(), Role.parse(parts[1]), parts[2].strip(), source));
    }
    return out;
  }

  private static Entry entry(String name, Role role, String token, String source) {
    if (token.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException(
          source
              + ": the token of '"
              + name
              + "' is shorter than "
              + MIN_TOKEN_LENGTH
              + " characters");
    }
    return new Entry(name, role, sha256(token));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
