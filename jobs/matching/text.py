"""Chinese text for matching: jieba tokens, the certificate and occupation vocabulary, and the
texts that are encoded for vacancies and seekers. Pure Python (no Django, no database).

The vocabulary turns free text into structured signals: which certificates (焊工证, 电工证 …) and
which occupations (电焊工, 电工, 电子装配工 …) a text names, and which hours (白班/夜班/倒班).
Look-alike words are kept apart on purpose: 电焊 is welding, 电工 electrician, 电子 electronics
assembly; 保安 security, 保洁 cleaning; 物业维修 building maintenance, 电脑维修 computer repair.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable, Sequence

# canonical certificate → words that name it
CERTIFICATES: dict[str, tuple[str, ...]] = {
    "焊工证": ("焊工证", "电焊证", "焊接作业证", "熔化焊接"),
    "电工证": ("电工证", "低压电工", "高压电工", "电工作业证", "电工操作证"),
    "叉车证": ("叉车证", "叉车司机证", "场内机动车辆"),
    "健康证": ("健康证",),
    "保安员证": ("保安员证", "保安证"),
    "护理员证": ("护理员证", "养老护理员证", "护工证", "养老护理员"),
    "厨师证": ("厨师证", "中式烹调师"),
    "驾驶证": ("驾驶证", "驾照", "A2", "B2", "C1"),
    "育婴员证": ("育婴员证", "育婴师"),
    "高处作业证": ("高处作业证", "登高证"),
    "消防设施操作员证": ("消防设施操作员", "消防证"),
}

# canonical occupation → words that name it (order matters only for display)
OCCUPATIONS: dict[str, tuple[str, ...]] = {
    "电焊工": ("电焊", "焊工", "焊接", "氩弧焊", "二保焊", "气保焊"),
    "电工": ("电工", "电气维修", "配电", "电气安装", "维修电工"),
    "电子装配工": ("电子装配", "电子厂", "插件", "贴片", "电子元件", "线路板", "电子产品组装", "电子"),
    "保安员": ("保安", "门卫", "巡逻", "安保", "门岗"),
    "保洁员": ("保洁", "清洁", "打扫", "环卫", "清扫"),
    "物业维修工": ("物业维修", "小区维修", "水电维修", "设施维修", "房屋维修", "物业工程"),
    "电脑维修员": ("电脑维修", "计算机维修", "电脑维护", "计算机维护", "网络维护", "装系统", "网管"),
    "缝纫工": ("缝纫", "制衣", "服装", "平车", "车缝", "锁边", "裁剪"),
    "叉车司机": ("叉车",),
    "仓储物流员": ("仓库", "仓储", "分拣", "装卸", "搬运", "物流", "打包"),
    "快递员": ("快递", "配送", "送货", "外卖"),
    "货车司机": ("货车司机", "货车", "驾驶员", "送货司机"),
    "收银员": ("收银",),
    "理货员": ("理货", "上货", "导购", "超市营业员"),
    "厨师": ("厨师", "炒菜", "帮厨", "面点", "厨房"),
    "餐厅服务员": ("服务员", "传菜", "餐厅", "饭店", "餐饮"),
    "养老护理员": ("护理员", "养老", "护工", "照护", "老人护理", "陪护"),
    "化工操作工": ("盐化", "化工", "制盐", "盐厂", "操作工", "生产线操作"),
    "建筑工": ("建筑", "钢筋", "瓦工", "木工", "架子工", "工地"),
    "家政服务员": ("家政", "保姆", "育婴", "月嫂"),
    "农业工人": ("种植", "养殖", "农场", "大棚", "采摘"),
}

HOURS_WORDS: dict[str, tuple[str, ...]] = {
    "day": ("白班", "长白班", "常白班", "朝九晚五", "不上夜班", "不能上夜班", "只上白班"),
    "night": ("夜班", "晚班", "值夜"),
    "shift": ("倒班", "三班倒", "两班倒", "轮班", "三班", "两班"),
    "flexible": ("灵活", "钟点", "非全日制", "兼职", "小时工"),
}
HOURS_LABELS = {"day": "白班", "night": "夜班", "shift": "倒班", "flexible": "灵活/非全日制"}
# Hours a seeker who says "不上夜班" must not be offered.
NEGATED_HOURS = {"night": ("不上夜班", "不能上夜班", "不值夜", "只上白班"), "shift": ("不倒班", "不能倒班", "只上白班")}

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
                for words in (*CERTIFICATES.values(), *OCCUPATIONS.values(), *HOURS_WORDS.values()):
                    for word in words:
                        jieba.add_word(word, freq=20000)
                for word in (*CERTIFICATES, *OCCUPATIONS):
                    jieba.add_word(word, freq=20000)
                jieba.initialize()
                _jieba_ready = True
    return jieba


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


def _find(text: str, vocabulary: dict[str, tuple[str, ...]]) -> list[str]:
    found = []
    for canonical, words in vocabulary.items():
        if canonical in text or any(word in text for word in words):
            found.append(canonical)
    return found


def certificates_in(text: str) -> list[str]:
    """Canonical certificates a text names (e.g. "有电焊证" → ["焊工证"])."""
    return _find(text or "", CERTIFICATES)


def normalise_certificates(values: Iterable[str]) -> list[str]:
    """Canonical names for a list of certificate entries; unknown entries are kept as written."""
    result: list[str] = []
    for value in values or ():
        value = str(value).strip()
        if not value:
            continue
        found = certificates_in(value) or [value]
        for item in found:
            if item not in result:
                result.append(item)
    return result


def occupations_in(text: str) -> list[str]:
    """Canonical occupations a text names. 电子 alone counts only when no more specific 电-word
    (电焊, 电工, 电脑) explains it, so 电子厂 ≠ 电工 and 电焊 ≠ 电子."""
    text = text or ""
    found = _find(text, OCCUPATIONS)
    if "电子装配工" in found:
        stripped = text
        for word in ("电焊", "电工", "电脑", "电气", "电子秤"):
            stripped = stripped.replace(word, "")
        if not any(word in stripped for word in OCCUPATIONS["电子装配工"]):
            found.remove("电子装配工")
    if "电工" in found and "维修电工" not in text:
        # 物业维修 texts often say 水电维修; that alone is not an electrician's job.
        stripped = text.replace("水电维修", "")
        if not any(word in stripped for word in OCCUPATIONS["电工"]) and "电工" not in stripped:
            found.remove("电工")
    if "餐厅服务员" in found and "服务员" in text and not any(w in text for w in ("餐", "饭", "传菜", "酒店")):
        found.remove("餐厅服务员")
    return found


def normalise_occupation(value: str) -> str:
    """The canonical occupation for a staff-entered occupation (or the value as written)."""
    value = (value or "").strip()
    if value in OCCUPATIONS:
        return value
    found = occupations_in(value)
    return found[0] if found else value


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
