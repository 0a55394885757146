package org.rootmirror.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a validation time: ISO-8601 with an offset (2026-08-01T00:00:00Z) or a UTC date (2026-08-01). */
final class InstantConverter implements ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException notDateTime) {
      try {
        return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notDate) {
        throw new TypeConversionException(
            "'" + value + "' is not an ISO-8601 time such as 2026-08-01T00:00:00Z or a date such as 2026-08-01");
      }
    }
  }
}
