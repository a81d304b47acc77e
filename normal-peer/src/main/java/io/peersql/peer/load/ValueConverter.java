package io.peersql.peer.load;

import io.peersql.peer.load.TargetTable.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Converts a value read from the company's source into the type of a global column: numbers
 * widened or rounded to the column's scale, text parsed, dates from timestamps or ISO text.
 * Conversions that would lose information (a fraction into an integer, text longer than the
 * column) are refused with the reason.
 */
final class ValueConverter {

  private ValueConverter() {
  }

  /** Returns the converted value; throws {@link IllegalArgumentException} with the reason. */
  static Object convert(Object value, ColumnType type) {
    if (value == null || (value instanceof String s && s.isEmpty() && type.sqlType() != Types.VARCHAR
        && type.sqlType() != Types.CHAR)) {
      if (!type.nullable()) {
        throw new IllegalArgumentException("no value, and the column does not accept NULL");
      }
      return null;
    }
    return switch (type.sqlType()) {
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> integral(value, type);
      case Types.DECIMAL, Types.NUMERIC -> decimal(value).setScale(type.scale(), RoundingMode.HALF_UP);
      case Types.DOUBLE, Types.FLOAT, Types.REAL -> decimal(value).doubleValue();
      case Types.DATE -> date(value);
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> timestamp(value);
      case Types.BOOLEAN, Types.BIT -> bool(value);
      case Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR, Types.NVARCHAR, Types.NCHAR -> text(value, type);
      default -> value;
    };
  }

  private static Object integral(Object value, ColumnType type) {
    BigDecimal number = decimal(value);
    try {
      var exact = number.stripTrailingZeros().toBigIntegerExact();
      long result = exact.longValueExact();
      if (type.sqlType() == Types.INTEGER && (result > Integer.MAX_VALUE || result < Integer.MIN_VALUE)) {
        throw new IllegalArgumentException(value + " is out of range for INTEGER");
      }
      return type.sqlType() == Types.BIGINT ? (Object) result : (Object) (int) result;
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(value + " is not a whole number within range of " + type.typeName());
    }
  }

  private static BigDecimal decimal(Object value) {
    return switch (value) {
      case BigDecimal d -> d;
      case BigInteger i -> new BigDecimal(i);
      case Long l -> BigDecimal.valueOf(l);
      case Integer i -> BigDecimal.valueOf(i);
      case Short s -> BigDecimal.valueOf(s);
      case Double d -> BigDecimal.valueOf(d);
      case Float f -> BigDecimal.valueOf(f.doubleValue());
      case String s -> {
        try {
          yield new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + s + "' is not a number");
        }
      }
      default -> throw new IllegalArgumentException("cannot convert " + value.getClass().getSimpleName()
          + " '" + value + "' to a number");
    };
  }

  private static LocalDate date(Object value) {
    return switch (value) {
      case java.sql.Date d -> d.toLocalDate();
      case LocalDate d -> d;
      case Timestamp t -> t.toLocalDateTime().toLocalDate();
      case LocalDateTime t -> t.toLocalDate();
      case OffsetDateTime t -> t.toLocalDate();
      case String s -> {
        try {
          var text = s.trim();
          yield LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("'" + s + "' is not a date (expected YYYY-MM-DD)");
        }
      }
      default -> throw new IllegalArgumentException("cannot convert " + value.getClass().getSimpleName()
          + " '" + value + "' to a date");
    };
  }

  private static LocalDateTime timestamp(Object value) {
    return switch (value) {
      case Timestamp t -> t.toLocalDateTime();
      case LocalDateTime t -> t;
      case OffsetDateTime t -> t.toLocalDateTime();
      case java.sql.Date d -> d.toLocalDate().atStartOfDay();
      case LocalDate d -> d.atStartOfDay();
      case String s -> {
        try {
          yield LocalDateTime.parse(s.trim().replace(' ', 'T'));
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("'" + s + "' is not a timestamp (expected YYYY-MM-DD HH:MM:SS)");
        }
      }
      default -> throw new IllegalArgumentException("cannot convert " + value.getClass().getSimpleName()
          + " '" + value + "' to a timestamp");
    };
  }

  private static Boolean bool(Object value) {
    return switch (value) {
      case Boolean b -> b;
      case Number n -> n.intValue() != 0;
      case String s when s.equalsIgnoreCase("true") || s.equals("1") || s.equalsIgnoreCase("yes") -> true;
      case String s when s.equalsIgnoreCase("false") || s.equals("0") || s.equalsIgnoreCase("no") -> false;
      default -> throw new IllegalArgumentException("'" + value + "' is not a boolean");
    };
  }

  private static String text(Object value, ColumnType type) {
    var text = value instanceof BigDecimal d ? d.toPlainString() : value.toString();
    if (type.size() > 0 && text.length() > type.size()) {
      throw new IllegalArgumentException("text of " + text.length() + " characters is longer than the column's "
          + type.size());
    }
    return text;
  }
}
