package org.rootmirror.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

class AnswerChainTest {
  private static final Name X = Name.fromConstantString("x.");
  private static final Name LOOP_X = Name.fromConstantString("shortloop.x.");
  private static final Name LOOP = Name.fromConstantString("shortloop.");

  @Test
  void aCnameQuestionAnsweredByASynthesisedCnameKeepsItsDnameFirst() {
    RRset dname = new RRset(new DNAMERecord(X, DClass.IN, 3600, Name.root));
    RRset cname = new RRset(new CNAMERecord(LOOP_X, DClass.IN, 3600, LOOP));
    AnswerChain chain = AnswerChain.follow(List.of(dname, cname), LOOP_X, Type.CNAME);
    assertTrue(chain.answered());
    assertEquals(LOOP_X, chain.end());
    assertEquals(List.of(dname, cname), chain.rrsets());
  }

  @Test
  void aCnameQuestionAnsweredByAnOrdinaryCnameIsThatCname() {
    RRset cname = new RRset(new CNAMERecord(LOOP_X, DClass.IN, 3600, Name.fromConstantString("elsewhere.")));
    AnswerChain chain = AnswerChain.follow(List.of(cname), LOOP_X, Type.CNAME);
    assertTrue(chain.answered());
    assertEquals(List.of(cname), chain.rrsets());
  }
}
