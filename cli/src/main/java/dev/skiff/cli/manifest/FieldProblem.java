package dev.skiff.cli.manifest;

/** One bad field of a manifest: its path ({@code spec.template.spec.containers[0].image}), line, why. */
public record FieldProblem(String path, int line, String message) {
  /** "spec.replicas: expected an integer, got "three" (line 7)". */
  public String describe() {
    return (path.isEmpty() ? "<root>" : path) + ": " + message + (line > 0 ? " (line " + line + ")" : "");
  }
}
