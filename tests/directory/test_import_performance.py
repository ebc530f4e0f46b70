"""A roster of thousands of rows imports in a handful of queries, not a few per row."""

from liaison.directory.models import Deputy

from .importfiles import DEPUTY_HEADER, STATION_HEADER, run, xlsx

N = 1200  # more than two write batches
# Writes are batched (SQLite takes ~60 rows per INSERT); one query per row would be N or more.
PER_ROW_WOULD_BE = N


def test_queries_do_not_grow_with_the_number_of_rows(district, django_assert_max_num_queries):
    stations = [STATION_HEADER] + [
        [f"S{i}", f"站{i}", "联络室", "330106001001", "", "", "", ""] for i in range(N)
    ]
    deputies = [DEPUTY_HEADER] + [
        [f"D{i}", f"代表{i}", "乡镇", "第十届", "330106001000", "", f"S{i}、S{(i + 1) % N}"]
        for i in range(N)
    ]

    with django_assert_max_num_queries(PER_ROW_WOULD_BE // 10):
        assert run("station", xlsx(stations), "stations.xlsx", dry_run=False).created == N
    with django_assert_max_num_queries(PER_ROW_WOULD_BE // 10):
        assert run("deputy", xlsx(deputies), "deputies.xlsx", dry_run=False).created == N
    # Re-import with every deputy moved: updates and station changes, still in bulk.
    for row in deputies[1:]:
        row[6] = row[6].split("、")[0]
    with django_assert_max_num_queries(PER_ROW_WOULD_BE // 10):
        assert run("deputy", xlsx(deputies), "deputies.xlsx", dry_run=False).updated == N

    assert Deputy.objects.get(code="D7").stations.get().code == "S7"
