package org.rootmirror.sync.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.Transport;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Calls a {@link QueryHandler} directly, as a client on loopback would: dnsjava messages in,
 * responses out, each checked to be one message that dnsjava parses and that carries the
 * query's ID.
 */
public final class HandlerClient {
  public static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 53535);

  private final QueryHandler handler;

  public HandlerClient(QueryHandler handler) {
    this.handler = handler;
  }

  /** A query for {@code name} (any case kept), {@code type} in class IN, RD set as dnsjava does. */
  public static Message query(String name, int type) {
    return query(name, type, DClass.IN);
  }

  public static Message query(String name, int type, int dclass) {
    return Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, dclass));
  }

  /** {@code query} with an OPT record: {@code payload} bytes, version 0, DO when {@code dnssecOk}. */
  public static Message edns(Message query, int payload, boolean dnssecOk, EDNSOption... options) {
    query.addRecord(new OPTRecord(payload, 0, 0, dnssecOk ? ExtendedFlags.DO : 0, options), Section.ADDITIONAL);
    return query;
  }

  /** Sends {@code query} over UDP and returns the one response. */
  public Message ask(Message query) {
    return ask(query, Transport.UDP);
  }

  public Message ask(Message query, Transport transport) {
    List<byte[]> responses = send(query.toWire(), transport);
    if (responses.size() != 1) {
      fail("expected one response to " + query.getQuestion() + ", got " + responses.size());
    }
    byte[] wire = responses.get(0);
    try {
      Message response = new Message(wire);
      assertEquals(query.getHeader().getID(), response.getHeader().getID(), "the response carries the query's ID");
      if (transport == Transport.UDP) {
        int limit = query.getOPT() == null ? 512 : Math.max(512, query.getOPT().getPayloadSize());
        if (wire.length > limit) {
          fail("a " + wire.length + "-byte UDP response to a query allowing " + limit);
        }
      }
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException("dnsjava cannot parse the response to " + query.getQuestion(), e);
    }
  }

  /** Sends raw bytes and returns every response, unparsed. */
  public List<byte[]> send(byte[] query, Transport transport) {
    RecordingSink sink = new RecordingSink();
    try {
      handler.handle(ByteBuffer.wrap(query), transport, CLIENT, sink);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sink.messages();
  }
}
