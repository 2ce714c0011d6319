package io.distillguard.enrich;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A 64-bit hash of a prompt's <em>shape</em>: what stays the same when a script fills one template
 * with different content. Prompts generated from "Translate to French: {text}" share one
 * fingerprint, whatever the text; unrelated prompts almost never do.
 *
 * <p>The shape is the prompt's instruction head, lower-cased and tokenised, where:
 *
 * <ul>
 *   <li>numbers (and words containing digits) become {@code #}, quoted strings become {@code "};
 *   <li>structure words (function words and common instruction words, a fixed list) are kept, any
 *       other word is content and becomes {@code w}; articles are dropped and a run of masks
 *       collapses into one, so the payload's length does not show;
 *   <li>punctuation is kept; a line break is a token;
 *   <li>the head ends after the first {@code :} (or the first line break after at least four
 *       tokens) within the first {@value #HEAD} tokens: everything after it is the template's
 *       payload and becomes one marker; otherwise the head is the first {@value #HEAD} tokens.
 * </ul>
 *
 * <p>The hash is 64-bit FNV-1a over the UTF-8 shape tokens: stable across JVMs and releases, so
 * fingerprints stored in account state stay comparable. Changing the word list or the rules above
 * changes fingerprints; detectors then see "new" templates for a while, nothing worse.
 */
public final class TemplateFingerprint {

  /** Tokens of shape kept at most. */
  static final int HEAD = 12;

  /** Only the start of a prompt is read: a template's structure is at its beginning. */
  private static final int MAX_CHARS = 600;

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private static final Set<String> ARTICLES = Set.of("a", "an", "the");

  // Set.copyOf tolerates repeats, so operators can extend the list without checking for them.
  private static final Set<String> STRUCTURE =
      Set.copyOf(
          Arrays.asList(
              // pronouns, auxiliaries, prepositions, conjunctions, question words
              "i",
              "me",
              "my",
              "we",
              "our",
              "you",
              "your",
              "it",
              "its",
              "he",
              "she",
              "his",
              "her",
              "they",
              "them",
              "their",
              "this",
              "that",
              "these",
              "those",
              "there",
              "here",
              "is",
              "are",
              "was",
              "were",
              "be",
              "been",
              "being",
              "am",
              "do",
              "does",
              "did",
              "have",
              "has",
              "had",
              "can",
              "could",
              "will",
              "would",
              "should",
              "shall",
              "may",
              "might",
              "must",
              "not",
              "no",
              "yes",
              "to",
              "of",
              "in",
              "on",
              "at",
              "by",
              "for",
              "from",
              "with",
              "without",
              "about",
              "into",
              "onto",
              "over",
              "under",
              "between",
              "as",
              "than",
              "then",
              "and",
              "or",
              "but",
              "if",
              "so",
              "because",
              "while",
              "when",
              "where",
              "what",
              "which",
              "who",
              "whom",
              "whose",
              "why",
              "how",
              "all",
              "any",
              "each",
              "every",
              "some",
              "many",
              "much",
              "more",
              "most",
              "other",
              "following",
              "given",
              "below",
              "above",
              "using",
              "based",
              "only",
              "one",
              "two",
              "three",
              "please",
              "let",
              "let's",
              "s",
              "t",
              // instruction verbs
              "write",
              "translate",
              "summarize",
              "summarise",
              "explain",
              "describe",
              "list",
              "give",
              "generate",
              "create",
              "make",
              "rewrite",
              "paraphrase",
              "classify",
              "answer",
              "solve",
              "calculate",
              "compute",
              "find",
              "tell",
              "convert",
              "choose",
              "select",
              "identify",
              "extract",
              "compare",
              "provide",
              "suggest",
              "complete",
              "continue",
              "determine",
              "implement",
              "define",
              "name",
              "read",
              "return",
              "output",
              "respond",
              "act",
              "pretend",
              "imagine",
              "consider",
              "is",
              "show",
              "prove",
              "evaluate",
              "rate",
              "correct",
              "fix",
              // instruction nouns and qualifiers
              "question",
              "questions",
              "answers",
              "sentence",
              "sentences",
              "text",
              "paragraph",
              "passage",
              "article",
              "document",
              "context",
              "story",
              "poem",
              "email",
              "essay",
              "summary",
              "word",
              "words",
              "step",
              "steps",
              "option",
              "options",
              "choice",
              "choices",
              "example",
              "examples",
              "input",
              "task",
              "instruction",
              "instructions",
              "function",
              "program",
              "code",
              "script",
              "query",
              "python",
              "sql",
              "language",
              "english",
              "french",
              "spanish",
              "german",
              "chinese",
              "japanese",
              "format",
              "json",
              "title",
              "short",
              "brief",
              "detailed",
              "simple",
              "correct",
              "true",
              "false",
              "best",
              "following",
              "statement",
              "review",
              "sentiment",
              "topic",
              "category",
              "response",
              "q",
              "user",
              "assistant",
              "system"));

  private TemplateFingerprint() {}

  /** The fingerprint of a prompt; {@code 0} for {@code null} (and never {@code 0} otherwise). */
  public static long of(String prompt) {
    if (prompt == null) {
      return 0L;
    }
    long h = FNV_OFFSET;
    for (String token : shape(prompt)) {
      for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
        h ^= (b & 0xff);
        h *= FNV_PRIME;
      }
      h ^= 0x1f; // token separator
      h *= FNV_PRIME;
    }
    return h == 0L ? 1L : h;
  }

  /** The shape tokens the fingerprint hashes (exposed for tests and diagnostics). */
  static List<String> shape(String prompt) {
    String text = prompt.length() > MAX_CHARS ? prompt.substring(0, MAX_CHARS) : prompt;
    text = text.toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n && out.size() < HEAD) {
      char c = text.charAt(i);
      String token;
      if (c == '\n') {
        token = "\\n";
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
        continue;
      } else if (c == '"' || c == '\u201c' || c == '`') {
        char close = c == '\u201c' ? '\u201d' : c;
        int end = text.indexOf(close, i + 1);
        if (end < 0 || end - i > 300) {
          i++;
          continue; // a stray quote character is not structure
        }
        token = "\"";
        i = end + 1;
      } else if (Character.isLetterOrDigit(c)) {
        int start = i;
        boolean digit = false;
        while (i < n
            && (Character.isLetterOrDigit(text.charAt(i))
                || text.charAt(i) == '\''
                || text.charAt(i) == '_'
                || ((text.charAt(i) == '.' || text.charAt(i) == ',')
                    && i + 1 < n
                    && Character.isDigit(text.charAt(i + 1))
                    && digit))) {
          digit |= Character.isDigit(text.charAt(i));
          i++;
        }
        String word = text.substring(start, i);
        if (ARTICLES.contains(word)) {
          continue;
        }
        token = digit ? "#" : STRUCTURE.contains(word) ? word : "w";
      } else {
        token = String.valueOf(c);
        i++;
      }
      boolean mask = token.equals("w") || token.equals("#") || token.equals("\"");
      if (mask && !out.isEmpty() && out.get(out.size() - 1).equals(token)) {
        continue; // a run of content collapses: the payload's length must not show
      }
      out.add(token);
      // A line break ends the head only after a few tokens: a short greeting line is not a
      // template.
      if (token.equals(":") || (token.equals("\\n") && out.size() > 3)) {
        if (hasContentAfter(text, i)) {
          out.add("…");
        }
        break;
      }
    }
    return out;
  }

  private static boolean hasContentAfter(String text, int from) {
    for (int j = from; j < text.length(); j++) {
      if (!Character.isWhitespace(text.charAt(j))) {
        return true;
      }
    }
    return false;
  }
}
