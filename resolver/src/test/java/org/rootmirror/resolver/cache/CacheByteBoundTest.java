package org.rootmirror.resolver.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rootmirror.resolver.testing.MutableTime;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The cache's bound in bytes holds whatever is stored: positive and negative answers of every
 * size, replacements, expiry, an answer larger than the whole cache, in a seeded random order.
 */
class CacheByteBoundTest {
  private static final Name ZONE = Name.fromConstantString("example.");
  private static final Instant SIGNED_UNTIL = Instant.parse("2030-01-01T00:00:00Z");
  private static final Instant SIGNED_FROM = Instant.parse("2020-01-01T00:00:00Z");

  private final MutableTime time = new MutableTime();

  @Test
  void aRandomFillNeverTakesTheCachePastItsBytesAndFillsIt() throws Exception {
    CacheConfig config = CacheConfig.defaults().withSize(256 * 1024);
    DnsCache cache = new DnsCache(config, time);
    SplittableRandom random = new SplittableRandom(12);
    long most = 0;
    for (int i = 0; i < 20_000; i++) {
      storeRandom(cache, random, i);
      if (random.nextInt(3) == 0) { // a hit: the entry then keeps a copy, and weighs more
        Name asked = name("n" + random.nextInt(300) + "-" + random.nextInt(7));
        cache.lookup(asked, random.nextBoolean() ? Type.A : Type.TXT, DClass.IN);
      }
      long bytes = cache.bytes();
      assertTrue(bytes <= config.answerBytes(), "after " + (i + 1) + " stores: " + bytes + " bytes, bound " + config.answerBytes());
      assertTrue(cache.size() <= config.maximumEntries(), "after " + (i + 1) + " stores: " + cache.size() + " entries");
      most = Math.max(most, bytes);
      if (random.nextInt(50) == 0) {
        time.advanceSeconds(random.nextInt(7200));
      } else if (random.nextInt(4) == 0) {
        time.advanceSeconds(1);
      }
    }
    assertTrue(most > config.answerBytes() * 3 / 4, "the bound was reached, not avoided: at most " + most);
  }

  @Test
  void smallEntriesAreBoundByTheEntryCountAndLargeOnesByTheBytes() throws Exception {
    CacheConfig config = CacheConfig.defaults().withSize(1 << 20).withMaximumEntries(100);
    DnsCache cache = new DnsCache(config, time);
    for (int i = 0; i < 1000; i++) {
      cache.storeRRset(a(name("host" + i), 300), SecurityStatus.SECURE, Credibility.ANSWER);
    }
    assertTrue(cache.size() <= 100, "entries: " + cache.size());
    assertTrue(cache.size() >= 90, "small entries fill the entry bound: " + cache.size());

    DnsCache bytesBound = new DnsCache(CacheConfig.defaults().withSize(1 << 20), time);
    for (int i = 0; i < 1000; i++) {
      bytesBound.storeRRset(txt(name("big" + i), 300, 8, 255), SecurityStatus.SECURE, Credibility.ANSWER);
    }
    long bytes = bytesBound.bytes();
    assertTrue(bytes <= (3 << 20) / 4, "bytes: " + bytes);
    assertTrue(bytesBound.size() < 1000 * 3 / 4 / 4, "several KB each, so far fewer than the entry bound: " + bytesBound.size());
  }

  @Test
  void anAnswerLargerThanTheWholeCacheIsNotKept() throws Exception {
    CacheConfig config = CacheConfig.defaults().withSize(64 * 1024);
    DnsCache cache = new DnsCache(config, time);
    cache.storeRRset(a(name("small"), 300), SecurityStatus.SECURE, Credibility.ANSWER);
    cache.storeRRset(txt(name("huge"), 300, 300, 255), SecurityStatus.SECURE, Credibility.ANSWER);
    assertTrue(cache.bytes() <= config.answerBytes(), "bytes: " + cache.bytes());
    assertFalse(cache.lookup(name("huge"), Type.TXT, DClass.IN).isPresent());
  }

  @Test
  void theBytesCountedAreTheEstimateOfWhatIsHeld() throws Exception {
    DnsCache cache = new DnsCache(CacheConfig.defaults(), time);
    assertEquals(0, cache.bytes());
    RRset www = a(name("www"), 300);
    cache.storeRRset(www, SecurityStatus.SECURE, Credibility.ANSWER);
    long stored = EntryBytes.stored(new CachedAnswer.Positive(www));
    assertEquals(stored, cache.bytes());
    assertTrue(stored > www.first().toWire(org.xbill.DNS.Section.ANSWER).length + EntryBytes.ENTRY, "the record and the entry, at least");
    cache.lookup(name("www"), Type.A, DClass.IN);
    assertEquals(stored, cache.bytes(), "served in the second it was stored: the records themselves, no copy");
    time.advanceSeconds(1);
    cache.lookup(name("www"), Type.A, DClass.IN);
    long withCopy = stored + EntryBytes.copy(new CachedAnswer.Positive(www));
    assertEquals(withCopy, cache.bytes(), "the copy served with the TTL of this second is kept, and counted");
    time.advanceSeconds(1);
    cache.lookup(name("www"), Type.A, DClass.IN);
    assertEquals(withCopy, cache.bytes(), "one copy at a time");
    cache.storeRRset(a(name("www"), 600), SecurityStatus.SECURE, Credibility.ANSWER);
    assertEquals(stored, cache.bytes(), "a replaced entry counts once, without the old copy");
    cache.invalidate(name("www"), Type.A, DClass.IN);
    assertEquals(0, cache.bytes());
  }

  @Test
  void theNsecRecordsKeptForAggressiveAnswersStayWithinTheirBytes() {
    SplittableRandom random = new SplittableRandom(8198);
    long limit = 20_000;
    AggressiveNsec aggressive = new AggressiveNsec(time, 100_000, limit);
    long most = 0;
    for (int i = 0; i < 2_000; i++) {
      Name zone = random.nextInt(4) == 0 ? name("z" + random.nextInt(50)) : ZONE;
      Name owner = label(random, 12, zone);
      List<RRset> authority = new ArrayList<>();
      authority.add(signed(new SOARecord(zone, DClass.IN, 3600, name("ns"), name("admin"), 1, 1800, 900, 604800, 300), zone, 64));
      authority.add(signed(new NSECRecord(owner, DClass.IN, 3600, label(random, 12, zone), new int[] {Type.A, Type.RRSIG, Type.NSEC}),
          zone, 64 + random.nextInt(200)));
      aggressive.learn(authority, zone);
      assertTrue(aggressive.bytes() <= limit, "after " + (i + 1) + ": " + aggressive.bytes());
      most = Math.max(most, aggressive.bytes());
    }
    assertTrue(most > limit / 2, "the bound was reached: at most " + most);
  }

  /** One store of a random kind and size, under 300 names so that some replace others. */
  private void storeRandom(DnsCache cache, SplittableRandom random, int i) throws Exception {
    Name owner = name("n" + random.nextInt(300) + "-" + (i % 7));
    long ttl = random.nextInt(5) == 0 ? 0 : random.nextInt(86_400);
    SecurityStatus status = SecurityStatus.values()[random.nextInt(SecurityStatus.values().length)];
    switch (random.nextInt(5)) {
      case 0 -> cache.storeRRset(a(owner, ttl), status, Credibility.ANSWER);
      case 1 -> cache.storeRRset(signed(txt(owner, ttl, 1 + random.nextInt(12), random.nextInt(256)), ZONE, 1 + random.nextInt(512)),
          status, Credibility.values()[random.nextInt(Credibility.values().length)]);
      case 2 -> cache.storeNameError(owner, DClass.IN, soa(ttl), proof(random, owner), status);
      case 3 -> cache.storeNoData(owner, Type.AAAA, DClass.IN, soa(ttl), proof(random, owner), status);
      default -> {
        RRset aaaa = new RRset();
        for (int k = 0; k <= random.nextInt(30); k++) {
          byte[] address = new byte[16];
          random.nextBytes(address);
          aaaa.addRR(new AAAARecord(owner, DClass.IN, ttl, InetAddress.getByAddress(address)));
        }
        cache.storeRRset(aaaa, status, Credibility.ANSWER);
      }
    }
  }

  private static List<RRset> proof(SplittableRandom random, Name owner) {
    List<RRset> proof = new ArrayList<>();
    for (int k = 0; k < random.nextInt(3); k++) {
      proof.add(signed(new NSECRecord(owner, DClass.IN, 3600, label(random, 20, ZONE), new int[] {Type.A, Type.RRSIG, Type.NSEC}),
          ZONE, 64 + random.nextInt(256)));
    }
    return proof;
  }

  private static Name name(String label) {
    return Name.fromConstantString(label + ".example.");
  }

  private static Name label(SplittableRandom random, int length, Name zone) {
    StringBuilder s = new StringBuilder();
    for (int k = 0; k < 1 + random.nextInt(length); k++) {
      s.append((char) ('a' + random.nextInt(26)));
    }
    return Name.fromConstantString(s + "." + zone);
  }

  private static RRset a(Name owner, long ttl) throws UnknownHostException {
    return new RRset(new ARecord(owner, DClass.IN, ttl, InetAddress.getByName("192.0.2.1")));
  }

  private static RRset txt(Name owner, long ttl, int records, int length) {
    RRset set = new RRset();
    for (int k = 0; k < records; k++) {
      set.addRR(new TXTRecord(owner, DClass.IN, ttl, List.of("x".repeat(length), Integer.toString(k))));
    }
    return set;
  }

  private static RRset soa(long ttl) {
    return new RRset(new SOARecord(ZONE, DClass.IN, ttl, name("ns"), name("admin"), 1, 1800, 900, 604800, 300));
  }

  private static RRset signed(org.xbill.DNS.Record rr, Name signer, int signatureLength) {
    return signed(new RRset(rr), signer, signatureLength);
  }

  private static RRset signed(RRset set, Name signer, int signatureLength) {
    set.addRR(new RRSIGRecord(set.getName(), DClass.IN, set.getTTL(), set.getType(), 8, set.getTTL(), SIGNED_UNTIL, SIGNED_FROM, 4711,
        signer, new byte[signatureLength]));
    return set;
  }
}
