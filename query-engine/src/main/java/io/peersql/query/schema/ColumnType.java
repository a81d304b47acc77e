package io.peersql.query.schema;

/** The SQL types a global-schema column may have; each maps to one Calcite and one store type. */
public enum ColumnType {
  BIGINT, INTEGER, DECIMAL, DOUBLE, DATE, TIMESTAMP, VARCHAR, BOOLEAN
}
