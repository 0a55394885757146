package org.rootmirror.resolver;

import java.util.Objects;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** One question: name, type and class (RFC 1035 section 4.1.2). The name is absolute. */
public record Question(Name name, int type, int dclass) {
  public Question {
    Objects.requireNonNull(name, "name");
    if (!name.isAbsolute()) {
      throw new IllegalArgumentException("not an absolute name: " + name);
    }
  }

  /** A class IN question. */
  public static Question of(Name name, int type) {
    return new Question(name, type, DClass.IN);
  }

  @Override
  public String toString() {
    return name + " " + Type.string(type) + (dclass == DClass.IN ? "" : " " + DClass.string(dclass));
  }
}
