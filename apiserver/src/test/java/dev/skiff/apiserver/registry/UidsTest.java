package dev.skiff.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UidsTest {
  @Test
  void uidsAreDistinctRandomVersion4UuidsAcrossBlockRefills() {
    Uids uids = new Uids();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) { // 39 blocks of 256
      String uid = uids.next();
      UUID parsed = UUID.fromString(uid);
      assertThat(parsed.version()).isEqualTo(4);
      assertThat(parsed.variant()).isEqualTo(2);
      assertThat(parsed.toString()).isEqualTo(uid);
      assertThat(seen.add(uid)).as("uid %s repeated", uid).isTrue();
    }
  }
}
