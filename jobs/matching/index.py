"""The FAISS index of open vacancies, kept on disk as versioned snapshots with an atomic swap.

Layout under ``settings.MATCH_INDEX_DIR``::

    vacancies/v00000001732849000000000.faiss    IndexIDMap2(IndexFlatIP) of unit float32 vectors
    vacancies/v00000001732849000000000.jsonl    one line per vacancy: id, region codes, features, tokens
    vacancies/CURRENT                           {"version": ..., "model": ..., "count": ...}
    vacancies/.lock                             writers hold an exclusive flock while they write

Writers (Celery tasks, the rebuild command) take the lock, start from the current snapshot, write a
new version under temporary names, ``os.replace`` them into place, then replace ``CURRENT`` — so a
reader in any process sees either the old snapshot or the new one, never a half-written file.
Readers never lock: each process caches the loaded snapshot and re-reads ``CURRENT`` (a stat and a
tiny read) on every search, loading a new version when it changed. Old versions are deleted after
a few newer ones exist, so a reader that read ``CURRENT`` just before a swap can still open its files.

The snapshot holds only open vacancies; the database remains the truth (search re-checks status
and closing date of the results), so a stale snapshot can hide a new vacancy but never show a
closed one.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import faiss
import numpy as np

from jobs.matching.lexical import BM25
from jobs.matching.limits import VacancyDemands

logger = logging.getLogger(__name__)

DIM = 384
KEEP_VERSIONS = 3
SUBDIR = "vacancies"


@dataclass
class IndexedVacancy:
    """What the ranking needs about one open vacancy, besides its vector."""

    id: int
    region_codes: list[str]          # the codes on the region's path (county, township, …)
    township: str = ""               # display name of the vacancy's township (or county)
    occupation: str = ""             # canonical occupation (jobs/data/occupations.yaml) or as written
    certificates: list[str] = field(default_factory=list)
    hours: str = ""
    tokens: list[str] = field(default_factory=list)   # jieba search-mode tokens (BM25)
    vector: np.ndarray | None = None
    occupations: list[str] = field(default_factory=list)   # coded occupations, primary first
    occupation_code: str = ""        # 职业分类大典 code of the primary occupation
    words: list[str] = field(default_factory=list)    # whole words (reasons quote these)
    demands: dict = field(default_factory=dict)       # limits.VacancyDemands.as_meta()

    def meta(self) -> dict:
        data = {"id": self.id, "r": self.region_codes, "t": self.township, "o": self.occupation,
                "c": self.certificates, "h": self.hours, "k": self.tokens}
        if self.occupations:
            data["oc"] = self.occupations
        if self.occupation_code:
            data["code"] = self.occupation_code
        if self.words:
            data["w"] = self.words
        if self.demands:
            data["d"] = self.demands
        return data

    @classmethod
    def from_meta(cls, data: dict) -> IndexedVacancy:
        return cls(id=int(data["id"]), region_codes=data["r"], township=data["t"], occupation=data["o"],
                   certificates=data["c"], hours=data["h"], tokens=data["k"],
                   occupations=data.get("oc") or ([data["o"]] if data.get("o") else []),
                   occupation_code=data.get("code", ""), words=data.get("w") or [], demands=data.get("d") or {})


class Snapshot:
    """One loaded version: the FAISS index, per-vacancy features aligned with it, and BM25."""

    def __init__(self, index: faiss.Index, docs: list[IndexedVacancy], *, version: int = 0, model: str = ""):
        self.index = index
        self.version = version
        self.model = model
        ids = faiss.vector_to_array(index.id_map).astype(np.int64) if index.ntotal else np.zeros(0, np.int64)
        by_id = {doc.id: doc for doc in docs}
        self.docs = [by_id[int(i)] for i in ids]
        self.ids = ids
        self.position = {int(i): p for p, i in enumerate(ids)}
        self.lexical = BM25([doc.tokens for doc in self.docs])
        self._vectors: np.ndarray | None = None
        self._by_region: dict[str, np.ndarray] = {}
        region_positions: dict[str, list[int]] = {}
        for p, doc in enumerate(self.docs):
            for code in doc.region_codes:
                region_positions.setdefault(code, []).append(p)
        self._by_region = {code: np.asarray(pos, dtype=np.int64) for code, pos in region_positions.items()}
        occupation_positions: dict[str, list[int]] = {}
        for p, doc in enumerate(self.docs):
            for name in doc.occupations or ([doc.occupation] if doc.occupation else []):
                occupation_positions.setdefault(name, []).append(p)
        self._by_occupation = {name: np.asarray(pos, dtype=np.int64) for name, pos in occupation_positions.items()}
        self._demands: list | None = None
        self._cosine_sample: np.ndarray | None = None

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    def vectors(self) -> np.ndarray:
        """A (size, dim) view of the stored vectors (no copy; the snapshot is never changed in place)."""
        if self._vectors is None or len(self._vectors) != self.size:
            flat = faiss.downcast_index(self.index.index)
            if self.size == 0:
                return np.zeros((0, self.index.d), dtype=np.float32)
            self._vectors = faiss.rev_swig_ptr(flat.get_xb(), self.size * self.index.d).reshape(
                self.size, self.index.d)
        return self._vectors

    def positions_in_region(self, code: str) -> np.ndarray:
        return self._by_region.get(code, np.zeros(0, dtype=np.int64))

    def positions_of_occupation(self, name: str) -> np.ndarray:
        return self._by_occupation.get(name, np.zeros(0, dtype=np.int64))

    def demands(self, position: int) -> VacancyDemands:
        """The parsed demands of the vacancy at ``position`` (parsed once)."""
        if self._demands is None:
            self._demands = [None] * len(self.docs)
        parsed = self._demands[position]
        if parsed is None:
            parsed = self._demands[position] = VacancyDemands.from_meta(self.docs[position].demands)
        return parsed

    def cosine_sample(self, limit: int = 1000) -> np.ndarray:
        """Up to ``limit`` stored vectors spread over the snapshot: the reference a query's cosines are
        compared with (how far above the typical vacancy a candidate lies)."""
        if self._cosine_sample is None:
            vectors = self.vectors()
            step = max(1, len(vectors) // limit)
            self._cosine_sample = np.ascontiguousarray(vectors[::step][:limit])
        return self._cosine_sample

    def records(self) -> list[IndexedVacancy]:
        return list(self.docs)


def empty_index(dim: int = DIM) -> faiss.IndexIDMap2:
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


def build_snapshot(records: Sequence[IndexedVacancy], *, dim: int = DIM, version: int = 0, model: str = "") -> Snapshot:
    """An in-memory snapshot (also used by the evaluation command and the benchmark)."""
    index = empty_index(dim)
    if records:
        vectors = np.ascontiguousarray(np.stack([r.vector for r in records]).astype(np.float32))
        index.add_with_ids(vectors, np.asarray([r.id for r in records], dtype=np.int64))
    return Snapshot(index, list(records), version=version, model=model)


# ---------------------------------------------------------------------- on-disk store


class IndexStore:
    """The versioned snapshot files in one folder, and this process's cached copy."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root) / SUBDIR
        self._cached: Snapshot | None = None
        self._cached_key: tuple | None = None
        self._lock = threading.Lock()

    # -- reading

    @property
    def current_file(self) -> Path:
        return self.root / "CURRENT"

    def current_info(self) -> dict | None:
        try:
            return json.loads(self.current_file.read_text())
        except FileNotFoundError:
            return None

    def snapshot(self) -> Snapshot:
        """The current snapshot (cached per process; reloaded when CURRENT changes)."""
        try:
            stat = self.current_file.stat()
            key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except FileNotFoundError:
            key = None
        if key is not None and key == self._cached_key and self._cached is not None:
            return self._cached
        with self._lock:
            if key is not None and key == self._cached_key and self._cached is not None:
                return self._cached
            for _attempt in range(3):
                info = self.current_info()
                if info is None:
                    snapshot = Snapshot(empty_index(), [], version=0)
                    break
                try:
                    snapshot = self._read(info)
                    break
                except FileNotFoundError:  # swapped and cleaned under us: read CURRENT again
                    time.sleep(0.05)
            else:
                raise RuntimeError("match index files keep disappearing while loading")
            self._cached, self._cached_key = snapshot, key
            return snapshot

    def _paths(self, version: int) -> tuple[Path, Path]:
        stem = f"v{version:025d}"
        return self.root / f"{stem}.faiss", self.root / f"{stem}.jsonl"

    def _read(self, info: dict) -> Snapshot:
        started = time.perf_counter()
        index_path, meta_path = self._paths(int(info["version"]))
        index = faiss.read_index(str(index_path))
        with open(meta_path, encoding="utf-8") as handle:
            docs = [IndexedVacancy.from_meta(json.loads(line)) for line in handle if line.strip()]
        snapshot = Snapshot(index, docs, version=int(info["version"]), model=info.get("model", ""))
        logger.info("match index v%s loaded: %s vacancies in %.2f s", snapshot.version, snapshot.size,
                    time.perf_counter() - started)
        return snapshot

    # -- writing

    @contextlib.contextmanager
    def write_lock(self):
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def replace_all(self, records: Sequence[IndexedVacancy], *, model: str = "", dim: int = DIM) -> dict:
        """Write a snapshot holding exactly ``records`` (the rebuild)."""
        with self.write_lock():
            index = empty_index(dim)
            if records:
                vectors = np.ascontiguousarray(np.stack([r.vector for r in records]).astype(np.float32))
                index.add_with_ids(vectors, np.asarray([r.id for r in records], dtype=np.int64))
            return self._publish(index, {r.id: r for r in records}, model=model)

    def apply(self, *, upserts: Iterable[IndexedVacancy] = (), removals: Iterable[int] = (), model: str = "",
              dim: int = DIM) -> dict:
        """Add or replace some vacancies and remove others, as one new version."""
        upserts = list(upserts)
        removals = {int(i) for i in removals}
        with self.write_lock():
            info = self.current_info()
            if info is None:
                index, docs = empty_index(dim), {}
            else:
                current = self._read(info)
                index = current.index  # freshly read: ours to change
                docs = {doc.id: doc for doc in current.docs}
            drop = removals | {r.id for r in upserts}
            present = [i for i in drop if i in docs]
            if present:
                index.remove_ids(np.asarray(present, dtype=np.int64))
                for i in present:
                    docs.pop(i, None)
            if upserts:
                vectors = np.ascontiguousarray(np.stack([r.vector for r in upserts]).astype(np.float32))
                index.add_with_ids(vectors, np.asarray([r.id for r in upserts], dtype=np.int64))
                docs.update({r.id: r for r in upserts})
            return self._publish(index, docs, model=model or (info or {}).get("model", ""))

    def _publish(self, index: faiss.Index, docs: dict[int, IndexedVacancy], *, model: str) -> dict:
        previous = self.current_info()
        version = max(time.time_ns(), int(previous["version"]) + 1 if previous else 0)
        index_path, meta_path = self._paths(version)
        ids = faiss.vector_to_array(index.id_map) if index.ntotal else []
        tmp_index = index_path.with_suffix(".faiss.tmp")
        tmp_meta = meta_path.with_suffix(".jsonl.tmp")
        faiss.write_index(index, str(tmp_index))
        with open(tmp_meta, "w", encoding="utf-8") as handle:
            for i in ids:
                handle.write(json.dumps(docs[int(i)].meta(), ensure_ascii=False))
                handle.write("\n")
        os.replace(tmp_index, index_path)
        os.replace(tmp_meta, meta_path)
        info = {"version": version, "model": model, "count": int(index.ntotal), "dim": int(index.d)}
        tmp_current = self.current_file.with_suffix(".tmp")
        tmp_current.write_text(json.dumps(info))
        os.replace(tmp_current, self.current_file)
        self._cleanup(keep=version)
        return info

    def _cleanup(self, keep: int) -> None:
        versions = sorted({int(p.stem[1:]) for p in self.root.glob("v*.faiss")})
        for version in versions[:-KEEP_VERSIONS]:
            if version == keep:
                continue
            for path in self._paths(version):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()


_stores: dict[str, IndexStore] = {}
_stores_lock = threading.Lock()


def get_store(root: str | os.PathLike | None = None) -> IndexStore:
    """The process-wide store for ``root`` (default ``settings.MATCH_INDEX_DIR``)."""
    if root is None:
        from django.conf import settings

        root = settings.MATCH_INDEX_DIR
    key = str(Path(root).absolute())
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = IndexStore(key)
        return store
