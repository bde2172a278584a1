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
 * Serves a kind's Watch method with {@link EncodedEvent} responses: the event's bytes, encoded
 * once by the watch cache, are written to each stream as they are, so a fan-out to many watchers
 * does not serialize the same event once per watcher. The wire format is unchanged (clients use
 * the generated stubs).
 */
final class EncodedWatchEvents {
  private EncodedWatchEvents() {}

  /** {@code service} with its Watch method answering {@link EncodedEvent}s; reflection data kept. */
  static ServiceDescriptor withEncodedWatch(ServiceDescriptor service) {
    ServiceDescriptor.Builder b = ServiceDescriptor.newBuilder(service.getName())
        .setSchemaDescriptor(service.getSchemaDescriptor());
    for (MethodDescriptor<?, ?> m : service.getMethods()) {
      b.addMethod(m.getBareMethodName().equals("Watch") ? encoded(m) : m);
    }
    return b.build();
  }

  @SuppressWarnings("unchecked")
  private static MethodDescriptor<?, ?> encoded(MethodDescriptor<?, ?> watch) {
    MethodDescriptor<Object, Message> m = (MethodDescriptor<Object, Message>) watch;
    return m.toBuilder(m.getRequestMarshaller(), new Marshaller(m.getResponseMarshaller())).build();
  }

  private record Marshaller(MethodDescriptor.Marshaller<Message> decoded)
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
