package io.peersql.query.distributed;

import org.junit.jupiter.api.Tag;

/**
 * All 22 TPC-H queries over four peers at SF 0.1 give the answers of one database holding all.
 * Loading the 1.7 million rows (peers and reference) takes most of its time.
 */
@Tag("tpch")
class TpchQueriesScaleTenthTest extends TpchQueries {

  TpchQueriesScaleTenthTest() {
    super(0.1, 4);
  }
}
