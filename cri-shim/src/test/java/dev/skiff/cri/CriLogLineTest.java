package dev.skiff.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CriLogLineTest {
  @Test
  void parsesFullPartialAndEmptyLines() {
    CriLogLine full = CriLogLine.parse("2026-11-22T00:28:31.123456789Z stdout F started hello world\n");
    assertThat(full).isEqualTo(new CriLogLine(Instant.parse("2026-11-22T00:28:31.123456789Z"), "stdout", false,
        "started hello world"));
    assertThat(full.format()).isEqualTo("2026-11-22T00:28:31.123456789Z stdout F started hello world\n");
    assertThat(CriLogLine.parse("2026-11-22T00:28:31Z stderr P part").partial()).isTrue();
    assertThat(CriLogLine.parse("2026-11-22T00:28:31Z stdout F ").content()).isEmpty();
    assertThat(CriLogLine.parse("2026-11-22T00:28:31Z stdout F").content()).isEmpty();
    assertThat(CriLogLine.parse("2026-11-22T00:28:31Z stdout F  two  spaces ").content()).isEqualTo(" two  spaces ");
  }

  @Test
  void rejectsOtherFormatsWithTheLine() {
    assertThatThrownBy(() -> CriLogLine.parse("hello")).hasMessageContaining("not a CRI log line");
    assertThatThrownBy(() -> CriLogLine.parse("yesterday stdout F x")).hasMessageContaining("bad time");
    assertThatThrownBy(() -> CriLogLine.parse("2026-11-22T00:28:31Z stdin F x")).hasMessageContaining("stream");
    assertThatThrownBy(() -> CriLogLine.parse("2026-11-22T00:28:31Z stdout X x")).hasMessageContaining("tag");
  }
}
