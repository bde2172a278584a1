package dev.skiff.client.informer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An informer's event handlers, called in registration order. A failing handler is logged and
 * skipped; the others still run. Not thread-safe: owned by the informer's thread.
 */
final class HandlerList<T> {
  private static final Logger log = LoggerFactory.getLogger(HandlerList.class);

  private final String informer;
  private final List<ResourceEventHandler<T>> handlers = new ArrayList<>();

  HandlerList(String informer) {
    this.informer = informer;
  }

  /** Adds {@code handler} and first replays {@code cached} to it as adds. */
  void add(ResourceEventHandler<T> handler, Collection<T> cached) {
    handlers.add(handler);
    for (T obj : cached) {
      deliver(handler, h -> h.onAdd(obj));
    }
  }

  void onAdd(T obj) {
    dispatch(h -> h.onAdd(obj));
  }

  void onUpdate(T oldObj, T newObj) {
    dispatch(h -> h.onUpdate(oldObj, newObj));
  }

  void onDelete(T obj) {
    dispatch(h -> h.onDelete(obj));
  }

  private void dispatch(Consumer<ResourceEventHandler<T>> call) {
    for (ResourceEventHandler<T> handler : handlers) {
      deliver(handler, call);
    }
  }

  private void deliver(ResourceEventHandler<T> handler, Consumer<ResourceEventHandler<T>> call) {
    try {
      call.accept(handler);
    } catch (RuntimeException e) {
      log.warn("{}: event handler {} failed: {}", informer, handler.getClass().getName(), e.toString());
    }
  }
}
