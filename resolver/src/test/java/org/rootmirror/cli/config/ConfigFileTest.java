package org.rootmirror.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The syntax of the configuration file: each kind of error with its line, all of them at once. */
class ConfigFileTest {
  private static List<String> errors(String text) {
    return ConfigFile.parse("test.conf", text).errors().stream().map(ConfigError::toString).toList();
  }

  @Test
  void keysAndValuesAreReadWithTheirLinesAndCommentsAreDropped() {
    ConfigFile file = ConfigFile.parse("test.conf", """
        # a comment
        [sync]
        state-dir = /srv/root   # trailing comment

        source = https://example.net/root.zone#frag
          source=file:/tmp/root.zone
        [resolver]
        listen = 127.0.0.1:5353
        """);
    assertEquals(List.of(), file.errors());
    assertEquals(List.of(new ConfigFile.Entry(ConfigKey.STATE_DIR, "/srv/root", 3)), file.entries(ConfigKey.STATE_DIR));
    // "#" starts a comment only at the start of a line or after a blank, so a URI keeps its fragment
    assertEquals(List.of(new ConfigFile.Entry(ConfigKey.SOURCE, "https://example.net/root.zone#frag", 5),
        new ConfigFile.Entry(ConfigKey.SOURCE, "file:/tmp/root.zone", 6)), file.entries(ConfigKey.SOURCE));
    assertEquals(List.of(new ConfigFile.Entry(ConfigKey.RESOLVER_LISTEN, "127.0.0.1:5353", 8)), file.entries(ConfigKey.RESOLVER_LISTEN));
  }

  @Test
  void sameKeyNameInTwoSectionsIsTwoKeys() {
    ConfigFile file = ConfigFile.parse("test.conf", "[mirror]\nlisten = 127.12.12.12:53\n[metrics]\nlisten = off\n");
    assertEquals(List.of(), file.errors());
    assertEquals("127.12.12.12:53", file.entries(ConfigKey.MIRROR_LISTEN).get(0).value());
    assertEquals("off", file.entries(ConfigKey.METRICS_LISTEN).get(0).value());
  }

  @Test
  void everySyntaxErrorIsReportedWithItsLine() {
    assertEquals(List.of(
            "test.conf:1: \"state-dir\" is outside a section; put it under [sync], [mirror], [resolver], [server] or [metrics]",
            "test.conf:3: unknown key \"colour\" in [sync] (known: state-dir, runtime-dir, source, anchors, require-zonemd, require-agreement)",
            "test.conf:4: expected key = value, not \"require-zonemd\"",
            "test.conf:6: runtime-dir is already set on line 5 and takes one value",
            "test.conf:7: anchors has no value (comment the line out for the default)",
            "test.conf:8: unknown section [resolvers] (known: sync, mirror, resolver, server, metrics)",
            "test.conf:10: a section header wants a closing ]: [mirror"),
        errors("""
            state-dir = /srv
            [sync]
            colour = blue
            require-zonemd
            runtime-dir = /run/a
            runtime-dir = /run/b
            anchors =
            [resolvers]
            listen = 127.0.0.1:53
            [mirror
            listen = 127.0.0.1:53
            """));
  }

  @Test
  void repeatableKeysTakeEveryLine() {
    ConfigFile file = ConfigFile.parse("test.conf", "[resolver]\nallow = 192.0.2.0/24\nallow = 2001:db8::/32\n");
    assertEquals(List.of(), file.errors());
    assertEquals(List.of("192.0.2.0/24", "2001:db8::/32"), file.entries(ConfigKey.ALLOW).stream().map(ConfigFile.Entry::value).toList());
  }

  @Test
  void keysUnderAnUnknownSectionAreNotReportedOneByOne() {
    assertEquals(List.of("test.conf:1: unknown section [dnstap] (known: sync, mirror, resolver, server, metrics)"),
        errors("[dnstap]\nsocket = /run/dnstap.sock\nenable = yes\n"));
  }
}
