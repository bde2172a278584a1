package dev.skiff.cli.output;

import java.util.Locale;

/** kubectl's {@code -o name} spelling: {@code pod/web-1}, {@code deployment.apps/web}. */
public final class ObjectNames {
  private ObjectNames() {}

  public static String qualified(String kind, String apiVersion, String name) {
    return resource(kind, apiVersion) + "/" + name;
  }

  /** {@code deployment.apps} for apps/v1 Deployment, {@code pod} for v1 Pod. */
  public static String resource(String kind, String apiVersion) {
    String lower = kind.toLowerCase(Locale.ROOT);
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? lower : lower + "." + apiVersion.substring(0, slash);
  }
}
