package org.rootmirror.cli.config;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * One {@code [resolver] forward-zone} line: questions at or below {@code zone} go to {@code
 * servers} (with RD) instead of being iterated; the answers are still validated.
 *
 * @param zone absolute; the root for every question
 * @param servers in the order given; never empty
 */
public record ForwardZoneSetting(Name zone, List<InetSocketAddress> servers) {
  public ForwardZoneSetting {
    Objects.requireNonNull(zone, "zone");
    servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("a forward zone needs a server");
    }
  }
}
