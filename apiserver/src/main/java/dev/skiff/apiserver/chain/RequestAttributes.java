package dev.skiff.apiserver.chain;

import dev.skiff.client.api.ResourceKind;

/**
 * What a request does, for authorization and admission (Kubernetes' authorizer.Attributes).
 *
 * @param verb create, get, list, watch, update, patch, delete
 * @param subresource "", "status", "binding", "log", "exec"
 */
public record RequestAttributes(UserInfo user, String verb, ResourceKind<?, ?> kind, String subresource,
                                String namespace, String name) {}
