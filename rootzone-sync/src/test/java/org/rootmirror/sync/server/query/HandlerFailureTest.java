package org.rootmirror.sync.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.server.testing.HandlerClient.query;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.QueryHandler;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.server.testing.RecordingSink;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** No exception escapes the pipeline for any packet: a step that fails gets the client a SERVFAIL (RFC 1035 section 4.1.1). */
class HandlerFailureTest {
  private static final QueryPipeline.Answerer BROKEN = (q, limit, client, transport) -> {
    throw new IllegalStateException("a bug in the answer tables");
  };

  private static List<byte[]> handle(QueryPipeline pipeline, byte[] query, Transport transport) throws IOException {
    RecordingSink sink = new RecordingSink();
    pipeline.handle(ByteBuffer.wrap(query), transport, HandlerClient.CLIENT, sink);
    return sink.messages();
  }

  @Test
  void anAnswerThatFailsIsServfailWithTheQuestionAndIsCounted() throws IOException {
    QueryPipeline pipeline = new QueryPipeline(SmallZone.OPTIONS, null, BROKEN);
    for (Transport transport : Transport.values()) {
      Message query = HandlerClient.edns(query("Example.COM.", Type.A), 1232, true);
      List<byte[]> replies = handle(pipeline, query.toWire(), transport);
      assertEquals(1, replies.size(), transport.toString());
      Message reply = new Message(replies.get(0));
      assertEquals(Rcode.SERVFAIL, reply.getRcode());
      assertEquals(query.getHeader().getID(), reply.getHeader().getID());
      assertEquals(query.getQuestion(), reply.getQuestion(), "the question as asked");
      assertTrue(reply.getHeader().getFlag(Flags.QR));
      assertTrue(reply.getOPT() != null, "an EDNS query gets an OPT record");
    }
    assertEquals(2, pipeline.writer().counters().failures());
    assertEquals(2, pipeline.writer().counters().responses(Rcode.SERVFAIL));
  }

  @Test
  void aTransferHandlerThatFailsOnANotifyIsServfailToo() throws IOException {
    QueryHandler transfers = (query, transport, client, out) -> {
      throw new NullPointerException("no zone");
    };
    QueryPipeline pipeline = new QueryPipeline(SmallZone.OPTIONS, transfers, BROKEN);
    Message notify = query(".", Type.SOA);
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    Message reply = new Message(handle(pipeline, notify.toWire(), Transport.UDP).get(0));
    assertEquals(Rcode.SERVFAIL, reply.getRcode());
    assertEquals(Opcode.NOTIFY, reply.getHeader().getOpcode());
  }

  @Test
  void responsesStillGetNothingEvenWhenAnsweringWouldFail() throws IOException {
    QueryPipeline pipeline = new QueryPipeline(SmallZone.OPTIONS, null, BROKEN);
    Message response = query(".", Type.SOA);
    response.getHeader().setFlag(Flags.QR);
    assertTrue(handle(pipeline, response.toWire(), Transport.UDP).isEmpty(), "RFC 1035 section 4.1.1: no reply to a reply");
    assertEquals(0, pipeline.writer().counters().failures());
  }
}
