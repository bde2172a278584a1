package dev.skiff.cli.commands;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Message;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.ErrorReporter;
import dev.skiff.cli.manifest.Manifest;
import dev.skiff.cli.output.ObjectFormats;
import dev.skiff.cli.output.ObjectNames;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import io.grpc.Status;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code skiff apply -f}: creates what is absent, patches what differs (kubectl's three-way merge
 * against the last applied configuration, kept in an annotation), leaves the rest unchanged, and
 * says which for every object: {@code deployment.apps/web created|configured|unchanged}.
 */
@Command(name = "apply", description = "Create or update resources from manifests.", mixinStandardHelpOptions = true)
public final class ApplyCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  /** The same annotation kubectl keeps, so the objects look familiar. */
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final CliContext ctx;

  @Mixin ManifestOptions manifests;

  public ApplyCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (!manifests.given()) {
      throw new dev.skiff.cli.CliException("must specify one of -f and -k (here: -f FILE|DIR|-)");
    }
    int failures = 0;
    ErrorReporter reporter = new ErrorReporter(ctx::servers);
    for (Manifest m : manifests.read(ctx)) {
      try {
        String result = apply(m);
        ctx.out().println(ObjectNames.qualified(m.kind().kind(), m.kind().apiVersion(), m.meta().getName()) + " " + result);
      } catch (RuntimeException e) {
        if (fatal(e)) {
          throw e;
        }
        failures++;
        reporter.lines(e).forEach(ctx.err()::println);
      }
    }
    return failures == 0 ? 0 : 1;
  }

  private String apply(Manifest m) {
    ResourceClient<Message, Message> client = Resources.client(ctx, m.kind());
    ObjectMeta meta = m.meta();
    Message desiredObject = desired(m.kind(), m.object());
    String desiredJson = ObjectFormats.json(Resources.withTypeMeta(m.kind(), desiredObject));
    Optional<Message> live = Resources.about(m.kind(), meta.getName(),
        () -> client.find(meta.getNamespace(), meta.getName()));
    if (live.isEmpty()) {
      Message withAnnotation = Resources.raw(m.kind()).withMeta(desiredObject,
          Resources.meta(m.kind(), desiredObject).toBuilder().putAnnotations(LAST_APPLIED, compact(desiredJson)).build());
      Resources.about(m.kind(), meta.getName(), () -> client.create(withAnnotation));
      return "created";
    }
    ObjectMeta liveMeta = Resources.meta(m.kind(), live.get());
    String lastApplied = liveMeta.getAnnotationsOrDefault(LAST_APPLIED, "{}");
    JsonObject desired = JsonParser.parseString(desiredJson).getAsJsonObject();
    JsonObject patch = MergePatch.applyPatch(parseOrEmpty(lastApplied), desired);
    JsonObject annotations = new JsonObject();
    annotations.addProperty(LAST_APPLIED, compact(desiredJson));
    patch.getAsJsonObject("metadata").add("annotations",
        MergePatch.apply(patch.getAsJsonObject("metadata").get("annotations"), annotations));
    JsonElement liveJson = JsonParser.parseString(ObjectFormats.json(Resources.withTypeMeta(m.kind(), live.get())));
    if (MergePatch.isNoOp(liveJson, patch)) {
      return "unchanged";
    }
    Resources.about(m.kind(), meta.getName(),
        () -> client.patch(meta.getNamespace(), meta.getName(), patch.toString()));
    return "configured";
  }

  /**
   * What the user asks for, without what only the server writes: status, the last applied
   * configuration, and the server-set metadata (so the output of {@code get -o yaml} applies
   * without dragging a stale resourceVersion along).
   */
  private static Message desired(dev.skiff.client.api.ResourceKind<?, ?> kind, Message object) {
    ObjectMeta meta = Resources.meta(kind, object).toBuilder()
        .removeAnnotations(LAST_APPLIED)
        .clearUid().clearResourceVersion().clearGeneration().clearCreationTimestamp()
        .clearDeletionTimestamp().clearDeletionGracePeriodSeconds().clearManagedFields().clearSelfLink()
        .build();
    Message.Builder b = Resources.raw(kind).withMeta(object, meta).toBuilder();
    var status = b.getDescriptorForType().findFieldByName("status");
    if (status != null) {
      b.clearField(status);
    }
    return b.build();
  }

  private static JsonObject parseOrEmpty(String json) {
    try {
      JsonElement e = JsonParser.parseString(json);
      return e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  private static String compact(String json) {
    return JsonParser.parseString(json).toString();
  }

  /** Failures that would repeat for every object: stop at the first. */
  static boolean fatal(RuntimeException e) {
    Throwable t = e instanceof dev.skiff.cli.ObjectCallException o ? o.api() : e;
    return t instanceof ApiException api
        && (api.code() == Status.Code.UNAVAILABLE || api.code() == Status.Code.DEADLINE_EXCEEDED
            || api.code() == Status.Code.UNAUTHENTICATED);
  }
}
