package dev.skiff.client.api;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.skiff.api.v1.ListMeta;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.WatchEventType;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One resource kind of the cluster API: its names, its messages and its gRPC service, with
 * generic accessors that work on any kind by protobuf reflection (no per-kind code).
 *
 * <p>Every kind's object message has {@code api_version = 1}, {@code kind = 2} and {@code
 * metadata = 3}; its list message {@code metadata = 1} and {@code items = 2}; its watch event
 * {@code type = 1} and {@code object = 2}. The constructor checks these shapes, so a malformed
 * kind fails when {@link Kinds} is loaded, not at the first request.
 *
 * <p>Immutable and thread-safe. The field lookups are computed once per kind and shared.
 *
 * @param kind the kind name, e.g. "Pod"
 * @param apiVersion "v1", "apps/v1", "coordination.k8s.io/v1", ...
 * @param plural lower-case plural, e.g. "pods"; also the storage directory
 * @param shortNames kubectl short names, e.g. ["po"]
 * @param namespaced whether objects live in a namespace
 * @param defaultInstance the object message's default instance
 * @param listDefaultInstance the list message's default instance
 * @param watchEventDefaultInstance the watch event message's default instance
 * @param service the kind's gRPC service (Create, Get, List, ...)
 */
public record ResourceKind<T extends Message, L extends Message>(
    String kind,
    String apiVersion,
    String plural,
    List<String> shortNames,
    boolean namespaced,
    T defaultInstance,
    L listDefaultInstance,
    Message watchEventDefaultInstance,
    ServiceDescriptor service) {

  /** The eight methods every kind's service has, by bare name. */
  public static final List<String> STANDARD_METHODS =
      List.of("Create", "Get", "List", "Update", "UpdateStatus", "Patch", "Delete", "Watch");

  /** Keyed by full service name: a valid kind's service determines its messages. */
  private static final Map<String, KindReflection> REFLECTION = new ConcurrentHashMap<>();

  public ResourceKind {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(plural, "plural");
    shortNames = List.copyOf(shortNames);
    Objects.requireNonNull(defaultInstance, "defaultInstance");
    Objects.requireNonNull(listDefaultInstance, "listDefaultInstance");
    Objects.requireNonNull(watchEventDefaultInstance, "watchEventDefaultInstance");
    Objects.requireNonNull(service, "service");
    KindReflection reflection =
        new KindReflection(defaultInstance, listDefaultInstance, watchEventDefaultInstance, service);
    REFLECTION.putIfAbsent(service.getName(), reflection);
  }

  /** The object's metadata (the default instance when unset). */
  public ObjectMeta meta(T obj) {
    return (ObjectMeta) obj.getField(reflection().objectMeta);
  }

  /** A copy of {@code obj} with its metadata replaced. */
  @SuppressWarnings("unchecked")
  public T withMeta(T obj, ObjectMeta meta) {
    return (T) obj.toBuilder().setField(reflection().objectMeta, meta).build();
  }

  /** A copy of {@code obj} with {@code apiVersion} and {@code kind} set to this kind's. */
  @SuppressWarnings("unchecked")
  public T withTypeMeta(T obj) {
    KindReflection r = reflection();
    return (T)
        obj.toBuilder().setField(r.objectApiVersion, apiVersion).setField(r.objectKind, kind).build();
  }

  /** The items of a list message. */
  @SuppressWarnings("unchecked")
  public List<T> items(L list) {
    return (List<T>) list.getField(reflection().listItems);
  }

  /** The metadata of a list message. */
  public ListMeta listMeta(L list) {
    return (ListMeta) list.getField(reflection().listMeta);
  }

  /** A list message holding {@code items} in iteration order. */
  @SuppressWarnings("unchecked")
  public L newList(ListMeta meta, Iterable<T> items) {
    KindReflection r = reflection();
    Message.Builder builder = listDefaultInstance.newBuilderForType().setField(r.listMeta, meta);
    for (T item : items) {
      builder.addRepeatedField(r.listItems, item);
    }
    return (L) builder.build();
  }

  /** A watch event message of this kind. */
  public Message newWatchEvent(WatchEventType type, T obj) {
    KindReflection r = reflection();
    return watchEventDefaultInstance
        .newBuilderForType()
        .setField(r.eventType, type.getValueDescriptor())
        .setField(r.eventObject, obj)
        .build();
  }

  /** The type of a watch event message of this kind. */
  public WatchEventType eventType(Message event) {
    EnumValueDescriptor value = (EnumValueDescriptor) event.getField(reflection().eventType);
    WatchEventType type = WatchEventType.forNumber(value.getNumber());
    return type == null ? WatchEventType.UNRECOGNIZED : type;
  }

  /** The object of a watch event message of this kind. */
  @SuppressWarnings("unchecked")
  public T eventObject(Message event) {
    return (T) event.getField(reflection().eventObject);
  }

  /** The store directory of this kind: {@code /registry/<plural>/}. */
  public String storagePrefix() {
    return "/registry/" + plural + "/";
  }

  /** The object's cache and store key: {@code namespace/name}, or {@code name} if cluster-scoped. */
  public String key(T obj) {
    ObjectMeta meta = meta(obj);
    return key(meta.getNamespace(), meta.getName());
  }

  /** The key of the object named so: {@code namespace/name}, or {@code name} if cluster-scoped. */
  public String key(String namespace, String name) {
    return namespaced ? namespace + "/" + name : name;
  }

  /**
   * The method of this kind's service with the given bare name ("Create", "Watch", "Bind").
   *
   * @throws IllegalArgumentException if the service has no such method
   */
  public MethodDescriptor<?, ?> method(String rpcName) {
    MethodDescriptor<?, ?> method = reflection().methods.get(rpcName);
    if (method == null) {
      throw new IllegalArgumentException(
          "service " + service.getName() + " has no method '" + rpcName + "'; it has "
              + reflection().methods.keySet());
    }
    return method;
  }

  private KindReflection reflection() {
    return REFLECTION.get(service.getName());
  }

  @Override
  public String toString() {
    return kind + " (" + apiVersion + ", " + plural + ")";
  }

  /** The field descriptors and methods of one kind, looked up and checked once. */
  private static final class KindReflection {
    final FieldDescriptor objectApiVersion;
    final FieldDescriptor objectKind;
    final FieldDescriptor objectMeta;
    final FieldDescriptor listMeta;
    final FieldDescriptor listItems;
    final FieldDescriptor eventType;
    final FieldDescriptor eventObject;
    final Map<String, MethodDescriptor<?, ?>> methods;

    KindReflection(Message object, Message list, Message event, ServiceDescriptor service) {
      Descriptor o = object.getDescriptorForType();
      objectApiVersion = field(o, "api_version", 1);
      objectKind = field(o, "kind", 2);
      objectMeta = field(o, "metadata", 3);
      expectMessage(objectMeta, ObjectMeta.getDescriptor());
      Descriptor l = list.getDescriptorForType();
      listMeta = field(l, "metadata", 1);
      expectMessage(listMeta, ListMeta.getDescriptor());
      listItems = field(l, "items", 2);
      if (!listItems.isRepeated() || listItems.getMessageType() != o) {
        throw new IllegalArgumentException(
            l.getFullName() + ".items must be 'repeated " + o.getFullName() + "'");
      }
      Descriptor e = event.getDescriptorForType();
      eventType = field(e, "type", 1);
      if (eventType.getEnumType() != WatchEventType.getDescriptor()) {
        throw new IllegalArgumentException(e.getFullName() + ".type must be a WatchEventType");
      }
      eventObject = field(e, "object", 2);
      expectMessage(eventObject, o);
      Map<String, MethodDescriptor<?, ?>> byName = new java.util.LinkedHashMap<>();
      for (MethodDescriptor<?, ?> m : service.getMethods()) {
        byName.put(m.getBareMethodName(), m);
      }
      methods = Map.copyOf(byName);
      for (String name : STANDARD_METHODS) {
        if (!methods.containsKey(name)) {
          throw new IllegalArgumentException(
              "service " + service.getName() + " lacks the standard method " + name);
        }
      }
      expectResponse(methods.get("Get"), object);
      expectResponse(methods.get("List"), list);
      expectResponse(methods.get("Watch"), event);
    }

    private static void expectResponse(MethodDescriptor<?, ?> method, Message expected) {
      Object prototype =
          method.getResponseMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> p
              ? p.getMessagePrototype()
              : null;
      if (!(prototype instanceof Message m)
          || m.getDescriptorForType() != expected.getDescriptorForType()) {
        throw new IllegalArgumentException(
            method.getFullMethodName() + " must return "
                + expected.getDescriptorForType().getFullName());
      }
    }

    private static FieldDescriptor field(Descriptor type, String name, int number) {
      FieldDescriptor field = type.findFieldByName(name);
      if (field == null || field.getNumber() != number) {
        throw new IllegalArgumentException(
            type.getFullName() + " must have field '" + name + "' = " + number);
      }
      return field;
    }

    private static void expectMessage(FieldDescriptor field, Descriptor type) {
      if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE
          || field.getMessageType() != type
          || field.isRepeated()) {
        throw new IllegalArgumentException(
            field.getFullName() + " must be a singular " + type.getFullName());
      }
    }
  }
}
