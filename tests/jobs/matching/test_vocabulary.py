"""The occupation vocabulary (jobs/data/occupations.yaml) and occupation coding of free text."""

import pytest
import yaml

from jobs.matching.text import certificates_in, normalise_occupation, occupations_in, tokenize, words
from jobs.matching.vocabulary import (
    DATA_FILE,
    code_seeker_text,
    code_vacancy_text,
    load_vocabulary,
    valid_code,
    vocabulary,
)


def test_the_file_is_consistent_and_states_its_source():
    header = DATA_FILE.read_text(encoding="utf-8").split("occupations:")[0]
    assert "职业分类大典" in header and "2022" in header and "confidence" in header
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    names = [row["name"] for row in data["occupations"]]
    assert len(names) == len(set(names)) >= 80
    vocab = load_vocabulary()  # raises on an unknown related occupation or a duplicate
    for occupation in vocab.occupations.values():
        assert valid_code(occupation.code), occupation
        assert occupation.confidence in {"high", "medium", "low"}
        assert occupation.colloquial, occupation.name
    # the codes we are sure of (printed on national skill standards)
    sure = {o.name: o.code for o in vocab.occupations.values() if o.confidence == "high"}
    assert sure.items() >= {"电焊工": "6-18-02-04", "电工": "6-31-01-03", "保安员": "4-07-05-01",
                            "养老护理员": "4-10-01-05"}.items()


@pytest.mark.parametrize(("text", "expected"), [
    ("会开叉车", ["叉车司机"]),
    ("烧了五六年电焊", ["电焊工"]),
    ("会开铲车", ["装载机司机"]),            # 铲车 is a loader, not a forklift
    ("看大门", ["保安员"]),
    ("在电子厂做过线路板焊接", ["电子装配工"]),  # soldering boards is not welding
    ("想做保洁", ["保洁员"]),
    ("跑快递", ["快递员"]),
    ("后厨打杂", ["帮厨"]),
    ("幼儿园阿姨", ["保育员"]),
    ("不想再干保安了，想做保洁", ["保洁员"]),    # negated: 不想再干保安
    ("晚上要带孩子，想找保洁", ["保洁员"]),      # 带孩子 here is a duty, not the trade
    ("带过孩子，想找带孩子的活", ["育婴员"]),
    ("养老保险怎么交", []),                  # 养老保险 is not 养老护理
    ("今天天气怎么样", []),
])
def test_occupations_in_free_text(text, expected):
    assert occupations_in(text) == expected


def test_vacancy_coding_prefers_what_staff_entered_then_formal_names_in_the_title():
    # the occupation field first; formal names in the title are added, workplace words are not
    assert vocabulary().code_vacancy(occupation="厨师", title="食堂帮厨") == ["厨师", "帮厨"]
    assert vocabulary().code_vacancy(occupation="电焊工", title="盐化园区设备维修公司招电焊工") == ["电焊工"]
    assert vocabulary().code_vacancy(title="小区招保安 24小时轮班") == ["保安员"]
    assert code_vacancy_text(title="物流园叉车工", occupation="") == vocabulary().get("叉车司机").code
    assert code_vacancy_text(title="招人", occupation="") == ""
    assert normalise_occupation("门卫") == "保安员" and normalise_occupation("烧焊") == "电焊工"
    assert normalise_occupation("宇航员") == "宇航员"  # unknown: kept as written


def test_seeker_coding_from_desired_occupations_then_skills():
    codes = code_seeker_text(desired=["保洁员"], skills="以前在饭店洗碗")
    assert codes == [vocabulary().get("保洁员").code, vocabulary().get("洗碗工").code]


@pytest.mark.parametrize("code,ok", [("6-18-02-04", True), ("4-03-02", True), ("4-03", True), ("9-01", False),
                                     ("6-18-2-04", False), ("焊工", False), ("", False)])
def test_code_format(code, ok):
    assert valid_code(code) is ok


def test_words_are_whole_never_fragments():
    """jieba gets the domain dictionary: reasons quote 流水线 and 理货员, never 水线 or 货员."""
    assert words("超市理货员，全天站立") == ["超市理货员", "全天", "站立"]
    assert words("招理货员") == ["理货员"]  # one-character words are not quoted
    assert "流水线" in words("流水线组装") and "水线" not in words("流水线组装")
    assert "二保焊" in words("会二保焊和氩弧焊") and "氩弧焊" in words("会二保焊和氩弧焊")
    # search tokens keep sub-words for recall (BM25), reasons never use them
    assert "叉车" in tokenize("会开叉车")


def test_certificates_in_free_text_need_a_word_that_says_certificate():
    assert certificates_in("想做养老护理员") == []
    assert certificates_in("有养老护理员证") == ["护理员证"]
    assert certificates_in("有C1驾照") == ["驾驶证"]
    assert certificates_in("电焊证过期了") == ["焊工证"]
