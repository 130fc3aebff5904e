"""The on-disk index: versioned snapshots, atomic swap, reload in another process, concurrent writers."""

import json
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from jobs.matching.index import IndexedVacancy, IndexStore
from jobs.matching.ranking import MatchQuery, rank


def unit(seed, dim=384):
    vector = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return vector / np.linalg.norm(vector)


def record(i, region="341125101", tokens=("电焊",)):
    return IndexedVacancy(id=i, region_codes=["341125", region], township="炉桥镇", occupation="电焊工",
                          certificates=[], hours="day", tokens=list(tokens), vector=unit(i))


def test_apply_remove_and_reload_from_disk(tmp_path):
    store = IndexStore(tmp_path)
    assert store.snapshot().size == 0
    store.apply(upserts=[record(i) for i in range(1, 6)], model="m")
    assert sorted(store.snapshot().ids.tolist()) == [1, 2, 3, 4, 5]
    store.apply(upserts=[record(3, region="341125100")], removals=[5])
    snapshot = store.snapshot()
    assert sorted(snapshot.ids.tolist()) == [1, 2, 3, 4]
    assert snapshot.docs[snapshot.position[3]].region_codes == ["341125", "341125100"]
    # A new store (another process after a restart) reads the same snapshot from disk.
    again = IndexStore(tmp_path).snapshot()
    assert sorted(again.ids.tolist()) == [1, 2, 3, 4] and again.model == "m"
    # The nearest neighbour of vacancy 2's own vector is vacancy 2; the region filter applies.
    query = MatchQuery(vector=unit(2), tokens=[])
    assert rank(again, query, k=1, signal="semantic")[0].id == 2
    assert [r.id for r in rank(again, query, k=5, region_code="341125100", signal="semantic")] == [3]
    # Old versions are cleaned up, a few are kept for readers in flight.
    assert len(list((tmp_path / "vacancies").glob("v*.faiss"))) <= 3


def test_concurrent_writers_lose_no_update(tmp_path):
    store = IndexStore(tmp_path)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: IndexStore(tmp_path).apply(upserts=[record(i)]), range(1, 41)))
    assert sorted(store.snapshot().ids.tolist()) == list(range(1, 41))


def test_another_process_sees_the_swap(tmp_path):
    store = IndexStore(tmp_path)
    store.apply(upserts=[record(1)])
    assert store.snapshot().size == 1
    script = textwrap.dedent(f"""
        import numpy as np
        from jobs.matching.index import IndexStore, IndexedVacancy
        v = np.ones(384, dtype=np.float32) / np.sqrt(384)
        IndexStore({str(tmp_path)!r}).apply(upserts=[IndexedVacancy(id=99, region_codes=["341125"], vector=v)])
    """)
    subprocess.run([sys.executable, "-c", script], check=True, cwd=str(__import__("pathlib").Path(__file__).parents[3]))
    assert sorted(store.snapshot().ids.tolist()) == [1, 99]  # this process reloads on the next read
    info = json.loads((tmp_path / "vacancies" / "CURRENT").read_text())
    assert info["count"] == 2
