package org.rootmirror.sync.server.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rootmirror.sync.server.ResponseSink;

/** A sink that keeps a copy of every message sent to it, in order. */
public final class RecordingSink implements ResponseSink {
  private final List<byte[]> messages = new ArrayList<>();

  @Override
  public void send(ByteBuffer message) {
    byte[] copy = new byte[message.remaining()];
    message.get(copy);
    messages.add(copy);
  }

  public List<byte[]> messages() {
    return messages;
  }
}
