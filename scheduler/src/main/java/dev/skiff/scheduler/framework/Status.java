package dev.skiff.scheduler.framework;

import java.util.List;

/**
 * The outcome of running a plugin: expected outcomes (a node does not fit) are values, not
 * exceptions. {@code plugin} names the plugin that produced a non-success status, so the queue can
 * tell which cluster events may make the pod schedulable.
 */
public record Status(Code code, List<String> reasons, String plugin) {

  /** What the scheduling cycle does with a status. */
  public enum Code {
    SUCCESS,
    /** The node does not fit now; preemption may help. */
    UNSCHEDULABLE,
    /** The node does not fit and preemption cannot change that (selector, taint, name). */
    UNSCHEDULABLE_AND_UNRESOLVABLE,
    /** Something went wrong; the pod is retried with backoff. */
    ERROR,
    /** PreFilter: this plugin has nothing to check for the pod; its Filter is skipped. */
    SKIP
  }

  private static final Status SUCCESS_STATUS = new Status(Code.SUCCESS, List.of(), "");
  private static final Status SKIP_STATUS = new Status(Code.SKIP, List.of(), "");

  public Status {
    reasons = List.copyOf(reasons);
  }

  public static Status success() {
    return SUCCESS_STATUS;
  }

  public static Status skip() {
    return SKIP_STATUS;
  }

  public static Status unschedulable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE, List.of(reasons), "");
  }

  public static Status unresolvable(String... reasons) {
    return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons), "");
  }

  public static Status error(String reason) {
    return new Status(Code.ERROR, List.of(reason), "");
  }

  public boolean isSuccess() {
    return code == Code.SUCCESS;
  }

  public boolean isSkip() {
    return code == Code.SKIP;
  }

  /** Unschedulable or unresolvable: the node was rejected, not an error. */
  public boolean isRejected() {
    return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE;
  }

  public Status withPlugin(String pluginName) {
    return isSuccess() || pluginName.equals(plugin) ? this : new Status(code, reasons, pluginName);
  }

  public String message() {
    return String.join(", ", reasons);
  }
}
