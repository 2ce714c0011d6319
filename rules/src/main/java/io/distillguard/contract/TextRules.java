package io.distillguard.contract;

/**
 * The contract's rules for text fields, shared by every field that holds an id or text: length in
 * code points, no control characters in ids, valid Unicode everywhere. Each check throws {@link
 * Invalid} with the precise reason.
 */
final class TextRules {

  private TextRules() {}

  /**
   * The identifier rule: 1 to {@link ContractCodec#MAX_ID_CHARS} code points, no control characters
   * (U+0000 to U+001F, U+007F to U+009F), no unpaired surrogates, not only whitespace. Every other
   * character is allowed, including characters frameworks reserve ({@code |}, {@code /}, quotes):
   * each adapter maps ids to its own syntax.
   */
  static void checkIdentifier(String field, String id) {
    checkLength(field, id, ContractCodec.MAX_ID_CHARS);
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c <= 0x1F || (c >= 0x7F && c <= 0x9F)) {
        throw new Invalid(
            String.format(
                java.util.Locale.ROOT,
                "field %s contains a control character (U+%04X at position %d)",
                field,
                (int) c,
                id.codePointCount(0, i) + 1));
      }
    }
    checkUnicode(field, id);
    if (id.isBlank()) {
      throw new Invalid("field " + field + " must not be blank");
    }
  }

  static void checkLength(String field, String text, int limit) {
    // Code points, as JSON Schema's maxLength counts them; the UTF-16 length is an upper bound.
    if (text.length() > limit) {
      int chars = text.codePointCount(0, text.length());
      if (chars > limit) {
        throw new Invalid("field " + field + " is " + chars + " characters, limit " + limit);
      }
    }
  }

  /** Refuses text that is not valid Unicode (an unpaired surrogate, e.g. from {@code \uD800}). */
  static void checkUnicode(String field, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new Invalid(
            "field "
                + field
                + " contains an unpaired surrogate (position "
                + (text.codePointCount(0, i) + 1)
                + ")");
      }
    }
  }
}
