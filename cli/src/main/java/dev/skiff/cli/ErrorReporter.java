package dev.skiff.cli;

import com.google.rpc.BadRequest.FieldViolation;
import dev.skiff.cli.config.ConfigException;
import dev.skiff.cli.manifest.ManifestException;
import dev.skiff.client.ApiException;
import dev.skiff.client.api.ResourceKind;
import io.grpc.Status;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns any failure of a command into what the user reads: one {@code error: ...} line, then
 * detail lines indented by two spaces (one per bad field of a validation error). No stack traces,
 * unless {@code SKIFF_DEBUG} is set in the environment.
 */
public final class ErrorReporter {
  private final Supplier<List<String>> servers;

  /** {@code servers} is asked only when the message needs it (connection failures). */
  public ErrorReporter(Supplier<List<String>> servers) {
    this.servers = servers;
  }

  public List<String> lines(Throwable t) {
    List<String> lines = new ArrayList<>();
    switch (t) {
      case CliException e -> {
        lines.add("error: " + e.getMessage());
        e.details().forEach(d -> lines.add("  " + d));
      }
      case ManifestException e -> {
        lines.add("error: " + e.getMessage());
        e.details().forEach(d -> lines.add("  " + d));
      }
      case ConfigException e -> lines.add("error: " + e.getMessage());
      case ObjectCallException e -> api(e.api(), e.kind(), e.name(), lines);
      case ApiException e -> api(e, null, null, lines);
      case io.grpc.StatusRuntimeException e -> api(ApiException.from(e), null, null, lines);
      default -> lines.add("error: " + (t.getMessage() == null ? t.toString() : t.getMessage()));
    }
    return lines;
  }

  private void api(ApiException e, ResourceKind<?, ?> kind, String name, List<String> lines) {
    String what = kind == null ? null : resourceName(kind) + " \"" + name + "\"";
    String description = e.description().isEmpty() ? e.code().name() : e.description();
    switch (e.code()) {
      case UNAVAILABLE -> lines.add(unavailable(e));
      case DEADLINE_EXCEEDED -> lines.add(
          "error: the API server at " + String.join(",", servers.get()) + " did not answer in time");
      case NOT_FOUND -> lines.add("error: " + (what != null ? what + " not found" : description));
      case ALREADY_EXISTS -> lines.add("error: " + (what != null ? what + " already exists" : description));
      case INVALID_ARGUMENT -> {
        if (e.violations().isEmpty()) {
          lines.add("error: " + (kind != null ? kind.kind() + " \"" + name + "\" is invalid: " : "") + description);
        } else {
          lines.add("error: " + (kind != null ? kind.kind() + " \"" + name + "\" is invalid:" : "invalid request:"));
          for (FieldViolation v : e.violations()) {
            lines.add("  " + v.getField() + ": " + v.getDescription());
          }
        }
      }
      case ABORTED -> lines.add("error: " + (what != null
          ? "operation cannot be fulfilled on " + what + ": " + description
          : description));
      case PERMISSION_DENIED -> lines.add("error: forbidden: " + description);
      case UNAUTHENTICATED -> lines.add("error: unauthorized: " + description);
      default -> lines.add("error: " + (what != null ? what + ": " : "") + description);
    }
  }

  private String unavailable(ApiException e) {
    String at = String.join(",", servers.get());
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ConnectException
          || c instanceof UnknownHostException
          || c instanceof UnresolvedAddressException
          || String.valueOf(c.getMessage()).contains("Connection refused")) {
        return "error: cannot reach the API server at " + at + " — is `skiff server` running?";
      }
    }
    Status.Code code = e.code();
    return "error: the API server at " + at + " is unavailable (" + code + "): " + e.description();
  }

  /** kubectl's resource spelling in errors: {@code deployments.apps}, {@code pods}. */
  public static String resourceName(ResourceKind<?, ?> kind) {
    int slash = kind.apiVersion().indexOf('/');
    return slash < 0 ? kind.plural() : kind.plural() + "." + kind.apiVersion().substring(0, slash);
  }
}
