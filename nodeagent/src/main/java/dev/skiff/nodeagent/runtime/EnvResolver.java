package dev.skiff.nodeagent.runtime;

import dev.skiff.api.v1.ConfigMap;
import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.EnvFromSource;
import dev.skiff.api.v1.EnvVar;
import dev.skiff.api.v1.EnvVarSource;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.Secret;
import dev.skiff.nodeagent.volume.ObjectSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container's environment as kubelet builds it: {@code envFrom} first (ConfigMaps, Secrets, with
 * their prefix), then {@code env} in order (literal values with {@code $(VAR)} expansion,
 * configMapKeyRef, secretKeyRef, downward API fieldRef). Stateless apart from the object source.
 */
public final class EnvResolver {
  private final ObjectSource objects;

  public EnvResolver(ObjectSource objects) {
    this.objects = objects;
  }

  /** The environment in order, later names overriding earlier ones. */
  public Map<String, String> resolve(Pod pod, Container container, String podIp, String hostIp)
      throws ContainerConfigException {
    String ns = pod.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : container.getEnvFromList()) {
      if (from.hasConfigMapRef()) {
        Optional<ConfigMap> cm = objects.configMap(ns, from.getConfigMapRef().getName());
        if (cm.isEmpty()) {
          if (from.getConfigMapRef().getOptional()) {
            continue;
          }
          throw new ContainerConfigException("configmap \"" + from.getConfigMapRef().getName() + "\" not found");
        }
        cm.get().getDataMap().forEach((k, v) -> env.put(from.getPrefix() + k, v));
      }
      if (from.hasSecretRef()) {
        Optional<Secret> s = objects.secret(ns, from.getSecretRef().getName());
        if (s.isEmpty()) {
          if (from.getSecretRef().getOptional()) {
            continue;
          }
          throw new ContainerConfigException("secret \"" + from.getSecretRef().getName() + "\" not found");
        }
        s.get().getDataMap().forEach((k, v) -> env.put(from.getPrefix() + k, v.toString(StandardCharsets.UTF_8)));
      }
    }
    for (EnvVar var : container.getEnvList()) {
      if (!var.hasValueFrom()) {
        env.put(var.getName(), expand(var.getValue(), env));
        continue;
      }
      Optional<String> value = fromSource(pod, var.getValueFrom(), podIp, hostIp);
      value.ifPresent(v -> env.put(var.getName(), v));
    }
    return env;
  }

  private Optional<String> fromSource(Pod pod, EnvVarSource src, String podIp, String hostIp)
      throws ContainerConfigException {
    String ns = pod.getMetadata().getNamespace();
    if (src.hasConfigMapKeyRef()) {
      var ref = src.getConfigMapKeyRef();
      Optional<ConfigMap> cm = objects.configMap(ns, ref.getName());
      Optional<String> v = cm.map(c -> c.getDataMap().get(ref.getKey()));
      if (v.isEmpty() && !ref.getOptional()) {
        throw new ContainerConfigException(cm.isEmpty()
            ? "configmap \"" + ref.getName() + "\" not found"
            : "couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
      }
      return v;
    }
    if (src.hasSecretKeyRef()) {
      var ref = src.getSecretKeyRef();
      Optional<Secret> s = objects.secret(ns, ref.getName());
      Optional<String> v = s.map(x -> x.getDataMap().get(ref.getKey()))
          .map(b -> b.toString(StandardCharsets.UTF_8));
      if (v.isEmpty() && !ref.getOptional()) {
        throw new ContainerConfigException(s.isEmpty()
            ? "secret \"" + ref.getName() + "\" not found"
            : "couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
      }
      return v;
    }
    if (src.hasFieldRef()) {
      return Optional.of(fieldPath(pod, src.getFieldRef().getFieldPath(), podIp, hostIp));
    }
    if (src.hasResourceFieldRef()) {
      throw new ContainerConfigException("resourceFieldRef is not supported: " + src.getResourceFieldRef().getResource());
    }
    return Optional.of("");
  }

  /** The downward API fields kubelet offers through env and volumes. */
  public static String fieldPath(Pod pod, String path, String podIp, String hostIp)
      throws ContainerConfigException {
    var meta = pod.getMetadata();
    switch (path) {
      case "metadata.name": return meta.getName();
      case "metadata.namespace": return meta.getNamespace();
      case "metadata.uid": return meta.getUid();
      case "spec.nodeName": return pod.getSpec().getNodeName();
      case "spec.serviceAccountName": return pod.getSpec().getServiceAccountName();
      case "status.podIP": return podIp;
      case "status.podIPs": return podIp;
      case "status.hostIP": return hostIp;
      case "status.hostIPs": return hostIp;
      default:
        if (path.startsWith("metadata.labels['") && path.endsWith("']")) {
          return meta.getLabelsOrDefault(path.substring(17, path.length() - 2), "");
        }
        if (path.startsWith("metadata.annotations['") && path.endsWith("']")) {
          return meta.getAnnotationsOrDefault(path.substring(22, path.length() - 2), "");
        }
        throw new ContainerConfigException("unsupported downward API field path: " + path);
    }
  }

  /** Kubernetes' {@code $(VAR)} expansion: known names are replaced, {@code $$} escapes. */
  public static String expand(String input, Map<String, String> env) {
    if (input.indexOf('$') < 0) {
      return input;
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < input.length()) {
      char c = input.charAt(i);
      if (c == '$' && i + 1 < input.length()) {
        char n = input.charAt(i + 1);
        if (n == '$') {
          out.append('$');
          i += 2;
          continue;
        }
        if (n == '(') {
          int close = input.indexOf(')', i + 2);
          if (close > 0) {
            String name = input.substring(i + 2, close);
            String v = env.get(name);
            out.append(v != null ? v : input, v != null ? 0 : i, v != null ? v.length() : close + 1);
            i = close + 1;
            continue;
          }
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  public static List<String> expandAll(List<String> items, Map<String, String> env) {
    List<String> out = new ArrayList<>(items.size());
    for (String s : items) {
      out.add(expand(s, env));
    }
    return out;
  }
}
