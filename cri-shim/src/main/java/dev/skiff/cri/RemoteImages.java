package dev.skiff.cri;

import static dev.skiff.cri.CriCalls.call;
import static dev.skiff.cri.CriCalls.contract;
import static dev.skiff.cri.CriCalls.idempotent;
import static dev.skiff.cri.CriCalls.requireId;

import dev.skiff.cri.v1.AuthConfig;
import dev.skiff.cri.v1.FilesystemUsage;
import dev.skiff.cri.v1.Image;
import dev.skiff.cri.v1.ImageFsInfoRequest;
import dev.skiff.cri.v1.ImageServiceGrpc;
import dev.skiff.cri.v1.ImageSpec;
import dev.skiff.cri.v1.ImageStatusRequest;
import dev.skiff.cri.v1.ImageStatusResponse;
import dev.skiff.cri.v1.ListImagesRequest;
import dev.skiff.cri.v1.PodSandboxConfig;
import dev.skiff.cri.v1.PullImageRequest;
import dev.skiff.cri.v1.RemoveImageRequest;
import io.grpc.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The image half of {@link RemoteRuntime}: the CRI ImageService over a channel (kubelet's
 * {@code remote_image.go}), each call with its own deadline and answer checks. Thread safe:
 * stubs are immutable; the channel belongs to the {@link RemoteRuntime}.
 */
final class RemoteImages {
  private final Channel channel;
  private final RuntimeTimeouts timeouts;

  RemoteImages(Channel channel, RuntimeTimeouts timeouts) {
    this.channel = channel;
    this.timeouts = timeouts;
  }

  private ImageServiceGrpc.ImageServiceBlockingStub images(Duration deadline) {
    return ImageServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  List<Image> listImages() {
    return call("ListImages", () -> images(timeouts.call()).listImages(ListImagesRequest.getDefaultInstance()))
        .getImagesList();
  }

  Optional<Image> imageStatus(String image) {
    requireId("ImageStatus", image);
    ImageStatusRequest req = ImageStatusRequest.newBuilder().setImage(spec(image)).build();
    ImageStatusResponse r = call("ImageStatus", () -> images(timeouts.call()).imageStatus(req));
    if (!r.hasImage()) {
      return Optional.empty();
    }
    if (r.getImage().getId().isEmpty()) {
      throw contract("ImageStatus", "image without id for " + image);
    }
    return Optional.of(r.getImage());
  }

  String pullImage(String image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
    requireId("PullImage", image);
    PullImageRequest.Builder req = PullImageRequest.newBuilder().setImage(spec(image));
    if (auth != null) {
      req.setAuth(auth);
    }
    if (sandboxConfig != null) {
      req.setSandboxConfig(sandboxConfig);
    }
    String ref = call("PullImage", () -> images(timeouts.pullImage()).pullImage(req.build())).getImageRef();
    if (ref.isEmpty()) {
      throw contract("PullImage", "empty image_ref for " + image);
    }
    return ref;
  }

  void removeImage(String image) {
    requireId("RemoveImage", image);
    idempotent("RemoveImage",
        () -> images(timeouts.call()).removeImage(RemoveImageRequest.newBuilder().setImage(spec(image)).build()));
  }

  List<FilesystemUsage> imageFsInfo() {
    return call("ImageFsInfo", () -> images(timeouts.call()).imageFsInfo(ImageFsInfoRequest.getDefaultInstance()))
        .getImageFilesystemsList();
  }

  private static ImageSpec spec(String image) {
    return ImageSpec.newBuilder().setImage(image).build();
  }
}
