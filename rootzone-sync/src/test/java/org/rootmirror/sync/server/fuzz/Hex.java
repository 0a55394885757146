package org.rootmirror.sync.server.fuzz;

import java.util.HexFormat;

/** Bytes as hex for failure messages: the first 600 of them, enough to see what a packet was. */
final class Hex {
  private static final int SHOWN = 600;

  private Hex() {}

  static String of(byte[] bytes) {
    if (bytes.length <= SHOWN) {
      return HexFormat.of().formatHex(bytes);
    }
    return HexFormat.of().formatHex(bytes, 0, SHOWN) + "... (" + bytes.length + " bytes)";
  }
}
