package org.rootmirror.sync.testing;

import java.nio.file.Path;

/** nsd.conf for a test NSD serving one zone file on 127.0.0.1, run as whoever runs the test. */
public final class NsdConfig {
  private NsdConfig() {}

  /**
   * No privileges to drop, no chroot, every file in {@code dir}; {@code database: ""} means "no
   * database" before NSD 4.8, which ignores it; rrl-ratelimit 0 turns Debian's response rate
   * limiting off; AXFR allowed to loopback. The defaults kept matter to the differential test:
   * ipv4-edns-size 1232, minimal-responses no, refuse-any no.
   */
  public static String serving(Path dir, Path zoneFile, int port) {
    return """
        server:
            ip-address: 127.0.0.1
            port: %2$d
            do-ip6: no
            server-count: 1
            username: ""
            chroot: ""
            database: ""
            zonesdir: "%1$s"
            zonelistfile: "%1$s/zone.list"
            xfrdfile: "%1$s/xfrd.state"
            xfrdir: "%1$s"
            pidfile: "%1$s/nsd.pid"
            logfile: "%1$s/nsd.log"
            verbosity: 1
            rrl-ratelimit: 0
            rrl-whitelist-ratelimit: 0
        remote-control:
            control-enable: no
        zone:
            name: "."
            zonefile: "%3$s"
            provide-xfr: 127.0.0.1 NOKEY
        """.formatted(dir.toAbsolutePath(), port, zoneFile);
  }
}
