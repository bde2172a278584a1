package dev.skiff.store.raft;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * Identities derived deterministically, so every member computes the same: a member is
 * known by its peer address (that is all etcd's MemberAdd carries), the group and the
 * cluster by the cluster token.
 */
public final class MemberIds {
    private MemberIds() {
    }

    /** etcd-style 64-bit member id of a peer address. */
    public static long memberId(String peerAddress) {
        return hash("member:" + peerAddress);
    }

    public static long clusterId(String token) {
        return hash("cluster:" + token);
    }

    public static RaftPeerId peerId(String peerAddress) {
        return RaftPeerId.valueOf(Long.toHexString(memberId(peerAddress)));
    }

    public static RaftGroupId groupId(String token) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("skiff-store:" + token).getBytes(StandardCharsets.UTF_8)));
    }

    /** The member id behind a Ratis peer id made by {@link #peerId}. */
    public static long memberId(RaftPeerId id) {
        return Long.parseUnsignedLong(id.toString(), 16);
    }

    private static long hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d).getLong() & Long.MAX_VALUE;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
