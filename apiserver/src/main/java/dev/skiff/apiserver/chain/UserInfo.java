package dev.skiff.apiserver.chain;

import java.util.List;

/** Who makes a request, as the authenticator established it. */
public record UserInfo(String name, List<String> groups) {
  public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", List.of("system:unauthenticated"));

  public UserInfo {
    groups = List.copyOf(groups);
  }
}
