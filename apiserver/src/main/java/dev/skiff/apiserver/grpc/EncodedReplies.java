package dev.skiff.apiserver.grpc;

import com.google.protobuf.Message;
import dev.skiff.apiserver.watchcache.EncodedEvent;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Serves a kind's Watch and Create methods with replies that are already encoded: Watch answers
 * {@link EncodedEvent}s (an event's bytes, encoded once by the watch cache, are written to each
 * stream as they are, so a fan-out to many watchers does not serialize the same event once per
 * watcher); Create answers {@link EncodedObject}s built from the bytes just stored. The wire
 * format is unchanged (clients use the generated stubs).
 */
final class EncodedReplies {
  private EncodedReplies() {}

  /** A reply's wire bytes; must not be modified. */
  record EncodedObject(byte[] bytes) {}

  /** {@code service} with Watch answering {@link EncodedEvent}s and Create {@link EncodedObject}s; reflection data kept. */
  static ServiceDescriptor of(ServiceDescriptor service) {
    ServiceDescriptor.Builder b = ServiceDescriptor.newBuilder(service.getName())
        .setSchemaDescriptor(service.getSchemaDescriptor());
    for (MethodDescriptor<?, ?> m : service.getMethods()) {
      b.addMethod(switch (m.getBareMethodName()) {
        case "Watch" -> withReplies(m, EventMarshaller::new);
        case "Create" -> withReplies(m, ObjectMarshaller::new);
        default -> m;
      });
    }
    return b.build();
  }

  @SuppressWarnings("unchecked")
  private static <R> MethodDescriptor<?, ?> withReplies(
      MethodDescriptor<?, ?> method,
      java.util.function.Function<MethodDescriptor.Marshaller<Message>, MethodDescriptor.Marshaller<R>> encoded) {
    MethodDescriptor<Object, Message> m = (MethodDescriptor<Object, Message>) method;
    return m.toBuilder(m.getRequestMarshaller(), encoded.apply(m.getResponseMarshaller())).build();
  }

  private record EventMarshaller(MethodDescriptor.Marshaller<Message> decoded)
      implements MethodDescriptor.Marshaller<EncodedEvent> {
    @Override
    public InputStream stream(EncodedEvent event) {
      return new BytesStream(event.bytes());
    }

    @Override
    public EncodedEvent parse(InputStream stream) {
      return EncodedEvent.of(decoded.parse(stream));
    }
  }

  private record ObjectMarshaller(MethodDescriptor.Marshaller<Message> decoded)
      implements MethodDescriptor.Marshaller<EncodedObject> {
    @Override
    public InputStream stream(EncodedObject object) {
      return new BytesStream(object.bytes());
    }

    @Override
    public EncodedObject parse(InputStream stream) {
      return new EncodedObject(decoded.parse(stream).toByteArray());
    }
  }

  /** The shared bytes as a stream gRPC can size and drain without copying through a buffer. */
  private static final class BytesStream extends ByteArrayInputStream implements KnownLength, Drainable {
    BytesStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public synchronized int drainTo(OutputStream target) throws IOException {
      int n = count - pos;
      target.write(buf, pos, n);
      pos = count;
      return n;
    }
  }
}
