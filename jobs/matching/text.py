"""Chinese text for matching: jieba tokens and whole words, the certificate vocabulary, hours words,
and the texts that are encoded for vacancies and seekers. Pure Python (no Django, no database).

Occupations come from the occupation vocabulary (jobs/data/occupations.yaml, :mod:`jobs.matching.vocabulary`):
which occupations a text names (烧电焊 → 电焊工, 看大门 → 保安员), with look-alikes kept apart by
their own words (电焊 / 电工 / 电子厂; 保安 / 保洁 / 保姆; 叉车 / 铲车 / 货车). jieba gets all these
words as a domain dictionary, so tokens are whole words.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable, Sequence

from jobs.matching.vocabulary import vocabulary

# canonical certificate → words that name it. In free text only the words that say 证/照 (or a licence
# class) count (``certificates_in``); a certificate entry on a profile or vacancy is normalised with all
# of them (中式烹调师（初级）职业技能等级证书 → 厨师证).
CERTIFICATES: dict[str, tuple[str, ...]] = {
    "焊工证": ("焊工证", "电焊证", "焊接作业证", "熔化焊接"),
    "电工证": ("电工证", "低压电工", "高压电工", "电工作业证", "电工操作证", "电工进网证"),
    "叉车证": ("叉车证", "叉车司机证", "场内机动车辆"),
    "健康证": ("健康证",),
    "保安员证": ("保安员证", "保安证"),
    "护理员证": ("护理员证", "养老护理员证", "护工证", "养老护理员"),
    "厨师证": ("厨师证", "中式烹调师"),
    "驾驶证": ("驾驶证", "驾照", "A1", "A2", "A3", "B1", "B2", "C1", "C2"),
    "育婴员证": ("育婴员证", "育婴师证", "育婴师"),
    "保育员证": ("保育员证",),
    "高处作业证": ("高处作业证", "登高证", "高空作业证"),
    "消防设施操作员证": ("消防设施操作员证", "消防设施操作员", "消防证", "消控证"),
    "护士执业证": ("护士执业证", "护士证", "护士资格证"),
    "初级会计证": ("初级会计证", "会计证", "初级会计", "会计从业资格"),
    "挖掘机操作证": ("挖掘机操作证", "挖机证", "挖掘机证"),
    "装载机操作证": ("装载机操作证", "铲车证", "装载机证"),
    "农机驾驶证": ("农机驾驶证", "拖拉机驾驶证"),
    "教师资格证": ("教师资格证", "幼师证"),
}
_TEXT_CERTIFICATE = re.compile(r"证|照|^[ABC][123]$")

HOURS_WORDS: dict[str, tuple[str, ...]] = {
    "day": ("白班", "长白班", "常白班", "朝九晚五", "不上夜班", "不能上夜班", "只上白班", "白天"),
    "night": ("夜班", "晚班", "值夜"),
    "shift": ("倒班", "三班倒", "两班倒", "轮班", "三班", "两班"),
    "flexible": ("灵活", "钟点", "非全日制", "兼职", "小时工", "半天"),
}
HOURS_LABELS = {"day": "白班", "night": "夜班", "shift": "倒班", "flexible": "灵活/非全日制"}
# Hours a person who says "不上夜班" must not be offered.
NEGATED_HOURS = {"night": ("不上夜班", "不能上夜班", "不值夜", "只上白班", "不倒夜班", "只能白班", "只能上白班"),
                 "shift": ("不倒班", "不能倒班", "只上白班", "只能白班", "只能上白班")}
# Skills and tools that must stay whole words (jieba): reasons quote them, never a fragment of them.
SKILL_WORDS = ("二保焊", "氩弧焊", "手工焊", "电弧焊", "线路板", "流水线", "收银机", "叉车证", "理货员", "收银员",
               "售货员", "营业员", "驾驶员", "配送员", "分拣员", "保洁员", "保安员", "护理员", "育婴员", "保育员",
               "服务员", "传菜员", "操作员", "质检员", "仓管员", "办公软件", "长白班", "常白班", "两班倒", "三班倒",
               "四班三倒", "健康证", "保安员证", "焊工证", "电工证", "驾驶证", "登高证", "包吃住", "包吃包住",
               "计件", "日结", "月结", "五险一金", "钢结构", "不锈钢", "配电房", "配电柜", "脚手架", "打荷", "切配",
               "砌墙", "贴瓷砖", "刮腻子", "乳胶漆", "挖掘机", "装载机", "铲车", "叉车", "货车", "厢货", "电动车",
               "电动三轮", "外卖", "快递", "驿站", "月嫂", "育儿嫂", "保姆", "钟点工", "护工", "陪护", "陪床")

_jieba_lock = threading.Lock()
_jieba_ready = False
_STOP = {"的", "了", "和", "与", "及", "或", "在", "有", "是", "我", "你", "他", "她", "会", "能", "做", "过", "要", "可", "等", "人", "个", "年", "月", "日", "元", "以上", "以下", "左右", "，", "。", "、", "；", "：", "（", "）", "(", ")", ",", ".", ";", ":", "/", "-"}
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)


def _jieba():
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(60)
                for word in dictionary_words():
                    jieba.add_word(word, freq=20000)
                jieba.initialize()
                _jieba_ready = True
    return jieba


def words(text: str) -> list[str]:
    """Whole words (jieba precise mode with the domain dictionary), lower-cased, without stop words:
    what reasons may quote."""
    if not text:
        return []
    jieba = _jieba()
    out = []
    for token in jieba.cut(text.lower(), HMM=False):
        token = token.strip()
        if len(token) < 2 or token in _STOP or _PUNCT.match(token):
            continue
        out.append(token)
    return out


def tokenize(text: str) -> list[str]:
    """jieba search-mode tokens (words and their sub-words), lower-cased, without stop words."""
    if not text:
        return []
    jieba = _jieba()
    tokens = []
    for token in jieba.cut_for_search(text.lower()):
        token = token.strip()
        if not token or token in _STOP or _PUNCT.match(token):
            continue
        tokens.append(token)
    return tokens


def dictionary_words() -> list[str]:
    """The domain dictionary jieba gets: occupations (names and everyday words), certificates, hours
    and skill words — so a token is a whole word (流水线, 理货员), never a fragment (水线, 货员)."""
    words = {*vocabulary().words(), *CERTIFICATES, *SKILL_WORDS}
    for group in (*CERTIFICATES.values(), *HOURS_WORDS.values()):
        words.update(group)
    return sorted(w for w in words if len(w) >= 2 and not w.isascii())


def certificates_in(text: str) -> list[str]:
    """Canonical certificates a free text names ("有电焊证" → ["焊工证"], "C1驾照" → ["驾驶证"]): only
    words that say 证/照, so "想做养老护理员" names no certificate."""
    text = text or ""
    found = []
    for canonical, words in CERTIFICATES.items():
        if canonical in text or any(_TEXT_CERTIFICATE.search(w) and w in text for w in words):
            found.append(canonical)
    return found


def normalise_certificates(values: Iterable[str]) -> list[str]:
    """Canonical names for a list of certificate entries; unknown entries are kept as written."""
    result: list[str] = []
    for value in values or ():
        value = str(value).strip()
        if not value:
            continue
        found = [c for c, words in CERTIFICATES.items() if c in value or any(w in value for w in words)] or [value]
        for item in found:
            if item not in result:
                result.append(item)
    return result


def occupations_in(text: str) -> list[str]:
    """Canonical occupations (jobs/data/occupations.yaml) a text names, negated ones left out:
    "烧过电焊" → 电焊工, "在电子厂做过线路板焊接" → 电子装配工 (not 电焊工), "不想再干保安" → none."""
    return vocabulary().occupations_in(text or "")


def normalise_occupation(value: str) -> str:
    """The canonical occupation for a staff-entered occupation (or the value as written)."""
    value = (value or "").strip()
    if not value:
        return value
    codes = vocabulary().code_vacancy(occupation=value)
    return codes[0] if codes else value


def occupation_code(name: str) -> str:
    """The 职业分类大典 code of a canonical occupation ("" when it is not in the vocabulary)."""
    occupation = vocabulary().get(name)
    return occupation.code if occupation else ""


def hours_in(text: str) -> tuple[list[str], list[str]]:
    """(hours a text asks for, hours it rules out)."""
    text = text or ""
    ruled_out = [hours for hours, words in NEGATED_HOURS.items() if any(w in text for w in words)]
    cleaned = text
    for words in NEGATED_HOURS.values():
        for word in words:
            cleaned = cleaned.replace(word, "")
    wanted = [hours for hours, words in HOURS_WORDS.items() if any(w in cleaned for w in words)]
    if any(w in text for w in ("只上白班", "不上夜班", "不能上夜班")) and "day" not in wanted:
        wanted.append("day")
    return [h for h in wanted if h not in ruled_out], ruled_out


def vacancy_text(*, title: str, occupation: str = "", description: str = "", requirements: str = "",
                 certificates: Sequence[str] = (), hours_label: str = "") -> str:
    """The text encoded for a vacancy (title first: the model truncates long inputs)."""
    parts = [title]
    if occupation and occupation not in title:
        parts.append(f"职业：{occupation}")
    if description:
        parts.append(description)
    if requirements:
        parts.append(f"要求：{requirements}")
    if certificates:
        parts.append("证书：" + "、".join(certificates))
    if hours_label:
        parts.append(f"班次：{hours_label}")
    return "。".join(p.strip("。 ") for p in parts if p)


def seeker_text(*, skills: str = "", experience: str = "", desired_occupations: Sequence[str] = (),
                certificates: Sequence[str] = ()) -> str:
    """The text encoded for a seeker profile: what they want and can do."""
    parts = []
    if desired_occupations:
        parts.append("求职意向：" + "、".join(desired_occupations))
    if skills:
        parts.append(skills)
    if experience:
        parts.append(experience)
    if certificates:
        parts.append("持有证书：" + "、".join(certificates))
    return "。".join(p.strip("。 ") for p in parts if p)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
