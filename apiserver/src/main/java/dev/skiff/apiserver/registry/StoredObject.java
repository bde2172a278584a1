package dev.skiff.apiserver.registry;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;

/**
 * An object as a write left it in the store: the message (without {@code metadata.resourceVersion}),
 * the exact bytes stored, and the write's revision, which is the object's resourceVersion. A reply
 * can be built from {@code value} without serializing the object again
 * ({@link ObjectCodec#encodeWithResourceVersion}).
 */
public record StoredObject<T extends Message>(T object, ByteString value, long revision) {}
