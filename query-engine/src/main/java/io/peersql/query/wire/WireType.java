package io.peersql.query.wire;

import java.sql.Types;

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
}
