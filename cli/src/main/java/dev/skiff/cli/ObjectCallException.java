package dev.skiff.cli;

import dev.skiff.client.ApiException;
import dev.skiff.client.api.ResourceKind;

/**
 * An {@link ApiException} from a call about one named object, so that the error line can name it
 * the way kubectl does ({@code deployments.apps "web" not found}, {@code Deployment "web" is
 * invalid:}).
 */
public final class ObjectCallException extends RuntimeException {
  private final ResourceKind<?, ?> kind;
  private final String name;

  public ObjectCallException(ResourceKind<?, ?> kind, String name, ApiException cause) {
    super(cause.getMessage(), cause);
    this.kind = kind;
    this.name = name;
  }

  public ResourceKind<?, ?> kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  public ApiException api() {
    return (ApiException) getCause();
  }
}
