package org.rootmirror.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rootmirror.sync.source.DefaultSources;

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
  void everyBadValueIsReportedWithItsLine() {
    assertEquals(List.of(
            "test.conf:2: runtime-dir: not a path: \"/run/\0x\": Nul character not allowed",
            "test.conf:3: source: unknown zone source scheme \"gopher\" in gopher://example.net/ (known: https, ftp, axfr, ixfr, file)",
            "test.conf:4: anchors: no such file: " + dir.resolve("missing.xml"),
            "test.conf:5: require-zonemd: wants yes or no, not \"sometimes\"",
            "test.conf:6: require-agreement: wants 1 to 100, not 0",
            "test.conf:8: listen: wants ADDR:PORT, not \"127.12.12.12\"",
            "test.conf:9: allow-transfer: \"192.0.2.1/24\" has bits set beyond its length; the network is 192.0.2.0/24",
            "test.conf:10: udp-threads: wants a whole number, not \"many\"",
            "test.conf:13: listen: all addresses share one port, not 53 and 5353",
            "test.conf:14: root-server: wants an address literal, not \"a.root-servers.net\" in \"a.root-servers.net\"",
            "test.conf:15: hints: no such file: " + dir.resolve("named.root"),
            "test.conf:16: upstream-port: wants 1 to 65535, not 65536",
            "test.conf:18: listen: bad port in \"127.0.0.1:http\""),
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
    assertEquals(List.of("test.conf:2: chaos: wants yes or no, not \"maybe\"", "test.conf:3: unknown key \"colour\" in [mirror] (known: "
            + "listen, allow-transfer, notify, primary, chaos, udp-threads)"),
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
    assertEquals(List.of("test.conf:4: require-agreement: needs 3 sources to agree but 2 are configured"),
        errors("[sync]\nsource = file:/a\nsource = file:/b\nrequire-agreement = 3\n", Map.of()));
  }
}
