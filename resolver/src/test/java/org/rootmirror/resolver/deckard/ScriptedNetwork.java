package org.rootmirror.resolver.deckard;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rootmirror.resolver.iterate.Upstream;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The scenario's fake Internet behind the resolver's {@link Upstream}: every query is answered
 * from the RANGEs as Deckard's Scenario.reply does. An address no range names counts as any
 * address; the first range eligible for the current step and the address answers, with its first
 * matching entry, or SERVFAIL when none matches; with no eligible range, a one-shot REPLY step
 * answers, else SERVFAIL. An answer the resolver's socket would not take (no answer, unparsable,
 * wrong ID or question) is a timeout, as the real socket's wait would end in one; a truncated
 * answer is asked again "over TCP" of the same script.
 */
final class ScriptedNetwork implements Upstream {
  private final Scenario scenario;
  private final Set<InetAddress> known = new HashSet<>();
  private final List<Scenario.Step> oneShot = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private volatile int step;

  ScriptedNetwork(Scenario scenario) {
    this.scenario = scenario;
    scenario.ranges().forEach(r -> known.addAll(r.addresses()));
    scenario.steps().stream().filter(s -> s.type().equals("REPLY") && s.entry() != null).forEach(oneShot::add);
  }

  void step(int id) {
    step = id;
  }

  /** What the resolver asked so far, one line per query, for failure messages. */
  synchronized List<String> log() {
    return List.copyOf(log);
  }

  @Override
  public Message exchange(InetSocketAddress server, Message query, Duration timeout) throws IOException {
    Message asked = new Message(query.toWire()); // as a server would read it
    Message response = answer(server.getAddress(), asked, "udp");
    if (response.getHeader().getFlag(Flags.TC)) {
      response = answer(server.getAddress(), asked, "tcp");
    }
    return response;
  }

  private Message answer(InetAddress address, Message query, String transport) throws IOException {
    byte[] wire = reply(known.contains(address) ? address : null, query);
    Record q = query.getQuestion();
    String line = "step " + step + " " + transport + " " + address.getHostAddress() + " " + (q == null ? "?" : q.getName() + " " + Type.string(q.getType()));
    Message response = wire == null ? null : parse(wire);
    synchronized (this) {
      if (log.size() < 2_000) {
        log.add(line + " -> " + (response == null ? "no answer" : Rcode.string(response.getRcode()) + (response.getHeader().getFlag(Flags.AA) ? " aa" : "")));
      }
    }
    if (response == null || !matches(query, response)) {
      throw new SocketTimeoutException("no answer from " + address.getHostAddress());
    }
    return response;
  }

  private synchronized byte[] reply(InetAddress address, Message query) {
    int now = step;
    for (Scenario.Range range : scenario.ranges()) {
      if (range.eligible(now, address)) {
        for (Entry entry : range.entries()) {
          if (entry.mismatch(query) == null) {
            return entry.reply(query);
          }
        }
        return servfail(query);
      }
    }
    for (Scenario.Step s : oneShot) {
      if (s.id() >= now && s.entry().mismatch(query) == null) {
        oneShot.remove(s);
        return s.entry().reply(query);
      }
    }
    return servfail(query);
  }

  /** dns.message.make_response with SERVFAIL: the query's ID, question, RD and EDNS. */
  private static byte[] servfail(Message query) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    if (query.getHeader().getFlag(Flags.RD)) {
      m.getHeader().setFlag(Flags.RD);
    }
    m.getHeader().setRcode(Rcode.SERVFAIL);
    if (query.getQuestion() != null) {
      m.addRecord(query.getQuestion(), Section.QUESTION);
    }
    if (query.getOPT() != null) {
      m.addRecord(query.getOPT(), Section.ADDITIONAL);
    }
    return m.toWire();
  }

  private static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (IOException e) {
      return null;
    }
  }

  /** The socket's rule (RFC 5452 section 9.1): a response, the same ID, the same question. */
  private static boolean matches(Message query, Message response) {
    Record asked = query.getQuestion();
    Record echoed = response.getQuestion();
    return response.getHeader().getFlag(Flags.QR) && response.getHeader().getID() == query.getHeader().getID()
        && echoed != null && asked.getName().equals(echoed.getName()) && asked.getType() == echoed.getType()
        && asked.getDClass() == echoed.getDClass();
  }
}
