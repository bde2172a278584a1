package dev.skiff.store.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/** Completes a unary call from a future without blocking the gRPC thread. */
final class Unary {
    private Unary() {
    }

    static <T, R> void reply(Supplier<CompletableFuture<T>> call, Function<T, R> extract, StreamObserver<R> out) {
        CompletableFuture<T> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
            return;
        }
        f.whenComplete((v, err) -> {
            if (err != null) {
                out.onError(ErrorMapper.toStatus(err));
                return;
            }
            R r;
            try {
                r = extract.apply(v);
            } catch (RuntimeException e) {
                out.onError(ErrorMapper.toStatus(e));
                return;
            }
            out.onNext(r);
            out.onCompleted();
        });
    }
}
