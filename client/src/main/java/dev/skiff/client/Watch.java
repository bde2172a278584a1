package dev.skiff.client;

import io.grpc.ClientCall;

/** A running watch stream; {@link #close()} cancels it (the listener then gets onClosed). */
public final class Watch implements AutoCloseable {
  private final ClientCall<?, ?> call;
  private final Runnable onCancel;

  Watch(ClientCall<?, ?> call, Runnable onCancel) {
    this.call = call;
    this.onCancel = onCancel;
  }

  @Override
  public void close() {
    onCancel.run();
    call.cancel("watch closed by the client", null);
  }
}
