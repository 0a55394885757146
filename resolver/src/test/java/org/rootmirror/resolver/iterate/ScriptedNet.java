package org.rootmirror.resolver.iterate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rootmirror.resolver.testing.FakeAuthorities;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@link FakeAuthorities} with some addresses scripted: a handler answers instead of (or rewrites
 * the answer of) the zones served there, to play broken servers. Every query is kept, flags too.
 */
final class ScriptedNet implements Upstream {
  final FakeAuthorities zones;
  private final Map<InetAddress, Upstream> handlers = new HashMap<>();
  private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());

  /** One query as sent: where, and the message itself. */
  record Sent(InetSocketAddress server, Message query) {
    String question() {
      return query.getQuestion().getName() + " " + Type.string(query.getQuestion().getType());
    }
  }

  ScriptedNet(FakeAuthorities zones) {
    this.zones = zones;
  }

  /** {@code handler} answers for {@code address}; it may call {@link #zones} for the served answer. */
  ScriptedNet script(String address, Upstream handler) {
    handlers.put(address(address), handler);
    return this;
  }

  List<Sent> sent() {
    synchronized (sent) {
      return List.copyOf(sent);
    }
  }

  List<Sent> sentTo(String address) {
    InetAddress a = address(address);
    return sent().stream().filter(s -> s.server().getAddress().equals(a)).toList();
  }

  @Override
  public Message exchange(InetSocketAddress server, Message query, Duration timeout) throws IOException {
    sent.add(new Sent(server, query));
    Upstream handler = handlers.get(server.getAddress());
    return handler != null ? handler.exchange(server, query, timeout) : zones.exchange(server, query, timeout);
  }

  /** A response to {@code query} with the given RCODE and flags, and records in master-file form per section. */
  static Message reply(Message query, int rcode, int[] flags, List<String> answer, List<String> authority, List<String> additional) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    for (int flag : flags) {
      m.getHeader().setFlag(flag);
    }
    m.getHeader().setRcode(rcode);
    m.addRecord(query.getQuestion(), Section.QUESTION);
    answer.forEach(r -> m.addRecord(rr(r), Section.ANSWER));
    authority.forEach(r -> m.addRecord(rr(r), Section.AUTHORITY));
    additional.forEach(r -> m.addRecord(rr(r), Section.ADDITIONAL));
    return m;
  }

  /** One record from "owner ttl class type rdata". */
  static Record rr(String text) {
    String[] f = text.trim().split("\\s+", 5);
    try {
      return Record.fromString(Name.fromString(f[0]), Type.value(f[3]), DClass.value(f[2]), Long.parseLong(f[1]), f[4], Name.root);
    } catch (IOException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
