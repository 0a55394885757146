package org.rootmirror.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.sync.server.limit.RateLimitOptions;
import org.rootmirror.sync.server.net.ServerNetOptions;
import org.rootmirror.sync.source.DefaultSources;
import org.xbill.DNS.Name;

/** Values, defaults and precedence: built-in defaults, then the file, then the command line. */
class SettingsTest {
  @TempDir Path dir;

  private static Settings settings(String text, Map<ConfigKey, List<String>> commandLine) throws ConfigException {
    return Settings.resolve(ConfigFile.parse("test.conf", text), commandLine);
  }

  private static List<String> errors(String text, Map<ConfigKey, List<String>> commandLine) {
    return assertThrows(ConfigException.class, () -> settings(text, commandLine)).errors().stream().map(ConfigError::toString).toList();
  }

  @Test
  void withoutFileOrOptionsEveryKeyHasItsBuiltInDefault() {
    Settings s = Settings.defaults();
    assertEquals(Path.of("/var/lib/rootmirror"), s.stateDir());
    assertEquals(Path.of("/run/rootmirror"), s.runtimeDir());
    assertEquals(DefaultSources.URIS, s.sources());
    assertEquals(Optional.empty(), s.anchors());
    assertFalse(s.requireZonemd());
    assertEquals(1, s.requireAgreement());
    assertEquals(List.of(new InetSocketAddress("127.12.12.12", 53)), s.mirrorListen());
    assertEquals(List.of(), s.notifyTargets());
    assertTrue(s.chaos());
    assertEquals(OptionalInt.empty(), s.udpThreads());
    assertEquals(List.of(new InetSocketAddress("127.0.0.1", 53), new InetSocketAddress("::1", 53)), s.resolverListen());
    assertEquals(List.of(), s.allow());
    assertEquals(List.of(), s.rootServers());
    assertEquals(Optional.empty(), s.hints());
    assertEquals(53, s.upstreamPort());
    assertEquals(Optional.of(new InetSocketAddress("127.0.0.1", 9153)), s.metricsListen());
    for (ConfigKey key : ConfigKey.values()) {
      assertEquals("default", s.origin(key), key.name());
    }
  }

  @Test
  void fileValuesReplaceDefaults() throws Exception {
    Path anchors = Files.writeString(dir.resolve("root.ds"), "x\n");
    Settings s = settings("""
        [sync]
        state-dir = /srv/rootmirror
        source = file:/srv/root.zone
        anchors = %s
        require-zonemd = yes
        [mirror]
        chaos = no
        udp-threads = 4
        notify = 192.0.2.53:5300
        [resolver]
        listen = 192.0.2.1:53
        root-server = [2001:db8::1]:5300
        [metrics]
        listen = off
        """.formatted(anchors), Map.of());
    assertEquals(Path.of("/srv/rootmirror"), s.stateDir());
    assertEquals(Path.of("/run/rootmirror"), s.runtimeDir(), "a key the file leaves out keeps its default");
    assertEquals(List.of(URI.create("file:/srv/root.zone")), s.sources());
    assertEquals(Optional.of(anchors), s.anchors());
    assertTrue(s.requireZonemd());
    assertFalse(s.chaos());
    assertEquals(OptionalInt.of(4), s.udpThreads());
    assertEquals(List.of(new InetSocketAddress("192.0.2.53", 5300)), s.notifyTargets());
    assertEquals(List.of(new InetSocketAddress("192.0.2.1", 53)), s.resolverListen());
    assertEquals(List.of(new InetSocketAddress("2001:db8::1", 5300)), s.rootServers());
    assertEquals(Optional.empty(), s.metricsListen());
    assertEquals("test.conf:2", s.origin(ConfigKey.STATE_DIR));
  }

  @Test
  void commandLineReplacesTheFilesValueAndItsWholeList() throws Exception {
    Settings s = settings("""
        [sync]
        state-dir = /srv/rootmirror
        runtime-dir = /run/rm
        require-zonemd = yes
        [resolver]
        listen = 127.0.0.1:5353
        listen = [::1]:5353
        allow = 192.0.2.0/24
        """, Map.of(
            ConfigKey.STATE_DIR, List.of("/tmp/state"),
            ConfigKey.REQUIRE_ZONEMD, List.of("no"),
            ConfigKey.RESOLVER_LISTEN, List.of("127.0.0.2:5300")));
    assertEquals(Path.of("/tmp/state"), s.stateDir());
    assertEquals(Path.of("/run/rm"), s.runtimeDir(), "the file's value stands where no option is given");
    assertFalse(s.requireZonemd());
    assertEquals(List.of(new InetSocketAddress("127.0.0.2", 5300)), s.resolverListen(), "the option's list, not added to the file's");
    assertEquals(List.of("192.0.2.0/24"), s.allow());
    assertEquals("--listen", s.origin(ConfigKey.RESOLVER_LISTEN));
  }

  @Test
  void theTcpLimitsDefaultToTheListenersOwnAndComeFromTheServerSection() throws Exception {
    Settings defaults = Settings.defaults();
    ServerNetOptions net = ServerNetOptions.defaults();
    assertEquals(net.tcpMaxClients(), defaults.tcpClients());
    assertEquals(net.tcpMaxClientsPerAddress(), defaults.tcpClientsPerAddress());
    assertEquals(net.tcpIdleTimeout().toSeconds(), defaults.tcpIdleTimeout());
    assertEquals(net.tcpMessageTimeout().toSeconds(), defaults.tcpMessageTimeout());
    Settings s = settings("[server]\ntcp-clients = 5000\ntcp-clients-per-address = 2\ntcp-idle-timeout = 30\n",
        Map.of(ConfigKey.TCP_MESSAGE_TIMEOUT, List.of("1")));
    assertEquals(5000, s.tcpClients());
    assertEquals(2, s.tcpClientsPerAddress());
    assertEquals(30, s.tcpIdleTimeout());
    assertEquals(1, s.tcpMessageTimeout());
    assertEquals(List.of(
            "test.conf:2: [server] tcp-clients: wants 1 to 1000000, not 0",
            "test.conf:3: [server] tcp-clients-per-address: wants a whole number, not \"ten\"",
            "test.conf:4: [server] tcp-idle-timeout: wants 1 to 3600, not -1",
            "--tcp-message-timeout: wants a whole number, not \"3s\""),
        errors("[server]\ntcp-clients = 0\ntcp-clients-per-address = ten\ntcp-idle-timeout = -1\n",
            Map.of(ConfigKey.TCP_MESSAGE_TIMEOUT, List.of("3s"))));
  }

  @Test
  void everyBadValueIsReportedWithItsLine() {
    assertEquals(List.of(
            "test.conf:2: [sync] runtime-dir: not a path: \"/run/\0x\": Nul character not allowed",
            "test.conf:3: [sync] source: unknown zone source scheme \"gopher\" in gopher://example.net/ (known: https, ftp, axfr, ixfr, file)",
            "test.conf:4: [sync] anchors: no such file: " + dir.resolve("missing.xml"),
            "test.conf:5: [sync] require-zonemd: wants yes or no, not \"sometimes\"",
            "test.conf:6: [sync] require-agreement: wants 1 to 100, not 0",
            "test.conf:8: [mirror] listen: wants ADDR:PORT, not \"127.12.12.12\"",
            "test.conf:9: [mirror] allow-transfer: \"192.0.2.1/24\" has bits set beyond its length; the network is 192.0.2.0/24",
            "test.conf:10: [mirror] udp-threads: wants a whole number, not \"many\"",
            "test.conf:13: [resolver] listen: all addresses share one port, not 53 and 5353",
            "test.conf:14: [resolver] root-server: wants an address literal, not \"a.root-servers.net\" in \"a.root-servers.net\"",
            "test.conf:15: [resolver] hints: no such file: " + dir.resolve("named.root"),
            "test.conf:16: [resolver] upstream-port: wants 1 to 65535, not 65536",
            "test.conf:18: [metrics] listen: bad port in \"127.0.0.1:http\""),
        errors("""
            [sync]
            runtime-dir = /run/\0x
            source = gopher://example.net/
            anchors = %s
            require-zonemd = sometimes
            require-agreement = 0
            [mirror]
            listen = 127.12.12.12
            allow-transfer = 192.0.2.1/24
            udp-threads = many
            [resolver]
            listen = 127.0.0.1:53
            listen = [::1]:5353
            root-server = a.root-servers.net
            hints = %s
            upstream-port = 65536
            [metrics]
            listen = 127.0.0.1:http
            """.formatted(dir.resolve("missing.xml"), dir.resolve("named.root")), Map.of()));
  }

  @Test
  void syntaxErrorsAndValueErrorsComeTogetherInLineOrder() {
    assertEquals(List.of("test.conf:2: [mirror] chaos: wants yes or no, not \"maybe\"", "test.conf:3: unknown key \"colour\" in [mirror] (known: "
            + "listen, allow-transfer, notify, primary, chaos, udp-threads, rate-limit, rate-limit-slip, rate-limit-window)"),
        errors("[mirror]\nchaos = maybe\ncolour = blue\n", Map.of()));
  }

  @Test
  void commandLineErrorsNameTheOptionAndComeAfterTheFilesErrors() {
    assertEquals(List.of("test.conf:3: state-dir is already set on line 2 and takes one value",
            "--[no-]chaos: wants yes or no, not \"perhaps\"", "--listen: bad port in \"127.0.0.1:x\""),
        errors("[sync]\nstate-dir = /a\nstate-dir = /b\n",
            Map.of(ConfigKey.RESOLVER_LISTEN, List.of("127.0.0.1:x"), ConfigKey.CHAOS, List.of("perhaps"))));
  }

  @Test
  void agreementCannotAskForMoreSourcesThanConfigured() {
    assertEquals(List.of("test.conf:4: [sync] require-agreement: needs 3 sources to agree but 2 are configured"),
        errors("[sync]\nsource = file:/a\nsource = file:/b\nrequire-agreement = 3\n", Map.of()));
  }

  private static final String DS = "example.com. IN DS 12345 8 2 49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5";
  private static final String DNSKEY = ". 3600 IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5"
      + "emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+"
      + "sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6U"
      + "wNR1AkUTV74bU=";

  @Test
  void resolverKeysHaveUnboundsDefaults() {
    Settings s = Settings.defaults();
    assertFalse(s.rootAnchorsNone());
    assertEquals(List.of(), s.trustAnchorLines());
    assertEquals(Set.of(), s.domainInsecure());
    assertEquals("relaxed", s.qnameMinimisation());
    assertEquals(0, s.cacheMinTtl());
    assertEquals(86400, s.cacheMaxTtl());
    assertEquals(List.of(), s.forwardZones());
    assertTrue(s.doNotQueryLocalhost());
    assertTrue(s.hardenGlue());
  }

  @Test
  void resolverKeysAreReadFromTheFile() throws Exception {
    Settings s = settings("""
        [sync]
        anchors = none
        [resolver]
        trust-anchor = %s
        trust-anchor = %s
        domain-insecure = corp.example
        domain-insecure = 10.in-addr.arpa.
        qname-minimisation = Strict
        cache-min-ttl = 60
        cache-max-ttl = 3600
        forward-zone = corp.example 192.0.2.53 [2001:db8::53]:5353 2001:db8::54 198.51.100.1:5300
        forward-zone = . 127.0.0.1
        do-not-query-localhost = no
        harden-glue = no
        """.formatted(DS, DNSKEY), Map.of());
    assertTrue(s.rootAnchorsNone());
    assertEquals(Optional.empty(), s.anchors());
    assertEquals(List.of(DS, DNSKEY), s.trustAnchorLines());
    assertEquals(List.of(Name.fromConstantString("corp.example."), Name.fromConstantString("10.in-addr.arpa.")),
        List.copyOf(s.domainInsecure()), "absolute, in order");
    assertEquals("strict", s.qnameMinimisation());
    assertEquals(60, s.cacheMinTtl());
    assertEquals(3600, s.cacheMaxTtl());
    assertEquals(List.of(
            new ForwardZoneSetting(Name.fromConstantString("corp.example."), List.of(new InetSocketAddress("192.0.2.53", 53),
                new InetSocketAddress("2001:db8::53", 5353), new InetSocketAddress("2001:db8::54", 53), new InetSocketAddress("198.51.100.1", 5300))),
            new ForwardZoneSetting(Name.root, List.of(new InetSocketAddress("127.0.0.1", 53)))),
        s.forwardZones());
    assertFalse(s.doNotQueryLocalhost());
    assertFalse(s.hardenGlue());
    assertEquals("test.conf:4", s.origin(ConfigKey.TRUST_ANCHOR));
  }

  @Test
  void resolverOptionsReplaceTheFilesValues() throws Exception {
    Settings s = settings("[resolver]\ntrust-anchor = " + DS + "\nqname-minimisation = off\nharden-glue = no\n", Map.of(
        ConfigKey.TRUST_ANCHOR, List.of(DNSKEY),
        ConfigKey.QNAME_MINIMISATION, List.of("relaxed"),
        ConfigKey.HARDEN_GLUE, List.of("yes"),
        ConfigKey.ANCHORS, List.of("none"),
        ConfigKey.FORWARD_ZONE, List.of("example. 192.0.2.1")));
    assertEquals(List.of(DNSKEY), s.trustAnchorLines(), "the option's list replaces the file's");
    assertEquals("relaxed", s.qnameMinimisation());
    assertTrue(s.hardenGlue());
    assertTrue(s.rootAnchorsNone());
    assertEquals(1, s.forwardZones().size());
    assertTrue(settings("[sync]\nanchors = None\n", Map.of()).rootAnchorsNone(), "a word, in any case");
  }

  @Test
  void badResolverValuesAreReportedWithTheirLine() {
    List<String> errors = errors("""
        [resolver]
        trust-anchor = example.com. IN A 192.0.2.1
        trust-anchor = example.com. IN DS twelve 8 2 AA
        trust-anchor = $INCLUDE /etc/hostname
        domain-insecure = bad..name
        qname-minimisation = yes
        cache-min-ttl = 1h
        cache-max-ttl = -1
        forward-zone = example.com
        forward-zone = example.com ns.example.com
        do-not-query-localhost = never
        harden-glue = hard
        """, Map.of());
    // what is wrong with a record is TrustAnchors.parseZoneFormat's to say; the line, the key and the value are ours
    assertTrue(errors.get(0).startsWith("test.conf:2: [resolver] trust-anchor: ")
        && errors.get(0).contains("DS and DNSKEY") && !errors.get(0).contains("\t")
        && errors.get(0).endsWith(" in \"example.com. IN A 192.0.2.1\" (wants NAME [TTL] IN DS|DNSKEY ...)"), errors.get(0));
    assertTrue(errors.get(1).startsWith("test.conf:3: [resolver] trust-anchor: ") && !errors.get(1).contains("<none>")
        && errors.get(1).endsWith(" in \"example.com. IN DS twelve 8 2 AA\" (wants NAME [TTL] IN DS|DNSKEY ...)"), errors.get(1));
    assertEquals(List.of(
            "test.conf:4: [resolver] trust-anchor: wants one DS or DNSKEY record, not a directive: \"$INCLUDE /etc/hostname\"",
            "test.conf:5: [resolver] domain-insecure: not a domain name: \"bad..name\": 'bad..name': invalid empty label",
            "test.conf:6: [resolver] qname-minimisation: wants relaxed, strict or off, not \"yes\"",
            "test.conf:7: [resolver] cache-min-ttl: wants a whole number, not \"1h\"",
            "test.conf:8: [resolver] cache-max-ttl: wants 0 to 2147483647, not -1",
            "test.conf:9: [resolver] forward-zone: wants NAME ADDR[:PORT] [ADDR[:PORT] ...], not \"example.com\"",
            "test.conf:10: [resolver] forward-zone: wants an address literal, not \"ns.example.com\" in \"ns.example.com\"",
            "test.conf:11: [resolver] do-not-query-localhost: wants yes or no, not \"never\"",
            "test.conf:12: [resolver] harden-glue: wants yes or no, not \"hard\""),
        errors.subList(2, errors.size()));
  }

  @Test
  void aZoneForwardedTwiceIsAnErrorOnItsSecondLine() {
    assertEquals(List.of("test.conf:4: [resolver] forward-zone: EXAMPLE.com. is forwarded on line 2; give all of a zone's servers on one line"),
        errors("[resolver]\nforward-zone = example.com 192.0.2.1\nforward-zone = example.net 192.0.2.2\nforward-zone = EXAMPLE.com. 192.0.2.3\n",
            Map.of()));
    assertEquals(List.of("--forward-zone: . is forwarded already; give all of a zone's servers on one line"),
        errors("", Map.of(ConfigKey.FORWARD_ZONE, List.of(". 192.0.2.1", ". 192.0.2.2"))));
  }

  @Test
  void theMinimumTtlCannotExceedTheMaximum() throws Exception {
    assertEquals(List.of("test.conf:2: [resolver] cache-min-ttl: the minimum TTL 90000 is above the maximum 86400; "
            + "make cache-min-ttl at most cache-max-ttl"),
        errors("[resolver]\ncache-min-ttl = 90000\n", Map.of()));
    assertEquals(List.of("test.conf:2: [resolver] cache-min-ttl: the minimum TTL 60 is above the maximum 30; "
            + "make cache-min-ttl at most cache-max-ttl"),
        errors("[resolver]\ncache-min-ttl = 60\ncache-max-ttl = 30\n", Map.of()));
    assertEquals(List.of("--cache-min-ttl: the minimum TTL 60 is above the maximum 30; make cache-min-ttl at most cache-max-ttl"),
        errors("[resolver]\ncache-max-ttl = 30\n", Map.of(ConfigKey.CACHE_MIN_TTL, List.of("60"))));
    assertEquals(30, settings("[resolver]\ncache-min-ttl = 30\ncache-max-ttl = 30\n", Map.of()).cacheMaxTtl(), "equal is allowed");
  }

  @Test
  void rateLimitingIsReadFromTheMirrorSectionOrTheCommandLineAndCanBeOff() throws Exception {
    assertEquals(RateLimitOptions.defaults(), Settings.defaults().rateLimit(), "the built-in defaults are the server's");
    Settings s = settings("[mirror]\nrate-limit = 50\nrate-limit-slip = 0\nrate-limit-window = 60\n", Map.of());
    assertEquals(new RateLimitOptions(50, 0, Duration.ofSeconds(60)), s.rateLimit());
    assertFalse(settings("[mirror]\nrate-limit = off\n", Map.of()).rateLimit().enabled());
    assertFalse(settings("", Map.of(ConfigKey.RATE_LIMIT, List.of("0"))).rateLimit().enabled());
    assertEquals(List.of("test.conf:2: [mirror] rate-limit: wants 0 to 100000, not 1000000",
            "test.conf:3: [mirror] rate-limit-slip: wants 0 to 10, not 11",
            "test.conf:4: [mirror] rate-limit-window: wants 1 to 3600, not 0"),
        errors("[mirror]\nrate-limit = 1000000\nrate-limit-slip = 11\nrate-limit-window = 0\n", Map.of()));
    assertEquals(List.of("--rate-limit: wants a whole number, not \"lots\""), errors("", Map.of(ConfigKey.RATE_LIMIT, List.of("lots"))));
  }

  @Test
    void sizesAreWrittenAsUnboundWritesThemAndTheCacheMustFitInTheMemory() throws Exception {
    Settings defaults = Settings.defaults();
    assertEquals(512L << 20, defaults.maxMemory());
    assertEquals(64L << 20, defaults.cacheSize());
    Settings s = settings("[server]\nmax-memory = 2G\n[resolver]\ncache-size = 512mb\n", Map.of());
    assertEquals(2L << 30, s.maxMemory());
    assertEquals(512L << 20, s.cacheSize());
    assertEquals(3_000_000, settings("[server]\nmax-memory = 1g\n[resolver]\ncache-size = 3000000\n", Map.of()).cacheSize(), "bytes");
    assertEquals(8L << 20, settings("", Map.of(ConfigKey.CACHE_SIZE, List.of("8192k"))).cacheSize());

    assertEquals(List.of(
            "test.conf:2: [server] max-memory: wants a size from 384m to 1024g, not \"256m\"",
            "test.conf:4: [resolver] cache-size: wants a size such as 64m or 1g, not \"64 MB\""),
        errors("[server]\nmax-memory = 256m\n[resolver]\ncache-size = 64 MB\n", Map.of()));
    assertEquals(List.of("test.conf:4: [resolver] cache-size: a cache of 200m does not fit in max-memory 512m, whose heap of 320m "
            + "gives the cache a third at most; raise [server] max-memory to 832m or lower [resolver] cache-size to 106m"),
        errors("[server]\nmax-memory = 512m\n[resolver]\ncache-size = 200m\n", Map.of()));
    assertEquals(64L << 20, settings("[server]\nmax-memory = 384m\n", Map.of()).cacheSize(), "the default cache fits the least memory");
    assertEquals(List.of("--cache-size: a cache of 70m does not fit in max-memory 384m, whose heap of 208m gives the cache a third at most; "
            + "raise [server] max-memory to 387m or lower [resolver] cache-size to 69m"),
        errors("[server]\nmax-memory = 384m\n", Map.of(ConfigKey.CACHE_SIZE, List.of("70m"))));
  }
}
