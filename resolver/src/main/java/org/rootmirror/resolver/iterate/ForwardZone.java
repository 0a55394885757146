package org.rootmirror.resolver.iterate;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * Names at or below {@code zone} are asked of {@code servers}, recursive resolvers, with RD=1 and
 * the whole question, instead of being iterated (Unbound's forward-zone). The most specific zone
 * wins; "." forwards everything. The answers still go through the validator.
 *
 * @param servers the forwarders, with their ports; configured addresses, so loopback ones are
 *     allowed whatever do-not-query-localhost says
 */
public record ForwardZone(Name zone, List<InetSocketAddress> servers) {
  public ForwardZone {
    Objects.requireNonNull(zone, "zone");
    if (!zone.isAbsolute()) {
      throw new IllegalArgumentException("forward zone not absolute: " + zone);
    }
    servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("forward zone " + zone + " has no server");
    }
  }
}
