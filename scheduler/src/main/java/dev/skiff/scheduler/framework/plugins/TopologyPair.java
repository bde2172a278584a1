package dev.skiff.scheduler.framework.plugins;

/** A topology domain: a node label key and one of its values ("zone", "z1"). */
record TopologyPair(String key, String value) {}
