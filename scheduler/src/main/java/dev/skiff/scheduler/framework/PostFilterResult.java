package dev.skiff.scheduler.framework;

/** What a PostFilter did: {@code nominatedNode} is set when it made room for the pod there. */
public record PostFilterResult(Status status, String nominatedNode) {
  public static PostFilterResult nominated(String nodeName) {
    return new PostFilterResult(Status.success(), nodeName);
  }

  public static PostFilterResult failed(Status status) {
    return new PostFilterResult(status, "");
  }
}
