package dev.skiff.nodeagent.probe;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.ContainerPort;
import dev.skiff.api.v1.Probe;
import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.CriException;
import dev.skiff.cri.v1.ExecSyncResponse;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one probe once: exec through the CRI's ExecSync (exit 0 = success), httpGet to the pod IP
 * (2xx/3xx = success), tcpSocket (a connection = success). Every probe is bounded by its timeout.
 * Stateless and thread-safe.
 */
public final class Prober {
  private static final Logger log = LoggerFactory.getLogger(Prober.class);

  private final ContainerRuntime runtime;

  public Prober(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  public ProbeResult run(Probe probe, Container container, String containerId, String podIp) {
    Duration timeout = Duration.ofSeconds(Math.max(1, probe.hasTimeoutSeconds() ? probe.getTimeoutSeconds() : 1));
    try {
      if (probe.hasExec()) {
        ExecSyncResponse r = runtime.execSync(containerId, probe.getExec().getCommandList(), timeout);
        return r.getExitCode() == 0 ? ProbeResult.SUCCESS : ProbeResult.FAILURE;
      }
      if (probe.hasHttpGet()) {
        var h = probe.getHttpGet();
        String host = h.getHost().isEmpty() ? podIp : h.getHost();
        int port = port(h.getPort(), container);
        String scheme = h.getScheme().isEmpty() ? "http" : h.getScheme().toLowerCase();
        String path = h.getPath().isEmpty() ? "/" : (h.getPath().startsWith("/") ? h.getPath() : "/" + h.getPath());
        HttpURLConnection conn = (HttpURLConnection) URI.create(scheme + "://" + host + ":" + port + path)
            .toURL().openConnection(java.net.Proxy.NO_PROXY);
        conn.setConnectTimeout((int) timeout.toMillis());
        conn.setReadTimeout((int) timeout.toMillis());
        conn.setInstanceFollowRedirects(false);
        conn.setRequestProperty("User-Agent", "skiff-probe/0.1");
        h.getHttpHeadersList().forEach(x -> conn.setRequestProperty(x.getName(), x.getValue()));
        try {
          int code = conn.getResponseCode();
          return code >= 200 && code < 400 ? ProbeResult.SUCCESS : ProbeResult.FAILURE;
        } finally {
          conn.disconnect();
        }
      }
      if (probe.hasTcpSocket()) {
        var t = probe.getTcpSocket();
        String host = t.getHost().isEmpty() ? podIp : t.getHost();
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(host, port(t.getPort(), container)), (int) timeout.toMillis());
          return ProbeResult.SUCCESS;
        }
      }
      log.warn("probe of container {} has no handler (exec, httpGet, tcpSocket): counted as a failure",
          container.getName());
      return ProbeResult.FAILURE;
    } catch (CriException e) {
      return ProbeResult.FAILURE;
    } catch (IOException | IllegalArgumentException e) {
      return ProbeResult.FAILURE;
    }
  }

  /** A port number, or the name of one of the container's ports. */
  static int port(String port, Container container) {
    if (port.chars().allMatch(Character::isDigit) && !port.isEmpty()) {
      return Integer.parseInt(port);
    }
    for (ContainerPort p : container.getPortsList()) {
      if (p.getName().equals(port)) {
        return p.getContainerPort();
      }
    }
    throw new IllegalArgumentException("no port named \"" + port + "\" in container " + container.getName());
  }
}
