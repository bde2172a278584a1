package dev.skiff.cli.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads and writes the CLI's YAML config file ({@code ~/.skiff/config} unless {@code --config}
 * names another). A missing file is an empty config; a malformed one is a {@link ConfigException}
 * naming the file.
 */
public final class ConfigFile {
  private final Path path;

  public ConfigFile(Path path) {
    this.path = path;
  }

  public static Path defaultPath(Path home) {
    return home.resolve(".skiff").resolve("config");
  }

  public Path path() {
    return path;
  }

  public SkiffConfig load() {
    if (!Files.exists(path)) {
      return SkiffConfig.empty();
    }
    Object root;
    try {
      root = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(path));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + path + ": " + e.getMessage());
    } catch (YamlEngineException e) {
      throw new ConfigException("config file " + path + " is not valid YAML: " + firstLine(e));
    }
    if (root == null) {
      return SkiffConfig.empty();
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new ConfigException("config file " + path + " must be a YAML mapping");
    }
    return new SkiffConfig(servers(map.get("servers")), string(map.get("currentNamespace")));
  }

  public void save(SkiffConfig config) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (!config.servers().isEmpty()) {
      out.put("servers", new ArrayList<>(config.servers()));
    }
    if (!config.currentNamespace().isEmpty()) {
      out.put("currentNamespace", config.currentNamespace());
    }
    String yaml =
        new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build())
            .dumpToString(out);
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(path, yaml);
    } catch (IOException e) {
      throw new ConfigException("cannot write config file " + path + ": " + e.getMessage());
    }
  }

  private List<String> servers(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof String s) {
      return ServerList.parse(s);
    }
    if (value instanceof List<?> list) {
      List<String> out = new ArrayList<>();
      for (Object o : list) {
        out.addAll(ServerList.parse(String.valueOf(o)));
      }
      return out;
    }
    throw new ConfigException(
        "config file " + path + ": servers must be a list of host:port, got " + value);
  }

  private static String string(Object value) {
    return value == null ? "" : String.valueOf(value);
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
