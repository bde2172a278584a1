package dev.skiff.apiserver.chain;

import com.google.protobuf.Message;

/**
 * Admission control on a request's message before the registry sees it (create, update,
 * updateStatus, patch, delete, bind). A mutating plugin returns a changed message; a rejecting one
 * throws {@code ApiError}. Plugins run in order.
 */
public interface AdmissionPlugin {
  Message admit(RequestAttributes request, Message message);
}
