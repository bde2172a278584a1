package dev.skiff.nodeagent.probe;

/** The outcome of a probe (or of a run of probes once thresholds are applied). */
public enum ProbeResult { SUCCESS, FAILURE, UNKNOWN }
