package io.peersql.query.wire;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;

/** How one column's values travel in a row stream; the code is the byte on the wire. */
public enum WireType {
  LONG(1), DECIMAL(2), DOUBLE(3), DATE(4), TIMESTAMP(5), STRING(6), BOOLEAN(7);

  private final byte code;

  WireType(int code) {
    this.code = (byte) code;
  }

  byte code() {
    return code;
  }

  static WireType ofCode(byte code) {
    for (var type : values()) {
      if (type.code == code) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown wire type code " + code);
  }

  /** The wire type for a {@link java.sql.Types} code reported by the store. */
  public static WireType forJdbcType(int jdbcType) {
    return switch (jdbcType) {
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> LONG;
      case Types.DECIMAL, Types.NUMERIC -> DECIMAL;
      case Types.DOUBLE, Types.FLOAT, Types.REAL -> DOUBLE;
      case Types.DATE -> DATE;
      case Types.TIMESTAMP -> TIMESTAMP;
      case Types.BOOLEAN, Types.BIT -> BOOLEAN;
      default -> STRING;
    };
  }

  /**
   * A value of this type from its text: LONG a {@link Long}, DECIMAL a {@link BigDecimal}, DOUBLE
   * a {@link Double}, DATE a {@link LocalDate} (ISO), TIMESTAMP a {@link LocalDateTime} (ISO),
   * BOOLEAN a {@link Boolean}, STRING the text itself.
   */
  public Object parse(String text) {
    return switch (this) {
      case LONG -> Long.parseLong(text);
      case DECIMAL -> new BigDecimal(text);
      case DOUBLE -> Double.parseDouble(text);
      case DATE -> LocalDate.parse(text);
      case TIMESTAMP -> LocalDateTime.parse(text);
      case STRING -> text;
      case BOOLEAN -> Boolean.parseBoolean(text);
    };
  }

  /** The {@link java.sql.Types} code to bind a NULL of this type with. */
  public int jdbcType() {
    return switch (this) {
      case LONG -> Types.BIGINT;
      case DECIMAL -> Types.DECIMAL;
      case DOUBLE -> Types.DOUBLE;
      case DATE -> Types.DATE;
      case TIMESTAMP -> Types.TIMESTAMP;
      case STRING -> Types.VARCHAR;
      case BOOLEAN -> Types.BOOLEAN;
    };
  }
}
