package io.distillguard.campaign;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Derives hashed {@link LinkKey}s from what passes through the ingest job: a query's client and
 * prompt, and an account's profile. Stateless and thread-safe; every raw value goes through the
 * {@link LinkHasher} before it leaves this class.
 *
 * <p>Per query: {@link LinkType#IP}, {@link LinkType#IP_PREFIX} (/24 for IPv4, /64 for IPv6, only
 * for a literal address: a pre-hashed IP gives the IP key only), {@link LinkType#USER_AGENT},
 * {@link LinkType#API_KEY_PATTERN}, {@link LinkType#SCAFFOLD} (the literal text the prompt's
 * template puts before and after the payload, {@link LiteralScaffold}) and the {@link
 * MinHash#PAYLOAD} bands of the prompt's payload (the prompt without its first paragraph when it
 * has several: a resent preamble is not the payload).
 *
 * <p>Per profile: {@link LinkType#SIGNUP_BURST} (the creation hour, and the hour shifted by 30
 * minutes so a burst across an hour boundary still shares a key), {@link LinkType#SIGNUP_WINDOW}
 * (the three-hour window, and that window shifted by 90 minutes, for a burst spread over an hour or
 * two; it only corroborates another key of how two accounts came), {@link LinkType#VERIFY_LATENCY}
 * (creation hour with the log2 bucket of the minutes to verification), {@link
 * LinkType#STATED_USE_TEMPLATE} (the {@link MinHash#STATED_USE} bands of the stated use's words:
 * the shape alone of a one-line stated use says nothing, "an app for our customers" has many
 * authors), and the optional {@code signup_ip}, {@code payment_fingerprint} and {@code
 * email_domain}.
 *
 * <p>Per account and address block: {@link LinkType#SIGNUP_BLOCK} ({@link #signupBlock}), which the
 * detector derives from the block keys of the account's queries and its sign-up time.
 */
public final class LinkExtractor {

  private static final Pattern IPV4 =
      Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");
  private static final Pattern IPV6_LITERAL = Pattern.compile("^[0-9A-Fa-f:.]+$");
  private static final Pattern KEY_RUNS =
      Pattern.compile("[0-9a-fA-F]*\\d[0-9a-fA-F]*|[A-Za-z0-9]{12,}");

  /**
   * The sign-up window of {@link LinkType#SIGNUP_WINDOW} (three hours, and the same shifted by
   * half): a swarm's sign-up machinery opens its accounts over an hour or two, and two of them an
   * hour and a half apart share no creation hour. Such a key is shared by more accounts than an
   * hour's, so it weighs less (the kind's rarity weighting), and it counts towards an edge only
   * beside another key of how the accounts came ({@link LinkType#corroboratesOnly()}).
   */
  static final long WINDOW_MILLIS = 3 * 3_600_000L;

  private final LinkHasher hasher;

  public LinkExtractor(LinkHasher hasher) {
    this.hasher = hasher;
  }

  /** Infrastructure and content keys of one query event. */
  public List<LinkKey> fromQuery(QueryEvent e) {
    List<LinkKey> keys = new ArrayList<>();
    if (e.client() != null) {
      keys.addAll(infrastructure(e.client().ip(), e.client().userAgent(), e.apiKeyId()));
    } else {
      keys.addAll(infrastructure(null, null, e.apiKeyId()));
    }
    keys.addAll(content(e.prompt()));
    return keys;
  }

  /** The infrastructure keys of a query's client IP, user agent and API key id (each optional). */
  public List<LinkKey> infrastructure(String ip, String userAgent, String apiKeyId) {
    List<LinkKey> keys = new ArrayList<>(4);
    if (ip != null && !ip.isBlank()) {
      String trimmed = ip.trim().toLowerCase(Locale.ROOT);
      keys.add(hasher.key(LinkType.IP, trimmed));
      String prefix = prefix(trimmed);
      if (prefix != null) {
        keys.add(hasher.key(LinkType.IP_PREFIX, prefix));
      }
    }
    if (userAgent != null && !userAgent.isBlank()) {
      keys.add(hasher.key(LinkType.USER_AGENT, userAgent.trim().toLowerCase(Locale.ROOT)));
    }
    if (apiKeyId != null && !apiKeyId.isBlank()) {
      keys.add(hasher.key(LinkType.API_KEY_PATTERN, apiKeyPattern(apiKeyId)));
    }
    return keys;
  }

  /** The content keys of a prompt: its scaffolds and its payload's MinHash bands. */
  public List<LinkKey> content(String prompt) {
    List<LinkKey> keys = new ArrayList<>(10);
    keys.addAll(scaffolds(prompt));
    for (String band : MinHash.PAYLOAD.bandKeys(payload(prompt))) {
      keys.add(hasher.key(LinkType.PAYLOAD_MINHASH_BAND, band));
    }
    return keys;
  }

  /**
   * The scaffold keys of a prompt: the literal text its template puts before the payload, and the
   * literal text it puts after ({@link LiteralScaffold}); none for free-form text, whose first and
   * last words are its own.
   */
  public List<LinkKey> scaffolds(String prompt) {
    List<LinkKey> keys = new ArrayList<>(2);
    for (String literal : LiteralScaffold.of(prompt)) {
      keys.add(hasher.key(LinkType.SCAFFOLD, literal));
    }
    return keys;
  }

  /** The first scaffold key of a prompt (see {@link #scaffolds}); null when it has none. */
  public LinkKey scaffold(String prompt) {
    List<LinkKey> keys = scaffolds(prompt);
    return keys.isEmpty() ? null : keys.get(0);
  }

  /** Registration keys of a profile. */
  public List<LinkKey> fromProfile(AccountProfile p) {
    List<LinkKey> keys = new ArrayList<>();
    if (p.createdAt() != null) {
      long created = p.createdAt().toEpochMilli();
      long hour = Math.floorDiv(created, 3_600_000L);
      keys.add(hasher.key(LinkType.SIGNUP_BURST, "h" + hour));
      keys.add(
          hasher.key(LinkType.SIGNUP_BURST, "s" + Math.floorDiv(created + 1_800_000L, 3_600_000L)));
      for (String window : signupWindows(created)) {
        keys.add(hasher.key(LinkType.SIGNUP_WINDOW, window));
      }
      if (p.verifiedAt() != null) {
        long minutes = Math.max(0, Duration.between(p.createdAt(), p.verifiedAt()).toMinutes());
        int bucket = 64 - Long.numberOfLeadingZeros(minutes);
        keys.add(hasher.key(LinkType.VERIFY_LATENCY, hour + "/" + bucket));
      }
    }
    if (p.statedUse() != null && !p.statedUse().isBlank()) {
      for (String band : MinHash.STATED_USE.bandKeys(p.statedUse())) {
        keys.add(hasher.key(LinkType.STATED_USE_TEMPLATE, "band:" + band));
      }
    }
    if (p.signupIp() != null && !p.signupIp().isBlank()) {
      keys.add(hasher.key(LinkType.SIGNUP_IP, p.signupIp().trim().toLowerCase(Locale.ROOT)));
    }
    if (p.paymentFingerprint() != null && !p.paymentFingerprint().isBlank()) {
      keys.add(hasher.key(LinkType.PAYMENT_FINGERPRINT, p.paymentFingerprint().trim()));
    }
    if (p.emailDomain() != null && !p.emailDomain().isBlank()) {
      keys.add(hasher.key(LinkType.EMAIL_DOMAIN, p.emailDomain().trim().toLowerCase(Locale.ROOT)));
    }
    return keys;
  }

  /**
   * The {@link LinkType#SIGNUP_BLOCK} keys of an account signed up at {@code signupMillis} whose
   * query came from the address block {@code prefix} (an {@link LinkType#IP_PREFIX} key, already
   * hashed): the block with the sign-up window, and with the window shifted by half, so two
   * accounts of one block signed up up to an hour and a half apart always share one.
   *
   * @throws IllegalArgumentException when {@code prefix} is not an address block key
   */
  public List<LinkKey> signupBlock(LinkKey prefix, long signupMillis) {
    if (prefix.type() != LinkType.IP_PREFIX) {
      throw new IllegalArgumentException("not an address block key: " + prefix);
    }
    List<String> windows = signupWindows(signupMillis);
    return List.of(
        hasher.key(LinkType.SIGNUP_BLOCK, prefix.value() + "/" + windows.get(0)),
        hasher.key(LinkType.SIGNUP_BLOCK, prefix.value() + "/" + windows.get(1)));
  }

  /**
   * The sign-up window of a sign-up time and the window shifted by half ({@link #WINDOW_MILLIS}),
   * as key values: two sign-ups up to an hour and a half apart always share one.
   */
  private static List<String> signupWindows(long signupMillis) {
    return List.of(
        "w" + Math.floorDiv(signupMillis, WINDOW_MILLIS),
        "v" + Math.floorDiv(signupMillis + WINDOW_MILLIS / 2, WINDOW_MILLIS));
  }

  /**
   * The payload of a prompt for near-duplicate matching: the prompt without its first paragraph
   * when it has several (an app's resent preamble would otherwise make all its prompts alike).
   */
  static String payload(String prompt) {
    if (prompt == null) {
      return "";
    }
    int split = prompt.indexOf("\n\n");
    if (split > 0 && split < prompt.length() - 2) {
      return prompt.substring(split + 2);
    }
    return prompt;
  }

  /** The API key id with runs of digits / hex and long random runs masked: {@code key-#-live}. */
  static String apiKeyPattern(String apiKeyId) {
    return KEY_RUNS.matcher(apiKeyId.trim()).replaceAll("#");
  }

  /** The /24 of an IPv4 or the /64 of an IPv6 literal; null for anything else (a hashed IP). */
  static String prefix(String ip) {
    var m = IPV4.matcher(ip);
    if (m.matches()) {
      return m.group(1) + "." + m.group(2) + "." + m.group(3) + ".0/24";
    }
    if (ip.indexOf(':') >= 0 && IPV6_LITERAL.matcher(ip).matches()) {
      try {
        // A literal containing only hex digits, ':' and '.' is parsed without a name lookup.
        byte[] b = InetAddress.getByName(ip).getAddress();
        if (b.length == 16) {
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < 8; i += 2) {
            sb.append(String.format("%02x%02x:", b[i], b[i + 1]));
          }
          return sb.append(":/64").toString();
        }
      } catch (UnknownHostException e) {
        return null;
      }
    }
    return null;
  }
}
