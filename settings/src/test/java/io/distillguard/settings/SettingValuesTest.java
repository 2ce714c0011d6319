package io.distillguard.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingValuesTest {

  @Test
  void blankIsUnsetForEveryKindOfValue() {
    assertThat(SettingValues.blankToNull(null)).isNull();
    assertThat(SettingValues.blankToNull("  ")).isNull();
    assertThat(SettingValues.blankToNull(" x ")).isEqualTo(" x ");
    assertThat(SettingValues.optionalPath("")).isNull();
    assertThat(SettingValues.optionalPath("a/b")).isEqualTo(Path.of("a/b"));
    assertThat(SettingValues.optionalUri(" ")).isNull();
    assertThat(SettingValues.optionalUri(" http://127.0.0.1:9/x "))
        .isEqualTo(URI.create("http://127.0.0.1:9/x"));
    assertThat(SettingValues.optionalDuration("")).isNull();
    assertThat(SettingValues.optionalDuration("400d")).isEqualTo(Duration.ofDays(400));
  }

  @Test
  void durationsParseInTheUsualFormsAndNameTheSyntaxWhenNot() {
    assertThat(SettingValues.parseDuration(" 45 ")).isEqualTo(Duration.ofSeconds(45));
    assertThat(SettingValues.parseDuration("30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(SettingValues.parseDuration("2 d")).isEqualTo(Duration.ofDays(2));
    assertThat(SettingValues.parseDuration("p1dt2h")).isEqualTo(Duration.ofHours(26));
    assertThatThrownBy(() -> SettingValues.parseDuration("soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a duration: 'soon' (use e.g. 30d, 12h, 3600s or P30D)");
    assertThatThrownBy(() -> SettingValues.parseDuration("3w"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown unit 'w'");
  }

  @Test
  void rangeChecksNameTheSetting() {
    SettingValues.requirePositive(Duration.ZERO, "checkpointInterval", true);
    SettingValues.requirePositive(Duration.ofMillis(1), "embedTimeout", false);
    assertThatThrownBy(() -> SettingValues.requirePositive(Duration.ZERO, "embedTimeout", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("embedTimeout must be positive: PT0S");
    assertThatThrownBy(() -> SettingValues.requirePositive(null, "profileTtl", false))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("profileTtl");
    SettingValues.requireAtLeast(1, 1, "embedAttempts");
    assertThatThrownBy(() -> SettingValues.requireAtLeast(0, 1, "embedAttempts"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("embedAttempts must be >= 1: 0");
  }
}
