package org.rootmirror.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.resolver.iterate.IteratorTestNet.ask;
import static org.rootmirror.resolver.iterate.IteratorTestNet.data;
import static org.rootmirror.resolver.iterate.ScriptedNet.reply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.Resolution;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The memory of a resolution in flight is bounded by the bytes of replies it may receive: all the
 * lookups of one client question together, whatever the authorities send.
 */
class ReceivedBytesTest {
  /** About 2.7 KB on the wire: the answer, and ten TXT records of padding. */
  private static final Upstream PADDED = (server, query, timeout) -> {
    String name = query.getQuestion().getName().toString();
    List<String> padding = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      padding.add("pad.test. 3600 IN TXT \"" + "x".repeat(250) + "\"");
    }
    Message m = reply(query, Rcode.NOERROR, new int[] {Flags.AA}, List.of(name + " 3600 IN A 192.0.2.100"), List.of(), padding);
    return new Message(m.toWire()); // as from the network: its size is known
  };

  private final IteratorTestNet t = new IteratorTestNet();

  private IterativeResolver resolver(long receivedBytes) {
    t.net.script("192.0.2.11", PADDED).script("192.0.2.12", PADDED);
    return t.resolver(c -> c.withLimits(IterativeResolver.Limits.defaults().withReceivedBytes(receivedBytes)));
  }

  @Test
  void aResolutionGivesUpOnceItsRepliesExceedTheLimit() {
    Resolution within = ask(resolver(IterativeResolver.Limits.RECEIVED_BYTES), "www.test.", Type.A);
    assertEquals("www.test. A 192.0.2.100", data(within));

    Resolution beyond = ask(resolver(2_000), "www.test.", Type.A);
    assertEquals(Rcode.SERVFAIL, beyond.rcode());
    assertEquals(ExtendedErrorCodeOption.OTHER, beyond.error().getErrorCode());
    assertTrue(beyond.error().getText().startsWith("gave up after receiving "), beyond.error().getText());
  }

  @Test
  void theLookupsOfOneQuestionShareOneCount() {
    IterativeResolver r = resolver(4_000);
    assertEquals(Rcode.NOERROR, ask(r, "a.test.", Type.A).rcode(), "alone, each fits");
    assertEquals(Rcode.NOERROR, ask(r, "b.test.", Type.A).rcode());

    Resolution second = ResolutionDeadline.within(t.time.instant().plus(Duration.ofSeconds(4)), () -> {
      ask(r, "c.test.", Type.A);
      return ask(r, "d.test.", Type.A);
    });
    assertEquals(Rcode.SERVFAIL, second.rcode(), "the second lookup of one question goes past 4,000 bytes: " + data(second));
  }
}
