package org.rootmirror.sync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import org.junit.jupiter.api.Test;

/** Failures to reach a source, in the operator's words (no lookup or connection is made here). */
class ConnectFailureTest {
  @Test
  void anUnknownHostIsNamedWithoutTheJavaClass() {
    assertEquals("unknown host ftp.internic.net",
        ConnectFailure.describe("ftp.internic.net", new UnknownHostException("ftp.internic.net: Name or service not known")));
    assertEquals("unknown host www.internic.net",
        ConnectFailure.describe("www.internic.net", new IOException(new UnresolvedAddressException())));
  }

  @Test
  void aRefusedConnectionSaysSoEvenWhenTheJdkGivesNoMessage() {
    // the JDK's HTTP client: a ConnectException without a message, wrapped
    assertEquals("cannot connect to www.internic.net (connection refused)",
        ConnectFailure.describe("www.internic.net", new IOException(null, new ConnectException())));
    assertEquals("cannot connect to 192.0.32.132:53 (connection refused)",
        ConnectFailure.describe("192.0.32.132:53", new ConnectException("Connection refused")));
  }

  @Test
  void otherReasonsAreLowerCaseWordsWithoutClassNames() {
    assertEquals("cannot connect to x.test (no route to host)",
        ConnectFailure.describe("x.test", new NoRouteToHostException("No route to host")));
    String odd = ConnectFailure.describe("x.test", new ConnectException("java.net.SocketException: Network is down"));
    assertEquals("cannot connect to x.test (network is down)", odd);
    assertFalse(odd.contains("Exception"), odd);
  }

  @Test
  void onlyFailuresToReachAHostCount() {
    assertTrue(ConnectFailure.is(new IOException(new ConnectException())));
    assertFalse(ConnectFailure.is(new IOException("HTTP/2 stream reset")));
  }
}
