package dev.skiff.cli.commands;

import com.google.protobuf.Message;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.CliException;
import dev.skiff.cli.ObjectCallException;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.api.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Kind lookup, argument parsing and untyped calls shared by the user commands. */
final class Resources {
  private Resources() {}

  /** kubectl's {@code all}: the workload kinds people look at together. */
  private static final List<ResourceKind<?, ?>> ALL =
      List.of(Kinds.POD, Kinds.SERVICE, Kinds.DEPLOYMENT, Kinds.REPLICA_SET);

  /** One thing a command was asked about: a kind, and a name unless the whole kind is meant. */
  record Target(ResourceKind<?, ?> kind, String name) {}

  static ResourceKind<?, ?> kind(String name) {
    return Kinds.byName(name).orElseThrow(() ->
        new CliException("the server doesn't have a resource type \"" + name + "\""));
  }

  /** Several types: {@code pods,services} or {@code all}. */
  static List<ResourceKind<?, ?>> kinds(String spec) {
    List<ResourceKind<?, ?>> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      if (part.equalsIgnoreCase("all")) {
        out.addAll(ALL);
      } else {
        out.add(kind(part.trim()));
      }
    }
    return out;
  }

  /**
   * Parses kubectl's forms: {@code TYPE[,TYPE]}, {@code TYPE NAME...}, {@code TYPE/NAME...}.
   * A target with a null name means "every object of that kind".
   */
  static List<Target> targets(List<String> args) {
    if (args.isEmpty()) {
      throw new CliException("you must specify the type of resource, e.g. 'pods' or 'deployment/web'");
    }
    List<Target> out = new ArrayList<>();
    if (args.get(0).contains("/")) {
      for (String arg : args) {
        int slash = arg.indexOf('/');
        if (slash <= 0 || slash == arg.length() - 1) {
          throw new CliException("there is no need to specify a resource type as a separate argument when"
              + " passing arguments in resource/name form (e.g. 'skiff get resource/<resource_name>'"
              + " instead of 'skiff get resource resource/<resource_name>'): \"" + arg + "\"");
        }
        out.add(new Target(kind(arg.substring(0, slash)), arg.substring(slash + 1)));
      }
      return out;
    }
    List<ResourceKind<?, ?>> kinds = kinds(args.get(0));
    if (args.size() == 1) {
      kinds.forEach(k -> out.add(new Target(k, null)));
      return out;
    }
    if (kinds.size() != 1) {
      throw new CliException("names can be given for one resource type only, got \"" + args.get(0) + "\"");
    }
    for (String name : args.subList(1, args.size())) {
      if (name.contains("/")) {
        throw new CliException("mixing TYPE NAME and TYPE/NAME arguments is not supported: \"" + name + "\"");
      }
      out.add(new Target(kinds.get(0), name));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static ResourceClient<Message, Message> client(CliContext ctx, ResourceKind<?, ?> kind) {
    return (ResourceClient<Message, Message>) (ResourceClient<?, ?>) ctx.client().resource(kind);
  }

  @SuppressWarnings("unchecked")
  static ResourceKind<Message, Message> raw(ResourceKind<?, ?> kind) {
    return (ResourceKind<Message, Message>) kind;
  }

  /** The namespace a call about {@code kind} uses: the context's, or "" for cluster-scoped kinds. */
  static String namespace(CliContext ctx, ResourceKind<?, ?> kind) {
    return kind.namespaced() ? ctx.namespace() : "";
  }

  static ObjectMeta meta(ResourceKind<?, ?> kind, Message object) {
    return raw(kind).meta(object);
  }

  static List<Message> items(ResourceKind<?, ?> kind, Message list) {
    return raw(kind).items(list);
  }

  static Message withTypeMeta(ResourceKind<?, ?> kind, Message object) {
    return raw(kind).withTypeMeta(object);
  }

  /** Runs a call about one object, so its failure names the object. */
  static <R> R about(ResourceKind<?, ?> kind, String name, Supplier<R> call) {
    try {
      return call.get();
    } catch (ApiException e) {
      throw new ObjectCallException(kind, name, e);
    }
  }
}
