package org.rootmirror.resolver.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rootmirror.dnssec.zone.Lookup;
import org.rootmirror.dnssec.zone.Zone;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.dnssec.zone.ZoneLookup;
import org.rootmirror.resolver.iterate.Upstream;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Authoritative servers without sockets, for the iterator's unit tests: each address serves some
 * zones through {@link ZoneLookup}, or times out, or refuses, and every query is logged. The
 * mini-internet does the same over real sockets.
 */
public final class FakeAuthorities implements Upstream {
  /** One query as a server saw it. */
  public record Seen(InetAddress server, Name name, int type) {
    @Override
    public String toString() {
      return server.getHostAddress() + " " + name + " " + Type.string(type);
    }
  }

  private final Map<InetAddress, List<ZoneLookup>> served = new HashMap<>();
  private final Set<InetAddress> silent = new HashSet<>();
  private final Set<InetAddress> refusing = new HashSet<>();
  private final Map<InetAddress, java.util.function.Predicate<Name>> refusingNames = new HashMap<>();
  private final Map<InetAddress, java.util.function.Predicate<Name>> denyingNames = new HashMap<>();
  private final List<Seen> log = Collections.synchronizedList(new ArrayList<>());

  /** Parses a zone from master-file text. */
  public static Zone zone(String origin, String text) {
    try {
      return ZoneFile.parse(text.getBytes(StandardCharsets.UTF_8), origin, Name.fromConstantString(origin));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public FakeAuthorities serve(String address, Zone... zones) {
    List<ZoneLookup> lookups = served.computeIfAbsent(address(address), a -> new ArrayList<>());
    for (Zone z : zones) {
      lookups.add(new ZoneLookup(z));
    }
    return this;
  }

  /** The server never answers: every query times out. */
  public FakeAuthorities silent(String address) {
    silent.add(address(address));
    return this;
  }

  /** The server answers REFUSED to everything. */
  public FakeAuthorities refusing(String address) {
    refusing.add(address(address));
    return this;
  }

  /** The server answers REFUSED to questions about the names {@code which} picks (a broken server). */
  public FakeAuthorities refusing(String address, java.util.function.Predicate<Name> which) {
    refusingNames.put(address(address), which);
    return this;
  }

  /** The server answers NXDOMAIN, unsigned, to questions about the names {@code which} picks (a broken server). */
  public FakeAuthorities denying(String address, java.util.function.Predicate<Name> which) {
    denyingNames.put(address(address), which);
    return this;
  }

  public List<Seen> log() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  public List<Seen> logOf(String address) {
    InetAddress a = address(address);
    return log().stream().filter(s -> s.server().equals(a)).toList();
  }

  public void clearLog() {
    log.clear();
  }

  @Override
  public Message exchange(InetSocketAddress server, Message query, Duration timeout) throws IOException {
    Record question = query.getQuestion();
    log.add(new Seen(server.getAddress(), question.getName(), question.getType()));
    if (silent.contains(server.getAddress())) {
      throw new SocketTimeoutException("silent " + server);
    }
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.addRecord(question, Section.QUESTION);
    if (refusing.contains(server.getAddress())
        || refusingNames.getOrDefault(server.getAddress(), n -> false).test(question.getName())) {
      response.getHeader().setRcode(Rcode.REFUSED);
      return response;
    }
    if (denyingNames.getOrDefault(server.getAddress(), n -> false).test(question.getName())) {
      response.getHeader().setFlag(Flags.AA);
      response.getHeader().setRcode(Rcode.NXDOMAIN);
      return new Message(response.toWire());
    }
    List<ZoneLookup> zones = served.get(server.getAddress());
    if (zones == null) {
      throw new ConnectException("nothing listens at " + server);
    }
    ZoneLookup zone = pick(zones, question.getName(), question.getType());
    if (zone == null) {
      response.getHeader().setRcode(Rcode.REFUSED);
      return response;
    }
    Lookup answer = zone.lookup(question.getName(), question.getType(), true);
    response.getHeader().setRcode(answer.rcode());
    if (answer.authoritative()) {
      response.getHeader().setFlag(Flags.AA);
    }
    add(response, answer.answer(), Section.ANSWER);
    add(response, answer.authority(), Section.AUTHORITY);
    add(response, answer.additional(), Section.ADDITIONAL);
    // through the wire and back, as a real exchange would
    return new Message(response.toWire());
  }

  /** The most specific zone for the name; for DS at a zone's apex, its parent when served here. */
  private static ZoneLookup pick(List<ZoneLookup> zones, Name name, int type) {
    ZoneLookup best = null;
    for (ZoneLookup z : zones) {
      Name origin = z.zone().origin();
      boolean apexDs = type == Type.DS && name.equals(origin) && !origin.equals(Name.root);
      if (name.subdomain(origin) && !apexDs && (best == null || origin.labels() > best.zone().origin().labels())) {
        best = z;
      }
    }
    if (best == null && type == Type.DS) {
      for (ZoneLookup z : zones) {
        if (name.subdomain(z.zone().origin())) {
          best = z;
        }
      }
    }
    return best;
  }

  private static void add(Message m, List<RRset> sets, int section) {
    for (RRset set : sets) {
      set.rrs(false).forEach(r -> m.addRecord(r, section));
      set.sigs().forEach(r -> m.addRecord(r, section));
    }
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
