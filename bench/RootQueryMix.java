import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Writes a dnsperf query file with a realistic root query mix (issue 4): about 55% names under
 * existing TLDs with mixed types (referrals), 40% names under nonexistent TLDs (random 7-15
 * letter labels, and the usual leaks: local, home, lan, corp, internal), 5% apex queries.
 * Usage: java bench/RootQueryMix.java ZONEFILE COUNT [SEED] > queries.txt
 */
public final class RootQueryMix {
  private static final String[] REFERRAL_TYPES = {"A", "A", "A", "AAAA", "AAAA", "NS", "MX", "TXT", "DS", "SOA", "HTTPS"};
  private static final String[] LEAKS = {"local", "home", "lan", "corp", "internal"};
  private static final String[] APEX = {". SOA", ". NS", ". DNSKEY", ". NS", ". SOA"};

  public static void main(String[] args) throws IOException {
    Path zone = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    Random random = new Random(args.length > 2 ? Long.parseLong(args[2]) : 8806);
    TreeSet<String> tlds = new TreeSet<>();
    for (String line : Files.readAllLines(zone)) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 5 && f[3].equals("NS") && f[0].matches("[^.]+\\.")) {
        tlds.add(f[0].toLowerCase());
      }
    }
    List<String> tldList = List.copyOf(tlds);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      int p = random.nextInt(100);
      if (p < 55) {
        String tld = tldList.get(random.nextInt(tldList.size()));
        String type = REFERRAL_TYPES[random.nextInt(REFERRAL_TYPES.length)];
        String name = type.equals("DS") ? tld : label(random, 3, 10) + "." + tld;
        out.append(name).append(' ').append(type).append('\n');
      } else if (p < 95) {
        String tld = random.nextInt(4) == 0 ? LEAKS[random.nextInt(LEAKS.length)] : label(random, 7, 15);
        out.append(label(random, 3, 10)).append('.').append(tld).append(". A\n");
      } else {
        out.append(APEX[random.nextInt(APEX.length)]).append('\n');
      }
    }
    System.out.print(out);
  }

  private static String label(Random random, int min, int max) {
    int n = min + random.nextInt(max - min + 1);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }
}
