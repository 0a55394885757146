package org.rootmirror.sync.server.answer;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * One response's content, prepared at build time: the records of each section as dnsjava
 * records (to inspect and test) and the same sections encoded (to send).
 *
 * @param additional the additional section in order: required glue first, then the optional
 *     RRsets that are sent while they fit
 */
public record Prepared(List<Record> answer, List<Record> authority, List<Record> additional, EncodedSections wire) {
  public Prepared {
    answer = List.copyOf(answer);
    authority = List.copyOf(authority);
    additional = List.copyOf(additional);
  }
}
