package org.rootmirror.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rootmirror.cli.config.ConfigFile;
import org.rootmirror.cli.config.Settings;
import org.rootmirror.dnssec.anchor.TrustAnchor;
import org.rootmirror.dnssec.anchor.TrustAnchors;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/** Where the resolver listens when the host has no IPv6 loopback; the resolver's trust anchors. */
class ResolverOptionsTest {
  private static final InetSocketAddress V4 = new InetSocketAddress("127.0.0.1", 53);
  private static final InetSocketAddress V6 = new InetSocketAddress("::1", 53);

  @Test
  void theDefaultLeavesIpv6OutOnAHostWithoutIt() {
    assertEquals(List.of(V4), ResolverOptions.listenable(List.of(V4, V6), true, false));
    assertEquals(List.of(V4, V6), ResolverOptions.listenable(List.of(V4, V6), true, true));
  }

  @Test
  void anAddressTheOperatorAskedForIsKeptEvenWithoutIpv6() {
    // it must then bind or fail the start, naming the address
    assertEquals(List.of(V4, V6), ResolverOptions.listenable(List.of(V4, V6), false, false));
  }

  private static final String DS = "example.com. IN DS 12345 8 2 49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5";

  private static Settings settings(String text) throws Exception {
    return Settings.resolve(ConfigFile.parse("test.conf", text), Map.of());
  }

  @Test
  void theServerSectionsTcpLimitsApplyToTheMirrorAndTheResolverAlike() throws Exception {
    Settings s = settings("[server]\ntcp-clients = 50\ntcp-clients-per-address = 3\ntcp-idle-timeout = 20\ntcp-message-timeout = 2\n");
    ServerNetOptions mirror = ServeOptions.mirror(s, ServerNetOptions.defaults()).net();
    ServerNetOptions resolver = ResolverOptions.service(s, MemoryBudget.of(s)).net();
    for (ServerNetOptions net : List.of(mirror, resolver)) {
      assertEquals(50, net.tcpMaxClients());
      assertEquals(3, net.tcpMaxClientsPerAddress());
      assertEquals(Duration.ofSeconds(20), net.tcpIdleTimeout());
      assertEquals(Duration.ofSeconds(2), net.tcpMessageTimeout());
    }
  }

  @Test
  void theResolutionsInFlightAreTheMemoryBudgets() throws Exception {
    Settings s = settings("[server]\nmax-memory = 1g\n");
    MemoryBudget budget = MemoryBudget.of(Settings.heapFor(s.maxMemory()), s.maxMemory(), s.cacheSize());
    assertEquals(2048, ResolverOptions.service(s, budget).maxInFlight());
  }

  @Test
  void theResolversAnchorsAreTheRootsPlusTheTrustAnchorLines() throws Exception {
    assertEquals(TrustAnchors.builtIn().all(), ResolverOptions.resolverAnchors(Settings.defaults()).all());
    List<TrustAnchor> both = ResolverOptions.resolverAnchors(settings("[resolver]\ntrust-anchor = " + DS + "\n")).all();
    assertEquals(TrustAnchors.builtIn().all().size() + 1, both.size());
    assertEquals(TrustAnchors.builtIn().all(), both.subList(0, both.size() - 1));
    assertEquals(Name.fromConstantString("example.com."), both.get(both.size() - 1).record().getName());
  }

  @Test
  void theRootAnchorsTheSyncTracksReplaceTheConfiguredOnesForTheResolver() throws Exception {
    TrustAnchors tracked = TrustAnchors.parseZoneFormat(". IN DS 12345 8 2 " + "AB".repeat(32), "tracked");
    List<TrustAnchor> anchors = ResolverOptions.validation(settings("[resolver]\ntrust-anchor = " + DS + "\n"), tracked)
        .anchors().all();
    assertEquals(List.of(12345, TrustAnchors.parseZoneFormat(DS, "line").all().get(0).keyTag()),
        anchors.stream().map(TrustAnchor::keyTag).toList(), "the tracked root anchor, then the trust-anchor line; no built-in one");
  }

  @Test
  void withoutRootAnchorsOnlyTheLinesAreAnchors() throws Exception {
    List<TrustAnchor> lines = ResolverOptions.resolverAnchors(settings("[sync]\nanchors = none\n[resolver]\ntrust-anchor = " + DS + "\n")).all();
    assertEquals(1, lines.size());
    assertEquals(Name.fromConstantString("example.com."), lines.get(0).record().getName());
    assertEquals(List.of(), ResolverOptions.resolverAnchors(settings("[sync]\nanchors = none\n")).all(), "nothing to validate from");
  }

  /** Mnemonic algorithms are TrustAnchors.parseZoneFormat's; this runs once it takes them. */
  @Test
  void mnemonicAlgorithmsAreAccepted() throws Exception {
    String mnemonic = "example.com. IN DS 12345 RSASHA256 2 49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5";
    boolean supported;
    try {
      TrustAnchors.parseZoneFormat(mnemonic, "probe");
      supported = true;
    } catch (IllegalArgumentException e) {
      supported = false;
    }
    assumeTrue(supported, "TrustAnchors.parseZoneFormat does not take mnemonic algorithms yet");
    assertEquals(8, ((DSRecord) ResolverOptions.resolverAnchors(settings("[sync]\nanchors = none\n[resolver]\ntrust-anchor = " + mnemonic + "\n"))
        .all().get(0).record()).getAlgorithm());
  }
}
