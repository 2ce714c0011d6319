package io.distillguard.store;

import static io.distillguard.store.MilvusVectorStore.ACCOUNT_ID;
import static io.distillguard.store.MilvusVectorStore.CATEGORY;
import static io.distillguard.store.MilvusVectorStore.TIMESTAMP;

import java.util.ArrayList;
import java.util.List;

/** Milvus boolean expressions for {@link RecordFilter}s, with strings quoted and escaped. */
final class MilvusExpressions {

  private MilvusExpressions() {}

  /**
   * The Milvus boolean expression for a filter; empty for {@link RecordFilter#all()}. Strings are
   * double-quoted with backslashes and quotes escaped.
   */
  static String filterExpression(RecordFilter f) {
    List<String> parts = new ArrayList<>(4);
    if (f.accountId() != null) {
      parts.add(ACCOUNT_ID + " == " + quote(f.accountId()));
    }
    if (f.fromMillis() != null) {
      parts.add(TIMESTAMP + " >= " + f.fromMillis());
    }
    if (f.toMillis() != null) {
      parts.add(TIMESTAMP + " <= " + f.toMillis());
    }
    if (f.category() != null) {
      parts.add(CATEGORY + " == " + quote(f.category()));
    }
    return String.join(" && ", parts);
  }

  /** A Milvus string literal: {@code "..."} with {@code \} and {@code "} escaped. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
