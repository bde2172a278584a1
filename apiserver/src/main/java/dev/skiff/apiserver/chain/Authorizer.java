package dev.skiff.apiserver.chain;

import java.util.Optional;

/** Decides whether a request may proceed (later: RBAC, node restriction). */
public interface Authorizer {
  /** Empty to allow, else the reason for PERMISSION_DENIED. */
  Optional<String> deny(RequestAttributes request);

  /** The permissive default. */
  static Authorizer allowAll() {
    return request -> Optional.empty();
  }
}
