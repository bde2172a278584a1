package dev.skiff.apiserver.registry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest store revision this apiserver has written for one kind. A watch cache of that kind
 * reflects every write this apiserver made once its revision has reached this one: before that, a
 * reader that must see its own writes (the namespace lifecycle check after a namespace began
 * terminating) asks the store. Thread-safe.
 */
public final class WrittenRevision {
  private final AtomicLong revision = new AtomicLong();

  void advance(long written) {
    revision.accumulateAndGet(written, Math::max);
  }

  public long get() {
    return revision.get();
  }
}
