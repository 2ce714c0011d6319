package io.distillguard.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The literal text a template puts around its payload: what one wrapper's prompts share word for
 * word, and prompts that merely look alike do not. A prompt's shape ({@code TemplateFingerprint})
 * is shared by every question phrased the same way ("what is the w of w?") and by every app whose
 * preamble follows a common pattern ("you are w's assistant."), so unrelated accounts share it; the
 * literal words of a harvesting wrapper are the same in every one of its prompts and nowhere else.
 *
 * <p>Two parts, each optional: the <em>head</em>, the prompt's first words up to the first colon
 * (or the first line break after a few tokens), at most {@value #HEAD_TOKENS} tokens, when it holds
 * at least {@value #MIN_WORDS} words: a role label such as "System:" or "Conversation so far:" is
 * no template; and the <em>tail</em>, the last {@value #TAIL_TOKENS} tokens, when there is text
 * between head and tail and the tail holds at least {@value #MIN_WORDS} words (a wrapper that puts
 * its instructions after the payload). For free-form prompts both contain payload words and differ
 * from prompt to prompt.
 *
 * <p>An app that resends the conversation puts the transcript first ("Conversation so far:\nUser:
 * ...\nUser: ..."), so the prompt's head is the transcript's, and a wrapper around the request
 * would show only in the middle of the text. When the prompt ends with a role-labelled turn ({@code
 * User:} or {@code Human:} at the start of a line, after other text), that turn's head is taken as
 * well, spelt as a prompt's head is ({@code "h:"}): the same wrapper gives the same key with or
 * without a transcript before it. Stateless.
 */
final class LiteralScaffold {

  static final int HEAD_TOKENS = 12;
  static final int TAIL_TOKENS = 10;
  static final int MIN_WORDS = 4;
  private static final int MAX_CHARS = 600;
  private static final Pattern TURN = Pattern.compile("(?im)^(?:user|human)[ \\t]*:[ \\t]*");

  private LiteralScaffold() {}

  /** The literal head and tail of a prompt (0, 1 or 2 strings, prefixed "h:" and "t:"). */
  static List<String> of(String prompt) {
    List<String> out = new ArrayList<>(2);
    if (prompt == null || prompt.isBlank()) {
      return out;
    }
    String text = prompt.length() > MAX_CHARS ? prompt.substring(0, MAX_CHARS) : prompt;
    List<String> head = new ArrayList<>();
    int headWords = 0;
    int headEnd = tokens(text, 0, HEAD_TOKENS, head, true);
    for (String t : head) {
      headWords += isWord(t) ? 1 : 0;
    }
    if (headWords >= MIN_WORDS) {
      out.add("h:" + String.join(" ", head));
    }
    String turnHead = lastTurnHead(prompt);
    if (turnHead != null && !out.contains(turnHead)) {
      out.add(turnHead);
    }
    String end =
        prompt.length() > MAX_CHARS ? prompt.substring(prompt.length() - MAX_CHARS) : prompt;
    List<String> all = new ArrayList<>();
    tokens(end, 0, Integer.MAX_VALUE, all, false);
    if (all.size() > TAIL_TOKENS) {
      List<String> tail = all.subList(all.size() - TAIL_TOKENS, all.size());
      int tailWords = 0;
      for (String t : tail) {
        tailWords += isWord(t) ? 1 : 0;
      }
      boolean payloadBetween = prompt.length() - headEnd > tailChars(end, TAIL_TOKENS) + 1;
      if (tailWords >= MIN_WORDS && payloadBetween) {
        out.add("t:" + String.join(" ", tail));
      }
    }
    return out;
  }

  /**
   * The head ({@code "h:"}) of the prompt's last role-labelled turn when other text comes before it
   * (a transcript); null when there is none or it holds fewer than {@value #MIN_WORDS} words.
   */
  static String lastTurnHead(String prompt) {
    Matcher m = TURN.matcher(prompt);
    int label = -1;
    int start = -1;
    while (m.find()) {
      label = m.start();
      start = m.end();
    }
    if (label <= 0 || start >= prompt.length() || prompt.substring(0, label).isBlank()) {
      return null;
    }
    String turn = prompt.substring(start, Math.min(prompt.length(), start + MAX_CHARS));
    List<String> head = new ArrayList<>();
    tokens(turn, 0, HEAD_TOKENS, head, true);
    int words = 0;
    for (String t : head) {
      words += isWord(t) ? 1 : 0;
    }
    return words >= MIN_WORDS ? "h:" + String.join(" ", head) : null;
  }

  private static boolean isWord(String token) {
    return Character.isLetterOrDigit(token.charAt(0));
  }

  /**
   * Lower-cased tokens (words, single punctuation marks, line breaks) from {@code from}, at most
   * {@code max}; with {@code head}, stops after a colon or a line break once a few tokens are in.
   * Returns the index after the last token read.
   */
  private static int tokens(String text, int from, int max, List<String> out, boolean head) {
    int i = from;
    int n = text.length();
    while (i < n && out.size() < max) {
      char c = text.charAt(i);
      String token;
      if (c == '\n') {
        token = "\\n";
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
        continue;
      } else if (Character.isLetterOrDigit(c)) {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '\'')) {
          i++;
        }
        token = text.substring(start, i).toLowerCase(Locale.ROOT);
      } else {
        token = String.valueOf(c);
        i++;
      }
      if (token.equals("\\n") && !out.isEmpty() && out.get(out.size() - 1).equals("\\n")) {
        continue;
      }
      out.add(token);
      if (head && (token.equals(":") || (token.equals("\\n") && out.size() > 3))) {
        break;
      }
    }
    return i;
  }

  /** Characters the last {@code count} non-blank tokens of {@code text} span. */
  private static int tailChars(String text, int count) {
    int i = text.length();
    int seen = 0;
    while (i > 0 && seen < count) {
      i--;
      char c = text.charAt(i);
      if (Character.isWhitespace(c) && c != '\n') {
        continue;
      }
      if (Character.isLetterOrDigit(c)) {
        while (i > 0
            && (Character.isLetterOrDigit(text.charAt(i - 1)) || text.charAt(i - 1) == '\'')) {
          i--;
        }
      }
      seen++;
    }
    return text.length() - i;
  }
}
