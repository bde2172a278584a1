package dev.skiff.apiserver.watchcache;

import com.google.protobuf.Message;

/**
 * A watch event message together with its wire bytes, serialized once: the same instance goes to
 * every watcher that receives this event, so a change fanned out to a thousand watch streams is
 * encoded once, not once per stream. Immutable; {@code bytes} must not be modified.
 */
public record EncodedEvent(Message message, byte[] bytes) {
  public static EncodedEvent of(Message message) {
    return new EncodedEvent(message, message.toByteArray());
  }
}
