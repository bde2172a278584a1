package dev.skiff.cri.sim;

import com.google.common.hash.Hashing;
import dev.skiff.cri.v1.Image;
import dev.skiff.cri.v1.ImageSpec;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The image store of a simulated runtime: which images are present, which can be pulled, which
 * pulls fail. References are normalized as containerd does ({@code busybox} → {@code
 * docker.io/library/busybox:latest}). Image ids are {@code sha256:} of the normalized reference.
 *
 * <p>Thread-safe: every method synchronizes on this object. It never calls out while holding its
 * lock, so the runtime may call it under its own lock (lock order: runtime, then images).
 */
public final class SimImages {
  /** Size reported for every simulated image. */
  static final long IMAGE_SIZE = 1_036_288;

  private final boolean anyPullable;
  private final Map<String, Image> present = new LinkedHashMap<>(); // id -> image
  private final Set<String> pullable = new HashSet<>();
  private final Map<String, Status> pullFailures = new HashMap<>();
  private long pulls;

  SimImages(boolean anyPullable) {
    this.anyPullable = anyPullable;
  }

  /** Makes an image present without a pull (as if preloaded). */
  public synchronized Image preload(String reference) {
    String ref = normalize(reference);
    Image image = image(ref);
    present.put(image.getId(), image);
    return image;
  }

  /** Allows pulling {@code reference} when the runtime only pulls known images. */
  public synchronized void addPullable(String reference) {
    pullable.add(normalize(reference));
  }

  /**
   * Makes every pull of {@code reference} fail with {@code status} (e.g. {@code
   * Status.NOT_FOUND.withDescription("... not found")}); {@code null} clears it.
   */
  public synchronized void failPulls(String reference, Status status) {
    if (status == null) {
      pullFailures.remove(normalize(reference));
    } else {
      pullFailures.put(normalize(reference), status);
    }
  }

  /** Number of PullImage calls answered so far (successful or not). */
  public synchronized long pullCount() {
    return pulls;
  }

  synchronized String pull(ImageSpec spec) {
    pulls++;
    String ref = normalizeOrReject(spec.getImage());
    Status failure = pullFailures.get(ref);
    if (failure != null) {
      throw failure.asRuntimeException();
    }
    if (!anyPullable && !pullable.contains(ref)) {
      throw Status.NOT_FOUND
          .withDescription("failed to pull and unpack image \"" + ref + "\": failed to resolve reference \""
              + ref + "\": " + ref + ": not found")
          .asRuntimeException();
    }
    Image image = image(ref);
    present.put(image.getId(), image);
    return image.getId();
  }

  synchronized Optional<Image> find(String reference) {
    if (reference.isEmpty()) {
      return Optional.empty();
    }
    Image byId = present.get(reference.startsWith("sha256:") ? reference : "sha256:" + reference);
    if (byId != null) {
      return Optional.of(byId);
    }
    String ref;
    try {
      ref = normalize(reference);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(present.get(idOf(ref)));
  }

  synchronized List<Image> list() {
    return new ArrayList<>(present.values());
  }

  synchronized void remove(ImageSpec spec) {
    find(spec.getImage()).ifPresent(i -> present.remove(i.getId()));
  }

  synchronized long usedBytes() {
    return present.size() * IMAGE_SIZE;
  }

  private static Image image(String ref) {
    String id = idOf(ref);
    String repo = ref.contains("@") ? ref.substring(0, ref.indexOf('@')) : ref.substring(0, ref.lastIndexOf(':'));
    return Image.newBuilder()
        .setId(id)
        .addRepoTags(ref)
        .addRepoDigests(repo + "@" + id)
        .setSize(IMAGE_SIZE)
        .setSpec(ImageSpec.newBuilder().setImage(ref))
        .build();
  }

  private static String idOf(String ref) {
    return "sha256:" + Hashing.sha256().hashString(ref, StandardCharsets.UTF_8);
  }

  private static String normalizeOrReject(String reference) {
    try {
      return normalize(reference);
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
  }

  /**
   * containerd's normalization: a bare name lives on docker.io under library/, a first component
   * without '.' or ':' (and not localhost) is a docker.io user, a missing tag is latest.
   */
  static String normalize(String reference) {
    String name = reference == null ? "" : reference.split("@", 2)[0];
    if (name.isEmpty() || !name.matches("[a-z0-9][a-z0-9._:/-]*")) {
      throw new IllegalArgumentException("invalid image reference \"" + reference
          + "\": use lower-case name[:tag] such as localhost:5000/busybox:1.35");
    }
    String ref = reference;
    int slash = ref.indexOf('/');
    String first = slash < 0 ? "" : ref.substring(0, slash);
    if (slash < 0) {
      ref = "docker.io/library/" + ref;
    } else if (!first.contains(".") && !first.contains(":") && !first.equals("localhost")) {
      ref = "docker.io/" + ref;
    }
    boolean hasDigest = ref.contains("@");
    String lastPart = ref.substring(ref.lastIndexOf('/') + 1);
    if (!hasDigest && !lastPart.contains(":")) {
      ref = ref + ":latest";
    }
    return ref;
  }
}
