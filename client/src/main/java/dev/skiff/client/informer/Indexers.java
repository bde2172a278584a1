package dev.skiff.client.informer;

import com.google.protobuf.Message;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.client.api.ResourceKind;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/** Names and functions of common indexes. */
public final class Indexers {
  /** Every informer has this index: the object's namespace ("" for cluster-scoped kinds). */
  public static final String NAMESPACE = "namespace";

  private Indexers() {}

  static <T extends Message> Function<T, Collection<String>> namespace(ResourceKind<T, ?> kind) {
    return obj -> List.of(kind.meta(obj).getNamespace());
  }

  /**
   * An index of labels: one value {@code key=value} per label, so {@code byIndex(name, "app=web")}
   * finds objects labelled {@code app=web}. Add it with {@code addIndexer("labels", Indexers.labels(kind))}.
   */
  public static <T extends Message> Function<T, Collection<String>> labels(ResourceKind<T, ?> kind) {
    return obj -> {
      ObjectMeta meta = kind.meta(obj);
      return meta.getLabelsMap().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    };
  }
}
