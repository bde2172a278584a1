package dev.skiff.apiserver.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Does what grpcurl does, with nothing but the server's reflection service: lists services,
 * fetches file descriptors by symbol, and calls a method with a JSON request, printing JSON
 * answers. The README's grpcurl examples are checked through this, because grpcurl itself is not
 * packaged for this machine.
 */
final class ReflectionClient {
  private final Channel channel;
  private final Map<String, FileDescriptor> files = new HashMap<>();

  ReflectionClient(Channel channel) {
    this.channel = channel;
  }

  /** {@code grpcurl -plaintext HOST list}. */
  List<String> listServices() {
    ServerReflectionResponse response =
        ask(ServerReflectionRequest.newBuilder().setListServices("").build());
    List<String> names = new ArrayList<>();
    response.getListServicesResponse().getServiceList().forEach(s -> names.add(s.getName()));
    return names;
  }

  /** {@code grpcurl -plaintext HOST describe SERVICE}: the service's descriptor. */
  ServiceDescriptor describe(String serviceName) {
    ServerReflectionResponse response = ask(
        ServerReflectionRequest.newBuilder().setFileContainingSymbol(serviceName).build());
    Map<String, FileDescriptorProto> protos = new HashMap<>();
    for (ByteString bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      try {
        FileDescriptorProto proto = FileDescriptorProto.parseFrom(bytes);
        protos.put(proto.getName(), proto);
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("reflection sent a malformed descriptor", e);
      }
    }
    for (FileDescriptorProto proto : protos.values()) {
      FileDescriptor file = build(proto.getName(), protos);
      ServiceDescriptor service = file.findServiceByName(
          serviceName.substring(serviceName.lastIndexOf('.') + 1));
      if (service != null && service.getFullName().equals(serviceName)) {
        return service;
      }
    }
    throw new AssertionError("reflection did not describe " + serviceName);
  }

  /** {@code grpcurl -plaintext -d JSON HOST SERVICE/METHOD} for a unary method. */
  String call(String fullMethod, String jsonRequest) throws InvalidProtocolBufferException {
    MethodDescriptor method = method(fullMethod);
    DynamicMessage response = ClientCalls.blockingUnaryCall(
        channel, grpcMethod(method, MethodType.UNARY), CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
        request(method, jsonRequest));
    return JsonFormat.printer().print(response);
  }

  /** The first {@code count} messages of a server-streaming call, as JSON. */
  List<String> stream(String fullMethod, String jsonRequest, int count) throws Exception {
    MethodDescriptor method = method(fullMethod);
    Iterator<DynamicMessage> answers = ClientCalls.blockingServerStreamingCall(
        channel, grpcMethod(method, MethodType.SERVER_STREAMING),
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request(method, jsonRequest));
    List<String> out = new ArrayList<>();
    while (out.size() < count && answers.hasNext()) {
      out.add(JsonFormat.printer().print(answers.next()));
    }
    return out;
  }

  private MethodDescriptor method(String fullMethod) {
    int slash = fullMethod.indexOf('/');
    ServiceDescriptor service = describe(fullMethod.substring(0, slash));
    MethodDescriptor method = service.findMethodByName(fullMethod.substring(slash + 1));
    if (method == null) {
      throw new AssertionError("no method " + fullMethod);
    }
    return method;
  }

  private static DynamicMessage request(MethodDescriptor method, String json)
      throws InvalidProtocolBufferException {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(method.getInputType());
    JsonFormat.parser().merge(json, builder);
    return builder.build();
  }

  private static io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> grpcMethod(
      MethodDescriptor method, MethodType type) {
    return io.grpc.MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
        .setType(type)
        .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(
            method.getService().getFullName(), method.getName()))
        .setRequestMarshaller(ProtoUtils.marshaller(
            DynamicMessage.getDefaultInstance(method.getInputType())))
        .setResponseMarshaller(ProtoUtils.marshaller(
            DynamicMessage.getDefaultInstance(method.getOutputType())))
        .build();
  }

  private FileDescriptor build(String name, Map<String, FileDescriptorProto> protos) {
    FileDescriptor known = files.get(name);
    if (known != null) {
      return known;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      proto = fetchFile(name);
      protos.put(name, proto);
    }
    List<FileDescriptor> deps = new ArrayList<>();
    for (String dep : proto.getDependencyList()) {
      deps.add(build(dep, protos));
    }
    try {
      FileDescriptor file = FileDescriptor.buildFrom(proto, deps.toArray(new FileDescriptor[0]));
      files.put(name, file);
      return file;
    } catch (DescriptorValidationException e) {
      throw new AssertionError("reflection sent an inconsistent descriptor " + name, e);
    }
  }

  private FileDescriptorProto fetchFile(String name) {
    ServerReflectionResponse response =
        ask(ServerReflectionRequest.newBuilder().setFileByFilename(name).build());
    try {
      return FileDescriptorProto.parseFrom(
          response.getFileDescriptorResponse().getFileDescriptorProto(0));
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("reflection sent a malformed descriptor for " + name, e);
    }
  }

  private ServerReflectionResponse ask(ServerReflectionRequest request) {
    LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel).serverReflectionInfo(new StreamObserver<>() {
          @Override public void onNext(ServerReflectionResponse value) { answers.add(value); }
          @Override public void onError(Throwable t) { answers.add(t); }
          @Override public void onCompleted() { }
        });
    requests.onNext(request);
    requests.onCompleted();
    try {
      Object answer = answers.poll(10, TimeUnit.SECONDS);
      if (answer instanceof ServerReflectionResponse r) {
        if (r.hasErrorResponse()) {
          throw new AssertionError("reflection error: " + r.getErrorResponse().getErrorMessage());
        }
        return r;
      }
      throw new AssertionError("reflection failed: " + answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
