"""Property: whatever the rows of a BACI file, every data row is either kept or reported once,
kept values are the file's thousand USD times 1,000, and the report's lines point at the rows."""

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.markets import storage
from guichet.markets.loaders import load_trade

codes = st.sampled_from(["251", "842", "4", "699", "999", "x", ""])
years = st.sampled_from(["2021", "1800", "20x1"])
values = st.one_of(
    st.floats(min_value=-10, max_value=1e6, allow_nan=False).map(lambda v: f"{v:.3f}"),
    st.just("NA"),
)
products = st.sampled_from(["10121", "010121", "847130", "12", "abcdef"])
rows = st.lists(st.tuples(years, codes, codes, products, values), min_size=1, max_size=30)


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows)
def test_every_row_is_kept_or_reported(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("baci")
    path = folder / "baci.csv"
    lines = [f'{t},{i},{j},{k},{v},"  1"' for t, i, j, k, v in rows]
    path.write_text("t,i,j,k,v,q\n" + "\n".join(lines) + "\n", encoding="utf-8")
    outcome = load_trade(fmt="baci", path=path, wet_run=False, report_to=folder / "r.csv")
    assert outcome.rows + outcome.rejected == len(rows)
    good = [r for r in rows if _valid(r)]
    assert outcome.rows == len(good)
    if outcome.rejected:
        reported = (
            duckdb.connect()
            .execute(
                "SELECT ligne, contenu FROM read_csv(?, all_varchar = true)",
                [str(folder / "r.csv")],
            )
            .fetchall()
        )
        for line, content in reported:
            assert content.split(",")[:5] == list(rows[int(line) - 2])
    assert not storage.trade_path("baci", 2021).exists()
    assert outcome.value_total == pytest.approx(sum(float(r[4]) * 1000 for r in good), abs=1e-3)


def _valid(row) -> bool:
    t, i, j, k, v = row
    known = {"251", "842", "4", "699"}
    return (
        t == "2021"
        and i in known
        and j in known
        and k.isdigit()
        and len(k) in (5, 6)
        and v != "NA"
        and float(v) >= 0
    )
