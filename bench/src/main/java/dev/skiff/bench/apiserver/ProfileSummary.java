package dev.skiff.bench.apiserver;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording and prints where the CPU samples went, by layer: each sample is charged
 * to the layer of its innermost frame that is not JDK code (so a {@code HashMap.get} called by
 * protobuf counts as protobuf), then, for the protobuf and gRPC layers, to the layer that called
 * into them. Also prints the hottest methods (self time) and the hottest application frames
 * (inclusive). Usage: ProfileSummary FILE.jfr [TOP]
 */
public final class ProfileSummary {
  /** Layers, matched by class-name prefix, first match wins. */
  private static final List<Map.Entry<String, String>> LAYERS = List.of(
      Map.entry("dev.skiff.apiserver.", "apiserver"),
      Map.entry("dev.skiff.client.etcd.", "etcd client"),
      Map.entry("dev.skiff.client.", "client"),
      Map.entry("dev.skiff.store.", "store"),
      Map.entry("org.apache.ratis.", "store (Ratis)"),
      Map.entry("dev.skiff.bench.", "bench clients"),
      Map.entry("dev.skiff.api.", "protobuf"),
      Map.entry("dev.skiff.proto.", "protobuf"),
      Map.entry("com.google.protobuf.", "protobuf"),
      Map.entry("io.grpc.netty.shaded.io.netty.", "netty"),
      Map.entry("io.grpc.", "grpc"),
      Map.entry("io.perfmark.", "grpc"),
      Map.entry("ch.qos.logback.", "logging"),
      Map.entry("org.slf4j.", "logging"));

  private ProfileSummary() {}

  public static void main(String[] args) throws IOException {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    Map<String, Integer> byLayer = new HashMap<>();
    Map<String, Integer> callers = new HashMap<>();
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      RecordedStackTrace st = e.getStackTrace();
      if (st == null || st.getFrames().isEmpty()) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = st.getFrames();
      self.merge(name(frames.getFirst()), 1, Integer::sum);
      int i = 0;
      String layer = null;
      for (; i < frames.size() && layer == null; i++) {
        layer = layerOf(className(frames.get(i)));
      }
      layer = layer == null ? "jdk (no caller)" : layer;
      byLayer.merge(layer, 1, Integer::sum);
      if (layer.equals("protobuf") || layer.equals("grpc") || layer.equals("netty")) {
        String caller = "none";
        for (; i < frames.size(); i++) {
          String l = layerOf(className(frames.get(i)));
          if (l != null && !l.equals("protobuf") && !l.equals("grpc") && !l.equals("netty")) {
            caller = l + " (" + frames.get(i).getMethod().getType().getName().replaceAll(".*\\.", "") + ")";
            break;
          }
        }
        callers.merge(layer + " <- " + caller, 1, Integer::sum);
      }
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (RecordedFrame f : frames) {
        String c = className(f);
        if (c.startsWith("dev.skiff.") && seen.add(name(f))) {
          inclusive.merge(name(f), 1, Integer::sum);
        }
      }
    }
    System.out.printf("%d CPU samples%n%n-- by layer (innermost non-JDK frame) --%n", samples);
    print(byLayer, samples, 30);
    System.out.printf("%n-- protobuf / gRPC / Netty samples by the layer that called in --%n");
    print(callers, samples, top);
    System.out.printf("%n-- hottest methods (self) --%n");
    print(self, samples, top);
    System.out.printf("%n-- hottest skiff frames (inclusive) --%n");
    print(inclusive, samples, top);
  }

  private static void print(Map<String, Integer> counts, int total, int top) {
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
        .forEach(en -> System.out.printf("%6d %5.1f%%  %s%n", en.getValue(), 100.0 * en.getValue() / total, en.getKey()));
  }

  private static String layerOf(String className) {
    for (Map.Entry<String, String> l : LAYERS) {
      if (className.startsWith(l.getKey())) {
        return l.getValue();
      }
    }
    return null;
  }

  private static String className(RecordedFrame f) {
    return f.getMethod() == null ? "" : f.getMethod().getType().getName();
  }

  private static String name(RecordedFrame f) {
    return f.getMethod() == null ? "?" : f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }
}
