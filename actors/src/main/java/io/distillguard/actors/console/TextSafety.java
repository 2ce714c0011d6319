package io.distillguard.actors.console;

/**
 * Attacker-written text made safe to show and to open: HTML escaping, visible marks for the
 * invisible characters that reorder or hide text (bidirectional controls and zero-width characters,
 * "Trojan Source"), and spreadsheet cells that cannot be formulas. The console's pages do the same
 * on the client ({@code marks.js}); this class serves the exported report and CSV files.
 */
public final class TextSafety {

  private TextSafety() {}

  /** True for a bidirectional control, a zero-width character or another invisible format char. */
  public static boolean invisible(int cp) {
    return (cp >= 0x202A && cp <= 0x202E) // LRE RLE PDF LRO RLO
        || (cp >= 0x2066 && cp <= 0x2069) // LRI RLI FSI PDI
        || cp == 0x200E
        || cp == 0x200F
        || cp == 0x061C // LRM RLM ALM
        || (cp >= 0x200B && cp <= 0x200D) // ZWSP ZWNJ ZWJ
        || cp == 0x2060
        || cp == 0xFEFF
        || cp == 0x00AD; // WJ, BOM, soft hyphen
  }

  /** {@code text} with every invisible character replaced by a visible mark {@code ⟦U+202E⟧}. */
  public static String marked(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            cp -> {
              if (invisible(cp)) {
                out.append(String.format("⟦U+%04X⟧", cp));
              } else {
                out.appendCodePoint(cp);
              }
            });
    return out.toString();
  }

  /** {@code text} marked ({@link #marked}) and escaped for HTML text and attribute values. */
  public static String html(String text) {
    String m = marked(text);
    StringBuilder out = new StringBuilder(m.length() + 16);
    for (int i = 0; i < m.length(); i++) {
      char c = m.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * One CSV cell (RFC 4180 quoting). A value a spreadsheet would read as a formula (starting with
   * {@code = + - @}, a tab or a carriage return, after any leading spaces) gets a leading {@code '}
   * so it is shown as text and never evaluated.
   */
  public static String csvCell(String value) {
    String v = value == null ? "" : value;
    String trimmed = v.stripLeading();
    if (!trimmed.isEmpty() && "=+-@\t\r".indexOf(trimmed.charAt(0)) >= 0) {
      v = "'" + v;
    } else if (!v.isEmpty() && (v.charAt(0) == '\t' || v.charAt(0) == '\r')) {
      v = "'" + v;
    }
    return "\"" + v.replace("\"", "\"\"") + "\"";
  }
}
