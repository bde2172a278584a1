package dev.skiff.bench.podstartup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time spent so far (seconds) by: this JVM, containerd (with its reaped children: the CNI
 * plugins and what they run, such as iptables), every containerd shim (with its reaped children:
 * runc), and the whole machine (busy time of all cores, from /proc/stat). The difference of two
 * snapshots says where a batch's CPU went; the machine's total includes everything else running.
 */
record CpuSnapshot(double self, double containerd, double shims, double machineBusy, long wallNanos) {
  private static final double HZ = 100.0; // USER_HZ on Linux

  static CpuSnapshot take() {
    double containerd = 0;
    double shims = 0;
    double self = 0;
    long selfPid = ProcessHandle.current().pid();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(x -> x.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        String stat;
        try {
          stat = Files.readString(p.resolve("stat"));
        } catch (IOException e) {
          continue; // gone meanwhile
        }
        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields after comm: state(0) ... utime(11) stime(12) cutime(13) cstime(14)
        double own = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / HZ;
        double withChildren = own + (Long.parseLong(f[13]) + Long.parseLong(f[14])) / HZ;
        if (Long.parseLong(p.getFileName().toString()) == selfPid) {
          self = own;
        } else if (comm.equals("containerd")) {
          containerd += withChildren;
        } else if (comm.startsWith("containerd-shim")) {
          shims += withChildren;
        }
      }
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < cpu.length; i++) {
        if (i != 4 && i != 5) { // not idle, not iowait
          busy += Long.parseLong(cpu[i]);
        }
      }
      return new CpuSnapshot(self, containerd, shims, busy / HZ, System.nanoTime());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One line: CPU seconds of each part between {@code before} and this snapshot. */
  String since(CpuSnapshot before) {
    double wall = (wallNanos - before.wallNanos) / 1e9;
    int cores = Runtime.getRuntime().availableProcessors();
    return String.format("CPU over %.1f s wall (%d cores = %.1f CPU-s): this JVM %.2f s, containerd+CNI %.2f s,"
        + " shims+runc %.2f s, whole machine busy %.1f s%n", wall, cores, wall * cores, self - before.self,
        containerd - before.containerd, shims - before.shims, machineBusy - before.machineBusy);
  }
}
