package dev.skiff.store.raft;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes snapshots off the apply thread, as etcd does: the apply thread only captures a
 * point-in-time {@link StoreState.Image} (references, no serialization), and a writer
 * thread serializes it, fsyncs it and publishes it. Writing 10,000 pods' history on the
 * apply thread stalled every write for a few hundred milliseconds.
 *
 * <p>Ratis hears of a finished snapshot at its next {@code takeSnapshot} call, and only
 * then purges the log up to it: while a snapshot is being written the log still holds
 * everything it covers, so a crash mid-write loses nothing.
 *
 * <p>Threading: {@link #poll} runs on Ratis' state-machine updater thread only; writes run
 * on this writer's one thread; {@link #latest} and {@link #loaded} from any thread.
 */
final class SnapshotWriter implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);

    private final SimpleStateMachineStorage storage;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            new ThreadFactoryBuilder().setNameFormat("store-snapshot-%d").setDaemon(true).build());
    private final AtomicBoolean writing = new AtomicBoolean();
    /** Written, not yet reported to Ratis. */
    private final AtomicReference<SnapshotInfo> unreported = new AtomicReference<>();
    /**
     * The newest snapshot, kept here because Ratis asks for it on every appendEntries and
     * {@link SimpleStateMachineStorage} lists the snapshot directory each time it has none.
     */
    private volatile SnapshotInfo latest;

    SnapshotWriter(SimpleStateMachineStorage storage) {
        this.storage = storage;
    }

    SnapshotInfo latest() {
        return latest;
    }

    /** The snapshot the state was just loaded from (start, or one installed from the leader). */
    void loaded(SnapshotInfo snapshot) {
        latest = snapshot;
    }

    /**
     * Ratis wants a snapshot at {@code at}, the last applied entry. Returns the index of a
     * snapshot finished since the last call, for Ratis to record and purge the log up to;
     * otherwise starts writing one from {@code capture} (unless one is being written) and
     * returns -1, which Ratis takes as "none yet" and asks again after its next apply.
     */
    long poll(TermIndex at, Supplier<StoreState.Image> capture) {
        SnapshotInfo done = unreported.getAndSet(null);
        if (done != null) {
            return done.getIndex();
        }
        if (at == null || at.getIndex() < 0 || !writing.compareAndSet(false, true)) {
            return -1;
        }
        SnapshotInfo newest = latest;
        if (newest != null && newest.getIndex() >= at.getIndex()) {
            writing.set(false);
            return newest.getIndex();
        }
        StoreState.Image image = capture.get();
        try {
            writer.execute(() -> write(image, at));
        } catch (RuntimeException closed) {
            writing.set(false);
        }
        return -1;
    }

    private void write(StoreState.Image image, TermIndex at) {
        long start = System.nanoTime();
        File file = storage.getSnapshotFile(at.getTerm(), at.getIndex());
        File tmp = new File(file.getParentFile(), "writing-" + at.getTerm() + "-" + at.getIndex());
        try {
            // the digest is taken while writing, and saved before the snapshot appears under its
            // name: Ratis lists the directory often and warned (hundreds of times a second) about a
            // snapshot without its MD5 while a second pass over the file computed it
            MessageDigest digest = MD5FileUtil.newMD5();
            try (FileOutputStream fos = new FileOutputStream(tmp);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                         new DigestOutputStream(fos, digest), 1 << 16))) {
                image.write(out);
                out.flush();
                fos.getChannel().force(true);
            }
            MD5Hash md5 = MD5Hash.newInstance(digest.digest());
            MD5FileUtil.saveMD5File(file, md5);
            Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE);
            SingleFileSnapshotInfo taken = new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), at);
            storage.updateLatestSnapshot(taken);
            SnapshotInfo before = latest;
            if (before == null || before.getIndex() < at.getIndex()) {
                latest = taken;
            }
            unreported.set(taken);
            LOG.info("snapshot written at term {} index {} (revision {}, {} bytes) in {} ms", at.getTerm(), at.getIndex(),
                    image.mvcc().revision(), file.length(), (System.nanoTime() - start) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            LOG.error("snapshot at index {} failed: {}", at.getIndex(), e.toString());
            tmp.delete();
        } finally {
            writing.set(false);
        }
    }

    /** Lets a snapshot being written finish (the log covers it either way). */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("snapshot still being written after 30 s; the log covers it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
