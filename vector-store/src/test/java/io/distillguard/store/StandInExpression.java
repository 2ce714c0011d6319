package io.distillguard.store;

import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The boolean expressions {@link MilvusVectorStore} emits, parsed into a row predicate for {@link
 * MilvusProtocolStandIn}: conjunctions ({@code &&}, {@code and}) of {@code ==, !=, <, <=, >, >=}
 * and {@code in [...]} over string and integer literals.
 */
final class StandInExpression {
  private final String text;
  private final Map<String, FieldSchema> fields;
  private int pos;

  private StandInExpression(String text, Map<String, FieldSchema> fields) {
    this.text = text;
    this.fields = fields;
  }

  static Predicate<Map<String, Object>> parse(String text, Map<String, FieldSchema> fields) {
    if (text == null || text.isBlank()) {
      return r -> true;
    }
    StandInExpression e = new StandInExpression(text, fields);
    Predicate<Map<String, Object>> p = e.comparison();
    e.skipSpaces();
    while (e.pos < text.length()) {
      if (!e.consume("&&") && !e.consumeWord("and")) {
        throw new StandInException("cannot parse expression at " + e.pos + ": " + text);
      }
      p = p.and(e.comparison());
      e.skipSpaces();
    }
    return p;
  }

  private Predicate<Map<String, Object>> comparison() {
    String field = identifier();
    FieldSchema f = fields.get(field);
    if (f == null) {
      throw new StandInException("field " + field + " not exist");
    }
    skipSpaces();
    if (consumeWord("in")) {
      expect('[');
      List<Object> values = new ArrayList<>();
      skipSpaces();
      if (!peek(']')) {
        do {
          values.add(literal(f));
          skipSpaces();
        } while (consume(","));
      }
      expect(']');
      return r -> values.contains(r.get(field));
    }
    String op;
    if (consume("==")) {
      op = "==";
    } else if (consume("!=")) {
      op = "!=";
    } else if (consume(">=")) {
      op = ">=";
    } else if (consume("<=")) {
      op = "<=";
    } else if (consume(">")) {
      op = ">";
    } else if (consume("<")) {
      op = "<";
    } else {
      throw new StandInException("expected an operator at " + pos + ": " + text);
    }
    Object value = literal(f);
    return r -> {
      @SuppressWarnings({"unchecked", "rawtypes"})
      int cmp = ((Comparable) r.get(field)).compareTo(value);
      return switch (op) {
        case "==" -> cmp == 0;
        case "!=" -> cmp != 0;
        case ">=" -> cmp >= 0;
        case "<=" -> cmp <= 0;
        case ">" -> cmp > 0;
        default -> cmp < 0;
      };
    };
  }

  private Object literal(FieldSchema f) {
    skipSpaces();
    if (f.getDataType() == DataType.VarChar) {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (pos < text.length() && text.charAt(pos) != '"') {
        char ch = text.charAt(pos++);
        if (ch == '\\') {
          char esc = text.charAt(pos++);
          b.append(
              switch (esc) {
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                default -> esc; // \\ and \"
              });
        } else {
          b.append(ch);
        }
      }
      expect('"');
      return b.toString();
    }
    if (f.getDataType() == DataType.Int64) {
      int start = pos;
      if (peek('-')) {
        pos++;
      }
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      return Long.parseLong(text.substring(start, pos));
    }
    throw new StandInException("cannot compare field " + f.getName());
  }

  private String identifier() {
    skipSpaces();
    int start = pos;
    while (pos < text.length()
        && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    if (start == pos) {
      throw new StandInException("expected a field name at " + pos + ": " + text);
    }
    return text.substring(start, pos);
  }

  private void skipSpaces() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private boolean consume(String s) {
    skipSpaces();
    if (text.startsWith(s, pos)) {
      pos += s.length();
      return true;
    }
    return false;
  }

  private boolean consumeWord(String w) {
    skipSpaces();
    if (text.startsWith(w, pos)
        && (pos + w.length() == text.length()
            || !Character.isLetterOrDigit(text.charAt(pos + w.length())))) {
      pos += w.length();
      return true;
    }
    return false;
  }

  private void expect(char c) {
    skipSpaces();
    if (!peek(c)) {
      throw new StandInException("expected '" + c + "' at " + pos + ": " + text);
    }
    pos++;
  }
}
