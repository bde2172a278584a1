package dev.skiff.store.mvcc;

import com.google.protobuf.ByteString;

/**
 * etcd's key range rule: an empty {@code end} means the single key, {@code "\0"} means
 * every key at or after {@code key} (and {@code key="\0"} with it means all keys),
 * otherwise the half-open interval {@code [key, end)}; an end not after key is empty.
 */
public record KeyRange(ByteString key, ByteString end) {
    private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

    public static KeyRange of(ByteString key, ByteString end) {
        return new KeyRange(key, end == null ? ByteString.EMPTY : end);
    }

    public boolean isSingleKey() {
        return end.isEmpty();
    }

    /** Open-ended: every key from {@code key} on. */
    public boolean isUnbounded() {
        return end.equals(ZERO);
    }

    /** The effective lower bound ("\0" as key means the start of the key space). */
    public ByteString from() {
        return key.equals(ZERO) && isUnbounded() ? ByteString.EMPTY : key;
    }

    public boolean isEmpty() {
        return !isSingleKey() && !isUnbounded() && compare(end, key) <= 0;
    }

    public boolean contains(ByteString k) {
        if (isSingleKey()) {
            return k.equals(key);
        }
        if (compare(k, from()) < 0) {
            return false;
        }
        return isUnbounded() || compare(k, end) < 0;
    }

    public static int compare(ByteString a, ByteString b) {
        return ByteString.unsignedLexicographicalComparator().compare(a, b);
    }

    /** The range end that selects every key starting with {@code prefix}. */
    public static ByteString prefixEnd(ByteString prefix) {
        byte[] b = prefix.toByteArray();
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] != (byte) 0xff) {
                b[i]++;
                return ByteString.copyFrom(b, 0, i + 1);
            }
        }
        return ZERO;
    }
}
