package dev.skiff.cri.sim;

import static dev.skiff.cri.sim.SimRuntimeService.answer;

import dev.skiff.cri.v1.FilesystemIdentifier;
import dev.skiff.cri.v1.FilesystemUsage;
import dev.skiff.cri.v1.Image;
import dev.skiff.cri.v1.ImageFsInfoRequest;
import dev.skiff.cri.v1.ImageFsInfoResponse;
import dev.skiff.cri.v1.ImageServiceGrpc;
import dev.skiff.cri.v1.ImageStatusRequest;
import dev.skiff.cri.v1.ImageStatusResponse;
import dev.skiff.cri.v1.ListImagesRequest;
import dev.skiff.cri.v1.ListImagesResponse;
import dev.skiff.cri.v1.PullImageRequest;
import dev.skiff.cri.v1.PullImageResponse;
import dev.skiff.cri.v1.RemoveImageRequest;
import dev.skiff.cri.v1.RemoveImageResponse;
import dev.skiff.cri.v1.UInt64Value;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.LongSupplier;

/** The CRI ImageService over {@link SimImages}. Stateless; thread-safe. */
final class SimImageService extends ImageServiceGrpc.ImageServiceImplBase {
  private final SimImages images;
  private final LongSupplier nowNanos;

  SimImageService(SimImages images, LongSupplier nowNanos) {
    this.images = images;
    this.nowNanos = nowNanos;
  }

  @Override
  public void listImages(ListImagesRequest req, StreamObserver<ListImagesResponse> out) {
    answer(out, () -> {
      String want = req.getFilter().getImage().getImage();
      List<Image> all = want.isEmpty() ? images.list() : images.find(want).stream().toList();
      return ListImagesResponse.newBuilder().addAllImages(all).build();
    });
  }

  @Override
  public void imageStatus(ImageStatusRequest req, StreamObserver<ImageStatusResponse> out) {
    answer(out, () -> {
      ImageStatusResponse.Builder b = ImageStatusResponse.newBuilder();
      images.find(req.getImage().getImage()).ifPresent(b::setImage); // absent: empty answer
      return b.build();
    });
  }

  @Override
  public void pullImage(PullImageRequest req, StreamObserver<PullImageResponse> out) {
    answer(out, () -> PullImageResponse.newBuilder().setImageRef(images.pull(req.getImage())).build());
  }

  @Override
  public void removeImage(RemoveImageRequest req, StreamObserver<RemoveImageResponse> out) {
    answer(out, () -> {
      images.remove(req.getImage());
      return RemoveImageResponse.getDefaultInstance();
    });
  }

  @Override
  public void imageFsInfo(ImageFsInfoRequest req, StreamObserver<ImageFsInfoResponse> out) {
    answer(out, () -> ImageFsInfoResponse.newBuilder()
        .addImageFilesystems(FilesystemUsage.newBuilder()
            .setTimestamp(nowNanos.getAsLong())
            .setFsId(FilesystemIdentifier.newBuilder().setMountpoint("/simulated/images"))
            .setUsedBytes(UInt64Value.newBuilder().setValue(images.usedBytes()))
            .setInodesUsed(UInt64Value.newBuilder().setValue(images.list().size())))
        .build());
  }
}
