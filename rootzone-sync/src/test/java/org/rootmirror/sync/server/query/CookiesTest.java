package org.rootmirror.sync.server.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rootmirror.sync.server.testing.HandlerClient.edns;
import static org.rootmirror.sync.server.testing.HandlerClient.query;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rootmirror.sync.server.Transport;
import org.rootmirror.sync.server.testing.HandlerClient;
import org.rootmirror.sync.server.testing.RecordingSink;
import org.rootmirror.sync.store.PublishedZone;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 7873 and RFC 9018: cookies are answered, never required. */
class CookiesTest {
  private final PublishedZone published = SmallZone.published();
  private final HandlerClient client = SmallZone.client(published, SmallZone.OPTIONS);

  private final byte[] clientCookie = {1, 2, 3, 4, 5, 6, 7, 8};

  @Test
  void theClientCookieIsEchoedWithAServerCookie() {
    Message response = client.ask(edns(query("www.com.", Type.A), 1232, false, new CookieOption(clientCookie)));
    CookieOption cookie = SmallZone.cookie(response);
    assertArrayEquals(clientCookie, cookie.getClientCookie());
    byte[] server = cookie.getServerCookie().orElseThrow();
    assertEquals(16, server.length);
    assertEquals(1, server[0], "version 1 (RFC 9018 section 4.2)");
    assertEquals(SmallZone.NOW.getEpochSecond(), ByteBuffer.wrap(server, 4, 4).getInt() & 0xFFFFFFFFL);
    assertEquals(Rcode.NOERROR, response.getRcode());
  }

  @Test
  void theServerCookieDependsOnTheClientCookieTheAddressAndTheSecret() throws IOException {
    ServerOptions options = SmallZone.OPTIONS;
    byte[] first = serverCookie(options, clientCookie, HandlerClient.CLIENT);
    assertArrayEquals(first, serverCookie(options, clientCookie, HandlerClient.CLIENT), "same inputs, same cookie");
    byte[] otherClientCookie = {8, 7, 6, 5, 4, 3, 2, 1};
    assertFalse(Arrays.equals(first, serverCookie(options, otherClientCookie, HandlerClient.CLIENT)));
    InetSocketAddress other = new InetSocketAddress(InetAddress.getByName("::1"), 53535);
    assertFalse(Arrays.equals(first, serverCookie(options, clientCookie, other)));
    ServerOptions otherSecret = options.withCookieSecret("fedcba9876543210".getBytes());
    assertFalse(Arrays.equals(first, serverCookie(otherSecret, clientCookie, HandlerClient.CLIENT)));
  }

  @Test
  void aReturnedServerCookieIsAnsweredWithAFreshOne() {
    byte[] stale = new byte[16];
    Message response = client.ask(edns(query("www.com.", Type.A), 1232, false, new CookieOption(clientCookie, stale)));
    assertEquals(Rcode.NOERROR, response.getRcode(), "never BADCOOKIE for a cookie we did not make");
    assertEquals(1, SmallZone.cookie(response).getServerCookie().orElseThrow()[0]);
  }

  @Test
  void aMalformedCookieIsFormerr() {
    for (int length : new int[] {0, 5, 9, 15, 41}) {
      byte[] wire = edns(query("www.com.", Type.A), 1232, false, new CookieOption(clientCookie)).toWire();
      // rewrite the option's length and cut or pad its data: OPT RDATA is the option alone
      byte[] head = Arrays.copyOf(wire, wire.length - 12);
      byte[] option = new byte[4 + length];
      option[1] = 10;
      option[3] = (byte) length;
      byte[] bad = SmallZone.concat(head, option);
      bad[wire.length - 14] = 0;
      bad[wire.length - 13] = (byte) (4 + length);
      Message response = SmallZone.parse(client.send(bad, Transport.UDP).get(0));
      assertEquals(Rcode.FORMERR, response.getRcode(), "cookie of " + length + " bytes (RFC 7873 section 5.2.2)");
    }
  }

  @Test
  void aQueryWithOnlyACookieGetsAServerCookie() {
    Message m = new Message();
    m.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new CookieOption(clientCookie))), Section.ADDITIONAL);
    Message response = client.ask(m);
    assertEquals(Rcode.NOERROR, response.getRcode(), "RFC 7873 section 5.4");
    assertTrue(SmallZone.cookie(response).getServerCookie().isPresent());
  }

  @Test
  void queriesWithoutCookiesAreAnsweredAsUsual() {
    Message response = client.ask(edns(query("www.com.", Type.A), 1232, false));
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertTrue(response.getOPT().getOptions(EDNSOption.Code.COOKIE).isEmpty());
  }

  private byte[] serverCookie(ServerOptions options, byte[] cc, InetSocketAddress from) throws IOException {
    RecordingSink sink = new RecordingSink();
    byte[] wire = edns(query("www.com.", Type.A), 1232, false, new CookieOption(cc)).toWire();
    new RootQueryHandler(published, options, null).handle(ByteBuffer.wrap(wire), Transport.UDP, from, sink);
    return SmallZone.cookie(SmallZone.parse(sink.messages().get(0))).getServerCookie().orElseThrow();
  }

}
