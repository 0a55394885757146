package org.rootmirror.sync.server.xfr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rootmirror.sync.server.ResponseSink;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** A sink that keeps every message a handler sends, as bytes and decoded by dnsjava. */
final class CollectingSink implements ResponseSink {
  private final List<byte[]> wires = new ArrayList<>();

  @Override
  public void send(ByteBuffer message) {
    byte[] bytes = new byte[message.remaining()];
    message.get(bytes);
    wires.add(bytes);
  }

  List<byte[]> wires() {
    return wires;
  }

  List<Message> messages() {
    List<Message> out = new ArrayList<>(wires.size());
    for (byte[] w : wires) {
      try {
        out.add(new Message(w));
      } catch (IOException e) {
        throw new UncheckedIOException("a message the handler sent does not decode", e);
      }
    }
    return out;
  }

  /** The only message sent; fails when there were more or none. */
  Message single() {
    List<Message> all = messages();
    if (all.size() != 1) {
      throw new AssertionError("expected one message, got " + all.size());
    }
    return all.get(0);
  }

  /** The answer records of every message, in order. */
  List<Record> answers() {
    List<Record> out = new ArrayList<>();
    messages().forEach(m -> out.addAll(m.getSection(Section.ANSWER)));
    return out;
  }
}
