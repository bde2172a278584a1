package dev.skiff.apiserver.chain;

import io.grpc.Metadata;

/** Establishes who calls from the request headers (later: client certificates, bearer tokens). */
public interface Authenticator {
  /**
   * @return the caller; throws {@code ApiError} with UNAUTHENTICATED for bad credentials
   */
  UserInfo authenticate(Metadata headers);

  /** The permissive default: everyone is anonymous, and allowed in. */
  static Authenticator anonymous() {
    return headers -> UserInfo.ANONYMOUS;
  }
}
