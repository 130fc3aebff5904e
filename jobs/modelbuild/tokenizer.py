"""The Hugging Face ``tokenizers`` Unigram tokenizer equivalent to the bundled one."""


from __future__ import annotations

from jobs.modelbuild.source import METASPACE, PLACEHOLDER_BASE, E5S1Model

# --------------------------------------------------------------------------- tokenizer


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
