package io.distillguard.actors.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextSafetyTest {

  @Test
  void invisibleCharactersBecomeVisibleMarks() {
    assertThat(TextSafety.marked("access\u202E\u2066 level\u200B"))
        .isEqualTo("access⟦U+202E⟧⟦U+2066⟧ level⟦U+200B⟧");
    assertThat(TextSafety.marked("plain text, ünïcode ✓")).isEqualTo("plain text, ünïcode ✓");
  }

  @Test
  void htmlIsEscapedAfterMarking() {
    assertThat(TextSafety.html("<img src=x onerror=alert(1)>\u202E\"'&"))
        .isEqualTo("&lt;img src=x onerror=alert(1)&gt;⟦U+202E⟧&quot;&#39;&amp;");
  }

  @Test
  void spreadsheetFormulasAreNeutralised() {
    assertThat(TextSafety.csvCell("=HYPERLINK(\"http://x\",\"y\")"))
        .isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    assertThat(TextSafety.csvCell("  +1+2")).isEqualTo("\"'  +1+2\"");
    assertThat(TextSafety.csvCell("-2")).isEqualTo("\"'-2\"");
    assertThat(TextSafety.csvCell("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
    assertThat(TextSafety.csvCell("\tcmd")).isEqualTo("\"'\tcmd\"");
    assertThat(TextSafety.csvCell("write a sonnet")).isEqualTo("\"write a sonnet\"");
    assertThat(TextSafety.csvCell(null)).isEqualTo("\"\"");
  }
}
