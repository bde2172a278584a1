package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.errors.ApiError;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code continue} token of a paged list: the store revision the first page was
 * read at (every page is read at that revision, so pages are consistent while objects change)
 * and the key to start from, relative to the kind's storage prefix.
 */
public record ContinueToken(long revision, String startKey) {
  private static final String VERSION = "v1";

  public String encode() {
    String raw = VERSION + "\n" + revision + "\n" + startKey;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  public static ContinueToken decode(String token) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      String[] parts = raw.split("\n", 3);
      if (parts.length != 3 || !parts[0].equals(VERSION)) {
        throw new IllegalArgumentException("bad layout");
      }
      long rev = Long.parseLong(parts[1]);
      if (rev <= 0 || parts[2].isEmpty() || parts[2].contains("..")) {
        throw new IllegalArgumentException("bad values");
      }
      return new ContinueToken(rev, parts[2]);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("continue", "invalid continue token: pass back the exact "
          + "metadata.continue of the previous page, or list again without it");
    }
  }
}
