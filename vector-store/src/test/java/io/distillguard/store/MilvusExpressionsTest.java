package io.distillguard.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MilvusExpressionsTest {

  @Test
  void filtersBecomeConjunctionsOfEscapedComparisons() {
    assertThat(MilvusExpressions.filterExpression(RecordFilter.all())).isEmpty();
    assertThat(
            MilvusExpressions.filterExpression(
                RecordFilter.account("a\"b\\c").withTimeRange(5L, 9L).withCategory("math")))
        .isEqualTo(
            "account_id == \"a\\\"b\\\\c\" && timestamp >= 5 && timestamp <= 9"
                + " && category == \"math\"");
  }

  @Test
  void promptsAreTruncatedAtACharacterBoundary() {
    assertThat(MilvusRows.truncateUtf8("abc", 2)).isEqualTo("ab");
    assertThat(MilvusRows.truncateUtf8("aé", 2)).isEqualTo("a");
    assertThat(MilvusRows.truncateUtf8("a😀b", 5)).isEqualTo("a😀");
    assertThat(MilvusRows.truncateUtf8("short", 100)).isEqualTo("short");
  }
}
