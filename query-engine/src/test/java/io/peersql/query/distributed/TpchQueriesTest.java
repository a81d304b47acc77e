package io.peersql.query.distributed;

import org.junit.jupiter.api.Tag;

/** All 22 TPC-H queries over three peers at SF 0.01 give the answers of one database holding all. */
@Tag("tpch")
class TpchQueriesTest extends TpchQueries {

  TpchQueriesTest() {
    super(0.01, 3);
  }
}
