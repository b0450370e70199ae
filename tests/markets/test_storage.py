from guichet.markets import storage


def test_make_trade_writes_a_year_duckdb_reads_back(make_trade):
    dataset = make_trade([("FRA", "DEU", "220421", 1000.0), ("DEU", "FRA", "870323", 5.5)])
    con = storage.connect()
    rows = con.execute(
        "SELECT exporter, product, value FROM read_parquet(?) ORDER BY 1",
        [str(storage.absolute(dataset.path))],
    ).fetchall()
    assert rows == [("DEU", "870323", 5.5), ("FRA", "220421", 1000.0)]
    assert dataset.value_total == 1005.5
