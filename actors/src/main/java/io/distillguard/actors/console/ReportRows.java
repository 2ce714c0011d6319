package io.distillguard.actors.console;

/**
 * Rows of the bundles' reports: table rows of the printable pages ({@link CaseReport}, {@link
 * CampaignReport}) and lines of the CSV files ({@link CaseBundle}, {@link CampaignBundle}). Cells
 * are printed as given: the caller escapes attacker-written text.
 */
final class ReportRows {

  private ReportRows() {}

  /** A cell with a CSS class ({@code mono}, {@code prompt}). */
  record Cell(String cssClass, Object text) {}

  static Cell cell(String cssClass, Object text) {
    return new Cell(cssClass, text);
  }

  /** Appends {@code <tr><td>a</td><td>b</td>…</tr>}. */
  static StringBuilder row(StringBuilder b, Object... cells) {
    return classedRow(b, null, cells);
  }

  /** As {@link #row}, the row with a CSS class when {@code rowClass} is not null. */
  static StringBuilder classedRow(StringBuilder b, String rowClass, Object... cells) {
    b.append(rowClass == null ? "<tr>" : "<tr class=\"" + rowClass + "\">");
    for (Object c : cells) {
      if (c instanceof Cell k) {
        b.append("<td class=\"").append(k.cssClass()).append("\">").append(k.text());
      } else {
        b.append("<td>").append(c);
      }
      b.append("</td>");
    }
    return b.append("</tr>");
  }

  /** Appends one CSV line: the cells separated by commas, ended by CRLF. */
  static StringBuilder csvRow(StringBuilder b, Object... cells) {
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(cells[i]);
    }
    return b.append("\r\n");
  }
}
