package org.rootmirror.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.dnssec.zonemd.ZoneDigest;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * Writes the zone {@link StartupTraining} serves: a small root zone signed like the real one
 * (RSA-2048 KSK and ZSK, RSASHA256, NSEC, ZONEMD SIMPLE SHA-384), each TLD delegated with a DS and
 * glue, signatures valid until 2090 (RRSIG times are 32-bit serial numbers, RFC 4034 section 3.1.5:
 * the furthest a validator can tell apart today is 68 years ahead). Its anchor is its own KSK; it is
 * trusted only by the training, in a directory of its own. Run again to replace both resources:
 * {@code java -cp ... org.rootmirror.cli.TrainingZoneMaker resolver/src/main/resources/org/rootmirror/cli}.
 */
public final class TrainingZoneMaker {
  static final Instant INCEPTION = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant EXPIRATION = Instant.parse("2090-01-01T00:00:00Z");
  private static final int TLDS = 40;

  private TrainingZoneMaker() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    TestZoneSigner.SignedZone signed = TestZoneSigner.generate(Name.root, Algorithm.RSASHA256)
        .validity(INCEPTION, EXPIRATION)
        .zonemd(ZoneDigest.HASH_SHA384)
        .sign(unsigned());
    signed.write(dir.resolve(StartupTraining.ZONE));
    Files.writeString(dir.resolve(StartupTraining.ANCHOR), signed.ds() + "\n");
  }

  private static List<Record> unsigned() throws Exception {
    List<Record> records = new ArrayList<>();
    Name root = Name.root;
    Name a = Name.fromString("a.root-servers.net.");
    records.add(new SOARecord(root, DClass.IN, 86_400, a, Name.fromString("nstld.verisign-grs.com."), 2026010100,
        1800, 900, 604_800, 86_400));
    records.add(new NSRecord(root, DClass.IN, 518_400, a));
    for (int i = 0; i < TLDS; i++) {
      Name tld = Name.fromString("tld" + i + ".");
      Name ns = Name.fromString("ns.tld" + i + ".");
      records.add(new NSRecord(tld, DClass.IN, 172_800, ns));
      records.add(new ARecord(ns, DClass.IN, 172_800, java.net.InetAddress.getByAddress(new byte[] {127, 0, 9, (byte) i})));
      records.add(new AAAARecord(ns, DClass.IN, 172_800,
          java.net.InetAddress.getByName("fd00::9:" + Integer.toHexString(i))));
      byte[] digest = new byte[32];
      digest[0] = (byte) i;
      records.add(new DSRecord(tld, DClass.IN, 86_400, 1000 + i, Algorithm.ECDSAP256SHA256, DNSSEC.Digest.SHA256, digest));
    }
    Name net = Name.fromString("net.");
    records.add(new NSRecord(net, DClass.IN, 172_800, a));
    records.add(new ARecord(a, DClass.IN, 518_400, java.net.InetAddress.getByAddress(new byte[] {127, 0, 9, (byte) 200})));
    return records;
  }
}
