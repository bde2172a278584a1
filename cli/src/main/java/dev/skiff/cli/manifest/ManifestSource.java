package dev.skiff.cli.manifest;

/** The text of one manifest file (or of standard input, named "-"), before parsing. */
public record ManifestSource(String name, String text) {}
