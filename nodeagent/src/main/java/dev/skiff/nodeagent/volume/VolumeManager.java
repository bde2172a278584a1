package dev.skiff.nodeagent.volume;

import dev.skiff.api.v1.ConfigMap;
import dev.skiff.api.v1.KeyToPath;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.Secret;
import dev.skiff.api.v1.Volume;
import dev.skiff.nodeagent.NodeAgentConfig;
import dev.skiff.nodeagent.runtime.ContainerConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sets up a pod's volumes on the node under {@code <rootDir>/pods/<uid>/volumes/<plugin>/<name>}:
 * emptyDir (a directory), hostPath (the host path, created for DirectoryOrCreate/FileOrCreate),
 * configMap and secret (files written by {@link AtomicWriter}, rewritten when the source changes).
 * Called on every sync of the pod (cheap when nothing changed); the pod's worker is the only caller
 * for a given pod.
 */
public final class VolumeManager {
  private final NodeAgentConfig config;
  private final ObjectSource objects;

  public VolumeManager(NodeAgentConfig config, ObjectSource objects) {
    this.config = config;
    this.objects = objects;
  }

  /** Host path of each volume by name; throws when a required source is missing. */
  public Map<String, Path> setUp(Pod pod) throws ContainerConfigException, IOException {
    Map<String, Path> paths = new HashMap<>();
    Path base = config.podDir(pod.getMetadata().getUid()).resolve("volumes");
    String ns = pod.getMetadata().getNamespace();
    for (Volume v : pod.getSpec().getVolumesList()) {
      if (v.hasEmptyDir()) {
        Path dir = base.resolve("kubernetes.io~empty-dir").resolve(v.getName());
        Files.createDirectories(dir);
        paths.put(v.getName(), dir);
      } else if (v.hasHostPath()) {
        Path p = Path.of(v.getHostPath().getPath());
        String type = v.getHostPath().getType();
        if ("DirectoryOrCreate".equals(type)) {
          Files.createDirectories(p);
        } else if ("FileOrCreate".equals(type) && !Files.exists(p)) {
          Files.createDirectories(p.getParent());
          Files.createFile(p);
        } else if (("Directory".equals(type) && !Files.isDirectory(p))
            || ("File".equals(type) && !Files.isRegularFile(p))) {
          throw new ContainerConfigException("hostPath " + p + " is not a " + type.toLowerCase());
        }
        paths.put(v.getName(), p);
      } else if (v.hasConfigMap()) {
        var src = v.getConfigMap();
        Path dir = base.resolve("kubernetes.io~configmap").resolve(v.getName());
        Optional<ConfigMap> cm = objects.configMap(ns, src.getName());
        if (cm.isEmpty() && !src.getOptional()) {
          throw new ContainerConfigException("configmap \"" + src.getName() + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        cm.ifPresent(c -> {
          c.getDataMap().forEach((k, val) -> data.put(k, val.getBytes(StandardCharsets.UTF_8)));
          c.getBinaryDataMap().forEach((k, val) -> data.put(k, val.toByteArray()));
        });
        AtomicWriter.write(dir, project(data, src.getItemsList(), "configmap " + src.getName()),
            src.hasDefaultMode() ? src.getDefaultMode() : 0644);
        paths.put(v.getName(), dir);
      } else if (v.hasSecret()) {
        var src = v.getSecret();
        Path dir = base.resolve("kubernetes.io~secret").resolve(v.getName());
        Optional<Secret> s = objects.secret(ns, src.getSecretName());
        if (s.isEmpty() && !src.getOptional()) {
          throw new ContainerConfigException("secret \"" + src.getSecretName() + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        s.ifPresent(x -> x.getDataMap().forEach((k, val) -> data.put(k, val.toByteArray())));
        AtomicWriter.write(dir, project(data, src.getItemsList(), "secret " + src.getSecretName()),
            src.hasDefaultMode() ? src.getDefaultMode() : 0644);
        paths.put(v.getName(), dir);
      } else {
        throw new ContainerConfigException("volume \"" + v.getName()
            + "\": only emptyDir, hostPath, configMap and secret volumes are supported on this node");
      }
    }
    return paths;
  }

  /** True when the pod has volumes whose content follows API objects (re-sync to refresh). */
  public static boolean hasProjectedSources(Pod pod) {
    return pod.getSpec().getVolumesList().stream().anyMatch(v -> v.hasConfigMap() || v.hasSecret());
  }

  private static Map<String, byte[]> project(Map<String, byte[]> data, List<KeyToPath> items,
      String what) throws ContainerConfigException {
    if (items.isEmpty()) {
      return data;
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (KeyToPath item : items) {
      byte[] value = data.get(item.getKey());
      if (value == null) {
        throw new ContainerConfigException("key " + item.getKey() + " not found in " + what);
      }
      out.put(item.getPath(), value);
    }
    return out;
  }

  /** Removes the pod's directory (volumes and state) once its containers are gone. */
  public void tearDown(String uid) throws IOException {
    AtomicWriter.deleteTree(config.podDir(uid));
  }
}
