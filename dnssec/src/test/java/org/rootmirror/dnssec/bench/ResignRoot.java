package org.rootmirror.dnssec.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.rootmirror.dnssec.testing.TestZoneSigner;
import org.rootmirror.dnssec.zone.ZoneFile;
import org.rootmirror.dnssec.zonemd.ZoneDigest;
import org.xbill.DNS.DNSSEC.Algorithm;
import org.xbill.DNS.Name;

/**
 * The real root zone re-signed like the real one (RSA-2048 KSK and ZSK, RSASHA256, ZONEMD SIMPLE
 * SHA-384) with signatures valid from an hour ago for two weeks, and its DS as a trust anchor
 * file: a stored zone that `run` accepts today, for bench/startup.
 *
 * <p>Usage: {@code ResignRoot ROOT_ZONE_IN ZONE_OUT ANCHOR_OUT}
 */
public final class ResignRoot {
  private ResignRoot() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: ResignRoot ROOT_ZONE_IN ZONE_OUT ANCHOR_OUT");
      System.exit(2);
    }
    Instant now = Instant.now();
    TestZoneSigner.SignedZone signed = TestZoneSigner.generate(Name.root, Algorithm.RSASHA256)
        .validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(14)))
        .zonemd(ZoneDigest.HASH_SHA384)
        .sign(ZoneFile.read(Path.of(args[0]), Name.root).records());
    signed.write(Path.of(args[1]));
    Files.writeString(Path.of(args[2]), signed.ds() + "\n");
    System.err.println("re-signed " + signed.records().size() + " records, signatures valid until " + now.plus(Duration.ofDays(14)));
  }
}
