package org.rootmirror.sync.server.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One probe put to the mirror and to NSD: both UDP responses, and both TCP responses when either
 * UDP response was truncated or the probe was picked for TCP as well (null otherwise).
 */
record Exchange(Probe probe, Reply mirrorUdp, Reply nsdUdp, Reply mirrorTcp, Reply nsdTcp) {

  boolean hasTcp() {
    return mirrorTcp != null;
  }

  /** Whether either UDP response was truncated: their sections are then not compared, the TCP ones are. */
  boolean truncated() {
    return mirrorUdp.tc() || nsdUdp.tc();
  }

  /**
   * What differs, each as {@code transport:aspect}: over UDP the RCODE, the AA and TC flags and
   * the EDNS echo, and the sections unless either response is truncated; over TCP everything.
   */
  List<String> differences() {
    List<String> d = new ArrayList<>();
    flags("udp", mirrorUdp, nsdUdp, d);
    if (!truncated()) {
      sections("udp", mirrorUdp, nsdUdp, d);
    }
    if (hasTcp()) {
      flags("tcp", mirrorTcp, nsdTcp, d);
      sections("tcp", mirrorTcp, nsdTcp, d);
    }
    return d;
  }

  /** Whether the TCP responses (when there are any) agree in every aspect. */
  boolean tcpAgrees() {
    if (!hasTcp()) {
      return true;
    }
    List<String> d = new ArrayList<>();
    flags("tcp", mirrorTcp, nsdTcp, d);
    sections("tcp", mirrorTcp, nsdTcp, d);
    return d.isEmpty();
  }

  /** The pairs of complete responses: UDP when neither is truncated, TCP when asked. */
  List<Reply[]> complete() {
    List<Reply[]> pairs = new ArrayList<>(2);
    if (!truncated()) {
      pairs.add(new Reply[] {mirrorUdp, nsdUdp});
    }
    if (hasTcp()) {
      pairs.add(new Reply[] {mirrorTcp, nsdTcp});
    }
    return pairs;
  }

  private static void flags(String transport, Reply mirror, Reply nsd, List<String> d) {
    if (mirror.rcode() != nsd.rcode()) {
      d.add(transport + ":rcode");
    }
    if (mirror.aa() != nsd.aa()) {
      d.add(transport + ":aa");
    }
    if (mirror.tc() != nsd.tc()) {
      d.add(transport + ":tc");
    }
    if (!mirror.ednsEcho().equals(nsd.ednsEcho())) {
      d.add(transport + ":edns");
    }
  }

  private static void sections(String transport, Reply mirror, Reply nsd, List<String> d) {
    if (!mirror.answer().equals(nsd.answer())) {
      d.add(transport + ":answer");
    }
    if (!mirror.authority().equals(nsd.authority())) {
      d.add(transport + ":authority");
    }
    if (!mirror.glue().equals(nsd.glue())) {
      d.add(transport + ":glue");
    }
    if (!withoutGlue(mirror).equals(withoutGlue(nsd))) {
      d.add(transport + ":additional");
    }
  }

  private static Set<String> withoutGlue(Reply r) {
    Set<String> other = new TreeSet<>(r.additional());
    other.removeAll(r.glue());
    return other;
  }

  /** The probe and both answers in full, as dnsjava prints messages, for a report. */
  String report() {
    StringBuilder s = new StringBuilder();
    s.append("query ").append(probe).append(" differs in ").append(differences()).append('\n');
    s.append("mirror over UDP: ").append(mirrorUdp.summary()).append('\n').append(mirrorUdp.message());
    s.append("NSD over UDP: ").append(nsdUdp.summary()).append('\n').append(nsdUdp.message());
    if (hasTcp()) {
      s.append("mirror over TCP: ").append(mirrorTcp.summary()).append('\n').append(mirrorTcp.message());
      s.append("NSD over TCP: ").append(nsdTcp.summary()).append('\n').append(nsdTcp.message());
    }
    return s.toString();
  }
}
