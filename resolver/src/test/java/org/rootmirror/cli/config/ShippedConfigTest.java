package org.rootmirror.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * systemd/rootmirror.conf, the file installed as /etc/rootmirror/rootmirror.conf: it is valid, it
 * shows every key, and the defaults it documents ("#key = default") are the built-in ones, so
 * that the documentation stays true.
 */
class ShippedConfigTest {
  private static final Path SHIPPED = Path.of("..", "systemd", "rootmirror.conf");
  private static final Pattern SECTION = Pattern.compile("^\\[([a-z]+)]");
  private static final Pattern DOCUMENTED = Pattern.compile("^#([a-z-]+) =(.*?)(\\s+#.*)?$");

  @Test
  void shippedFileIsValidAndChangesNothing() throws Exception {
    Settings shipped = Settings.resolve(ConfigFile.read(SHIPPED), Map.of());
    for (ConfigKey key : ConfigKey.values()) {
      assertEquals("default", shipped.origin(key), key.qualifiedName());
    }
  }

  @Test
  void everyKeyIsDocumentedWithItsBuiltInDefault() throws Exception {
    Map<ConfigKey, List<String>> documented = documented();
    for (ConfigKey key : ConfigKey.values()) {
      if (key.hidden()) {
        assertFalse(documented.containsKey(key), key.qualifiedName() + " is for tests only");
        continue;
      }
      assertTrue(documented.containsKey(key), key.qualifiedName() + " is not documented in " + SHIPPED);
      // "#key =" with nothing: no default value, said in prose
      List<String> values = documented.get(key).stream().filter(v -> !v.isEmpty()).toList();
      assertEquals(key.defaults(), values, key.qualifiedName());
    }
  }

  @Test
  void uncommentingEveryDocumentedDefaultGivesTheDefaults() throws Exception {
    String uncommented = Files.readString(SHIPPED).replaceAll("(?m)^#([a-z-]+ = \\S)", "$1");
    Settings explicit = Settings.resolve(ConfigFile.parse("uncommented", uncommented), Map.of());
    Settings defaults = Settings.defaults();
    for (ConfigKey key : ConfigKey.values()) {
      assertEquals(defaults.text(key), explicit.text(key), key.qualifiedName());
      if (!key.hidden() && !key.defaults().isEmpty()) {
        assertTrue(explicit.origin(key).startsWith("uncommented:"), key.qualifiedName() + " was set by the file");
      }
    }
  }

  /** The "#key = value" lines by key, section by section. */
  private static Map<ConfigKey, List<String>> documented() throws Exception {
    Map<ConfigKey, List<String>> documented = new EnumMap<>(ConfigKey.class);
    String section = null;
    for (String line : Files.readAllLines(SHIPPED)) {
      Matcher s = SECTION.matcher(line);
      Matcher d = DOCUMENTED.matcher(line);
      if (s.find()) {
        section = s.group(1);
      } else if (d.matches()) {
        String name = d.group(1);
        ConfigKey key = ConfigKey.find(section, name).orElseThrow(() -> new AssertionError("unknown key documented: " + name));
        documented.computeIfAbsent(key, k -> new ArrayList<>()).add(d.group(2).strip());
      }
    }
    return documented;
  }
}
