package io.peersql.query.distributed;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Converts rows as peers send them (see {@link io.peersql.query.wire.RowStreamReader}) into
 * Calcite's internal representation for the fragment's row type: dates as days since the epoch,
 * timestamps as milliseconds, integers of the declared width, decimals at the declared scale.
 */
final class RowConverter {

  private final SqlTypeName[] types;
  private final int[] scales;

  private RowConverter(SqlTypeName[] types, int[] scales) {
    this.types = types;
    this.scales = scales;
  }

  static RowConverter of(RelDataType rowType) {
    var fields = rowType.getFieldList();
    var types = new SqlTypeName[fields.size()];
    var scales = new int[fields.size()];
    for (int i = 0; i < types.length; i++) {
      var type = fields.get(i).getType();
      types[i] = type.getSqlTypeName();
      scales[i] = type.getSqlTypeName() == SqlTypeName.DECIMAL ? type.getScale() : 0;
    }
    return new RowConverter(types, scales);
  }

  int fieldCount() {
    return types.length;
  }

  /** Converts a row in place and returns it. */
  Object[] convert(Object[] row) {
    for (int i = 0; i < types.length; i++) {
      row[i] = convert(row[i], types[i], scales[i]);
    }
    return row;
  }

  private static Object convert(Object value, SqlTypeName type, int scale) {
    if (value == null) {
      return null;
    }
    return switch (type) {
      case BIGINT -> ((Number) value).longValue();
      case INTEGER -> ((Number) value).intValue();
      case SMALLINT -> ((Number) value).shortValue();
      case TINYINT -> ((Number) value).byteValue();
      case DOUBLE, FLOAT -> ((Number) value).doubleValue();
      case REAL -> ((Number) value).floatValue();
      case DECIMAL -> decimal(value).setScale(scale, RoundingMode.HALF_UP);
      case DATE -> (int) ((LocalDate) value).toEpochDay();
      case TIMESTAMP -> ((LocalDateTime) value).toInstant(ZoneOffset.UTC).toEpochMilli();
      case CHAR, VARCHAR -> value.toString();
      case BOOLEAN -> value;
      default -> value;
    };
  }

  private static BigDecimal decimal(Object value) {
    return switch (value) {
      case BigDecimal d -> d;
      case Long l -> BigDecimal.valueOf(l);
      case Double d -> BigDecimal.valueOf(d);
      default -> new BigDecimal(value.toString());
    };
  }
}
