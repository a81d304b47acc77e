package io.peersql.bootstrap.schema;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A column type of a global schema, in the SQL subset every peer store supports, and the rule
 * of which types a column may be widened to without losing or reinterpreting stored values.
 *
 * @param name the type's name: BOOLEAN, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DECIMAL,
 *     CHAR, VARCHAR, DATE, TIME or TIMESTAMP
 * @param size the length of CHAR/VARCHAR, the precision of DECIMAL, else 0
 * @param scale the scale of DECIMAL, else 0
 */
public record SqlType(String name, int size, int scale) {

  private static final Pattern SYNTAX = Pattern.compile(
      "\\s*([A-Za-z]+(?: PRECISION)?)\\s*(?:\\(\\s*(\\d{1,6})\\s*(?:,\\s*(\\d{1,6})\\s*)?\\))?\\s*");
  private static final List<String> PLAIN = List.of("BOOLEAN", "SMALLINT", "INTEGER", "BIGINT", "REAL", "DOUBLE",
      "DATE", "TIME", "TIMESTAMP");
  private static final int MAX_LENGTH = 65_535;
  private static final int MAX_PRECISION = 38;

  /** Parses a type such as {@code VARCHAR(25)} or {@code DECIMAL(15,2)}, or says why it cannot. */
  public static Parsed parse(String text) {
    var matcher = SYNTAX.matcher(text == null ? "" : text);
    if (!matcher.matches()) {
      return Parsed.error("'" + text + "' is not a type; use one of " + String.join(", ", PLAIN)
          + ", CHAR(n), VARCHAR(n), DECIMAL(p,s)");
    }
    var name = matcher.group(1).toUpperCase(Locale.ROOT);
    name = switch (name) {
      case "INT" -> "INTEGER";
      case "DOUBLE PRECISION", "FLOAT" -> "DOUBLE";
      case "NUMERIC" -> "DECIMAL";
      default -> name;
    };
    var first = matcher.group(2);
    var second = matcher.group(3);
    if (PLAIN.contains(name)) {
      return first == null ? Parsed.ok(new SqlType(name, 0, 0)) : Parsed.error(name + " takes no size");
    }
    return switch (name) {
      case "CHAR", "VARCHAR" -> {
        if (first == null || second != null) {
          yield Parsed.error(name + " needs a length, as in " + name + "(25)");
        }
        int length = Integer.parseInt(first);
        yield length < 1 || length > MAX_LENGTH
            ? Parsed.error(name + " length must be 1 to " + MAX_LENGTH + ", got " + length)
            : Parsed.ok(new SqlType(name, length, 0));
      }
      case "DECIMAL" -> {
        if (first == null) {
          yield Parsed.error("DECIMAL needs a precision and scale, as in DECIMAL(15,2)");
        }
        int precision = Integer.parseInt(first);
        int scale = second == null ? 0 : Integer.parseInt(second);
        yield precision < 1 || precision > MAX_PRECISION || scale > precision
            ? Parsed.error("DECIMAL(p,s) needs 1 <= p <= " + MAX_PRECISION + " and 0 <= s <= p, got " + text.trim())
            : Parsed.ok(new SqlType(name, precision, scale));
      }
      default -> Parsed.error("'" + text + "' is not a supported type; use one of " + String.join(", ", PLAIN)
          + ", CHAR(n), VARCHAR(n), DECIMAL(p,s)");
    };
  }

  /** The type as written in a schema: {@code VARCHAR(25)}, {@code DECIMAL(15,2)}, {@code DATE}. */
  @Override
  public String toString() {
    return switch (name) {
      case "CHAR", "VARCHAR" -> name + "(" + size + ")";
      case "DECIMAL" -> name + "(" + size + "," + scale + ")";
      default -> name;
    };
  }

  /**
   * Whether every value of this type is a value of {@code wider} with the same meaning: longer
   * strings, larger integers, decimals with at least as many integer and fraction digits,
   * REAL to DOUBLE.
   */
  public boolean widensTo(SqlType wider) {
    if (equals(wider)) {
      return true;
    }
    return switch (name) {
      case "SMALLINT", "INTEGER", "BIGINT" -> switch (wider.name) {
        case "SMALLINT", "INTEGER", "BIGINT" -> integerDigits(wider.name) >= integerDigits(name);
        case "DECIMAL" -> wider.size - wider.scale >= integerDigits(name);
        default -> false;
      };
      case "DECIMAL" -> wider.name.equals("DECIMAL") && wider.scale >= scale
          && wider.size - wider.scale >= size - scale;
      case "REAL" -> wider.name.equals("DOUBLE");
      case "CHAR" -> (wider.name.equals("CHAR") || wider.name.equals("VARCHAR")) && wider.size >= size;
      case "VARCHAR" -> wider.name.equals("VARCHAR") && wider.size >= size;
      default -> false;
    };
  }

  private static int integerDigits(String integerType) {
    return switch (integerType) {
      case "SMALLINT" -> 5;
      case "INTEGER" -> 10;
      default -> 19;
    };
  }

  /** The outcome of {@link #parse}: a type or an error message. */
  public record Parsed(Optional<SqlType> type, String error) {

    static Parsed ok(SqlType type) {
      return new Parsed(Optional.of(type), null);
    }

    static Parsed error(String error) {
      return new Parsed(Optional.empty(), error);
    }
  }
}
