package org.rootmirror.resolver.cache;

import java.util.List;
import java.util.stream.Stream;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/** What the cache holds for a question: an RRset, or one of the two negative answers of RFC 2308. */
public sealed interface CachedAnswer {

  /** The records (with their RRSIGs) of the answer, for a positive answer the RRset itself, for a
   * negative one the SOA followed by the NSEC/NSEC3 proof. */
  List<RRset> rrsets();

  /**
   * An RRset and its RRSIGs; for an RRset expanded from a wildcard, the NSEC/NSEC3 RRsets that
   * prove the query name itself does not exist (RFC 4035 section 3.1.3.3), which go with it.
   */
  record Positive(RRset rrset, List<RRset> proof) implements CachedAnswer {
    public Positive {
      proof = List.copyOf(proof);
    }

    public Positive(RRset rrset) {
      this(rrset, List.of());
    }

    @Override
    public List<RRset> rrsets() {
      return proof.isEmpty() ? List.of(rrset) : concat(rrset, proof);
    }
  }

  /** The name does not exist (NXDOMAIN, RFC 2308 section 2.1), with the SOA and any denial
   * proof for the authority section. */
  record NameError(Name name, RRset soa, List<RRset> proof) implements CachedAnswer {
    public NameError {
      proof = List.copyOf(proof);
    }

    @Override
    public List<RRset> rrsets() {
      return concat(soa, proof);
    }
  }

  /** The name exists but has no data of the type (NODATA, RFC 2308 section 2.2), with the SOA
   * and any denial proof for the authority section. The SOA is null for an answer that had none
   * ({@link DnsCache#storeNoRecords}) and for a signed referral's proof that a delegation has no
   * DS ({@link DnsCache#storeReferralNoDs}). */
  record NoData(Name name, int type, RRset soa, List<RRset> proof) implements CachedAnswer {
    public NoData {
      proof = List.copyOf(proof);
    }

    @Override
    public List<RRset> rrsets() {
      return soa == null ? proof : concat(soa, proof);
    }
  }

  private static List<RRset> concat(RRset first, List<RRset> rest) {
    return Stream.concat(Stream.of(first), rest.stream()).toList();
  }
}
