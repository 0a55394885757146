package org.rootmirror.sync.server.xfr;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who may transfer or send NOTIFY, by source address: a list of CIDR prefixes, IPv4 and IPv6.
 *
 * <p>Entries are address literals only, never a name to look up.
 */
public final class AddressAcl {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  /** One prefix: the network's address bytes (4 or 16) and how many leading bits must match. */
  private record Prefix(byte[] network, int length) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = length / 8;
      if (!Arrays.equals(address, 0, whole, network, 0, whole)) {
        return false;
      }
      int rest = length % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (address[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public String toString() {
      try {
        return InetAddress.getByAddress(network).getHostAddress() + "/" + length;
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
      }
    }
  }

  private static final AddressAcl NONE = new AddressAcl(List.of());
  private static final AddressAcl LOOPBACK = parse(List.of("127.0.0.0/8", "::1/128"));

  private final List<Prefix> prefixes;

  private AddressAcl(List<Prefix> prefixes) {
    this.prefixes = List.copyOf(prefixes);
  }

  /** 127.0.0.0/8 and ::1/128: the default for transfers (RFC 8806 serves on loopback). */
  public static AddressAcl loopback() {
    return LOOPBACK;
  }

  /** Allows nobody. */
  public static AddressAcl none() {
    return NONE;
  }

  /**
   * Parses prefixes such as {@code 192.0.2.0/24}, {@code 2001:db8::/32}, or a single address
   * ({@code 192.0.2.7}, {@code ::1}: /32 or /128).
   *
   * @throws IllegalArgumentException naming the entry that is not an address literal, has a length
   *     out of range, or has bits set beyond its length (192.0.2.1/24: a typing error, not a network)
   */
  public static AddressAcl parse(Collection<String> entries) {
    List<Prefix> parsed = new ArrayList<>(entries.size());
    for (String entry : entries) {
      parsed.add(prefix(entry.strip()));
    }
    return new AddressAcl(parsed);
  }

  /** This list and {@code other}'s. */
  public AddressAcl with(AddressAcl other) {
    List<Prefix> all = new ArrayList<>(prefixes);
    all.addAll(other.prefixes);
    return new AddressAcl(all);
  }

  public boolean allows(InetAddress address) {
    byte[] bytes = address.getAddress();
    for (Prefix p : prefixes) {
      if (p.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return prefixes.toString();
  }

  private static Prefix prefix(String entry) {
    int slash = entry.indexOf('/');
    String literal = slash < 0 ? entry : entry.substring(0, slash);
    if (!IPV4.matcher(literal).matches() && !IPV6.matcher(literal).matches()) {
      throw new IllegalArgumentException("not an address prefix: \"" + entry + "\" (expected e.g. 192.0.2.0/24 or 2001:db8::/32)");
    }
    byte[] network;
    try {
      network = InetAddress.getByName(literal).getAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address prefix: \"" + entry + "\": " + e.getMessage(), e);
    }
    int max = network.length * 8;
    int length;
    try {
      length = slash < 0 ? max : Integer.parseInt(entry.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an address prefix: \"" + entry + "\": bad length", e);
    }
    if (length < 0 || length > max) {
      throw new IllegalArgumentException("not an address prefix: \"" + entry + "\": the length must be 0 to " + max);
    }
    Prefix p = new Prefix(network, length);
    Prefix masked = new Prefix(mask(network, length), length);
    if (!Arrays.equals(network, masked.network())) {
      throw new IllegalArgumentException("\"" + entry + "\" has bits set beyond its length; the network is " + masked);
    }
    return p;
  }

  private static byte[] mask(byte[] address, int length) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.clamp(length - i * 8L, 0, 8);
      out[i] = (byte) (out[i] & ((0xFF << (8 - keep)) & 0xFF));
    }
    return out;
  }
}
