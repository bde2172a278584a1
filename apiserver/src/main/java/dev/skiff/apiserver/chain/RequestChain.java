package dev.skiff.apiserver.chain;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.grpc.StatusMapper;
import dev.skiff.client.api.ResourceKind;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.List;
import java.util.Optional;

/**
 * The request chain as gRPC interceptors: authentication (from headers, before anything), then
 * authorization and admission on the request message. Stateless; the permissive defaults let
 * everything through.
 */
public final class RequestChain {
  /** The authenticated caller of the current call. */
  public static final Context.Key<UserInfo> USER = Context.key("skiff-user");

  private RequestChain() {}

  /** Interceptors in the order gRPC should apply them (pass to ServerInterceptors.intercept). */
  public static List<ServerInterceptor> interceptors(ResourceKind<?, ?> kind, Authenticator authn,
                                                     Authorizer authz, List<AdmissionPlugin> admission) {
    // ServerInterceptors.intercept runs the last one first.
    return List.of(new MessageInterceptor(kind, authz, admission), new AuthenticationInterceptor(authn));
  }

  /** Whether a kind service's method changes state (admission runs on these; they share one in-flight limit). */
  static boolean mutating(String method) {
    return switch (method) {
      case "Create", "Update", "UpdateStatus", "Patch", "Delete", "Bind" -> true;
      default -> false;
    };
  }

  static final class AuthenticationInterceptor implements ServerInterceptor {
    private final Authenticator authn;

    AuthenticationInterceptor(Authenticator authn) {
      this.authn = authn;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
      UserInfo user;
      try {
        user = authn.authenticate(headers);
      } catch (RuntimeException e) {
        call.close(StatusMapper.toStatus(e).getStatus(), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return Contexts.interceptCall(Context.current().withValue(USER, user), call, headers, next);
    }
  }

  static final class MessageInterceptor implements ServerInterceptor {
    private final ResourceKind<?, ?> kind;
    private final Authorizer authz;
    private final List<AdmissionPlugin> admission;

    MessageInterceptor(ResourceKind<?, ?> kind, Authorizer authz, List<AdmissionPlugin> admission) {
      this.kind = kind;
      this.authz = authz;
      this.admission = List.copyOf(admission);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
      String method = call.getMethodDescriptor().getBareMethodName();
      ServerCall.Listener<Q> delegate = next.startCall(call, headers);
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
        private boolean rejected;

        @Override
        @SuppressWarnings("unchecked")
        public void onMessage(Q message) {
          try {
            RequestAttributes attrs = attributes(method, (Message) message);
            Optional<String> denied = authz.deny(attrs);
            if (denied.isPresent()) {
              throw new ApiError(Status.Code.PERMISSION_DENIED, attrs.kind().plural() + " is forbidden: User \""
                  + attrs.user().name() + "\" cannot " + attrs.verb() + " resource \"" + attrs.kind().plural()
                  + "\": " + denied.get());
            }
            Message m = (Message) message;
            if (mutating(method)) {
              for (AdmissionPlugin p : admission) {
                m = p.admit(attrs, m);
              }
            }
            super.onMessage((Q) m);
          } catch (RuntimeException e) {
            rejected = true;
            call.close(StatusMapper.toStatus(e).getStatus(), StatusMapper.toStatus(e).getTrailers() == null
                ? new Metadata() : StatusMapper.toStatus(e).getTrailers());
          }
        }

        @Override
        public void onHalfClose() {
          if (!rejected) {
            super.onHalfClose();
          }
        }
      };
    }

    private RequestAttributes attributes(String method, Message m) {
      String verb = switch (method) {
        case "Create", "Bind", "Exec" -> "create";
        case "Get", "GetLogs" -> "get";
        case "List" -> "list";
        case "Watch" -> "watch";
        case "Update", "UpdateStatus" -> "update";
        case "Patch" -> "patch";
        case "Delete" -> "delete";
        default -> method.toLowerCase(java.util.Locale.ROOT);
      };
      String sub = switch (method) {
        case "UpdateStatus" -> "status";
        case "Bind" -> "binding";
        case "GetLogs" -> "log";
        case "Exec" -> "exec";
        default -> "";
      };
      String ns = "";
      String name = "";
      FieldDescriptor meta = m.getDescriptorForType().findFieldByName("metadata");
      if (meta != null && meta.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && meta.getMessageType() == ObjectMeta.getDescriptor()) {
        ObjectMeta om = (ObjectMeta) m.getField(meta);
        ns = om.getNamespace();
        name = om.getName();
      } else {
        ns = stringField(m, "namespace");
        name = stringField(m, "name");
      }
      UserInfo user = USER.get() == null ? UserInfo.ANONYMOUS : USER.get();
      return new RequestAttributes(user, verb, kind, sub, ns, name);
    }

    private static String stringField(Message m, String field) {
      FieldDescriptor f = m.getDescriptorForType().findFieldByName(field);
      return f != null && f.getJavaType() == FieldDescriptor.JavaType.STRING ? (String) m.getField(f) : "";
    }
  }
}
