"""Vacancy search at scale: 50,000 open vacancies, hybrid search end to end through the API.

    .venv/bin/python benchmarks/jobs_search.py [--vacancies 50000] [--distinct 2000] [--searches 300]
        [--database-url sqlite:////tmp/jobs-bench.sqlite3]

Measures (and prints as a table and one JSON line):

* encoding throughput of the real model (sentences/s, batch 32, CPU) on the distinct vacancy texts;
* index build from stored vectors (``rebuild_index(encode_missing=False)``: read 50,000 rows with
  their float32 vectors and tokens from the database, build FAISS + features, write the snapshot);
* snapshot load in a fresh process-level store (what a worker pays after a swap, incl. BM25 build);
* search latency p50/p95 through the API (Django test client → URL routing → DRF → selector →
  query encoding → FAISS + BM25 + structured ranking → database re-check), county-wide and with a
  township filter;
* peak RSS and snapshot size on disk.

Honest shortcut: encoding 50,000 texts would take ~15 min on this 2-core machine, so ``--distinct``
texts are encoded for real and each stored row reuses one of those vectors plus small noise
(σ = 0.01 per dimension, re-normalised), with the same tokens; titles, townships, hours and
certificates vary per row. Uses its own database (a fresh SQLite file by default) and index folder.
The search throttle is raised for the run (it would otherwise answer 429 after 120 requests/min).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TITLES = [
    ("电焊工", "电焊工", "钢结构构件焊接，二保焊、手工电弧焊", ["焊工证"]),
    ("氩弧焊工", "电焊工", "不锈钢管道氩弧焊接，看懂图纸", ["焊工证"]),
    ("维修电工", "电工", "配电设备巡检、电机和照明线路维修", ["电工证"]),
    ("水电安装工", "电工", "住宅水电预埋、电线敷设、开关插座安装", ["电工证"]),
    ("电子插件工", "电子装配工", "电子元件插件、线路板目检，长白班", []),
    ("电子产品组装工", "电子装配工", "流水线组装充电器、耳机", []),
    ("小区保安", "保安员", "门岗值守、夜间巡逻、车辆登记", ["保安员证"]),
    ("工厂门卫", "保安员", "大门值守、来访登记", []),
    ("小区保洁员", "保洁员", "楼道、电梯和公共区域清扫", []),
    ("医院保洁", "保洁员", "病房及走廊清洁消毒", ["健康证"]),
    ("物业维修工", "物业维修工", "小区水电维修、门窗五金维修、管道疏通", []),
    ("电脑维修员", "电脑维修员", "电脑组装、装系统、笔记本维修", []),
    ("平车工", "缝纫工", "服装平车、锁边，计件", []),
    ("叉车司机", "叉车司机", "仓库叉车装卸", ["叉车证"]),
    ("快递分拣员", "仓储物流员", "夜班分拣、扫码、装车", []),
    ("超市收银员", "收银员", "超市收银，早晚两班", []),
    ("中餐厨师", "厨师", "炒锅，本地家常菜", ["健康证"]),
    ("餐厅服务员", "餐厅服务员", "点菜、传菜、收台", ["健康证"]),
    ("养老护理员", "养老护理员", "照料老人起居、喂饭、翻身", []),
    ("盐化操作工", "化工操作工", "蒸发制盐车间操作，四班三倒", []),
    ("钢筋工", "建筑工", "工地钢筋绑扎、下料", []),
    ("送货司机", "货车司机", "县城门店配送，C1驾照", ["驾驶证"]),
]
FLAVOURS = ["包吃住", "计件工资", "五险一金", "熟手优先", "可培训", "就近上班", "月休四天", "有班车", "年底奖金",
            "女工优先", "五十岁以下", "夫妻工优先", "提供宿舍", "工作稳定", "多劳多得"]
QUERIES = ["电焊", "会电焊有焊工证", "电工", "找电子厂的活", "保安 夜班", "保洁 白班", "物业维修", "电脑维修",
           "服装厂平车", "叉车司机", "夜班分拣", "超市收银", "厨师", "饭店服务员", "护工 照顾老人", "盐厂工人",
           "工地钢筋工", "送货司机 C1", "炉桥镇 叉车", "定城 保洁", "包吃住 电焊", "女工 缝纫", "能倒班 操作工",
           "不上夜班 保安", "有健康证 餐厅", "想找个轻松点的活", "力气大 搬运", "有电工证 物业", "打扫卫生",
           "门卫", "电子产品组装", "收银员 倒班", "养老院", "氩弧焊", "水电安装", "装系统 修电脑", "快递",
           "钢结构", "配电房 值守", "食堂帮厨"]
TOWNSHIPS = ["341125100", "341125101", "341125102", "341125103", "341125104", "341125105", "341125106",
             "341125107"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(database_url: str, index_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["MATCH_INDEX_DIR"] = index_dir
    os.environ["SEARCH_API_THROTTLE"] = "1000000/minute"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reemployment.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", "--skip-apps", verbosity=0, stdout=devnull)


def fill(vacancies: int, distinct: int) -> dict:
    import datetime as dt
    from decimal import Decimal

    import numpy as np

    from jobs.matching.encoder import get_encoder
    from jobs.matching.pipeline import vacancy_matching_text, vacancy_tokens
    from jobs.matching.text import text_hash
    from jobs.models import Employer, Vacancy
    from reemployment.core.models import Region, today

    rng = random.Random(50000)
    regions = {r.code: r for r in Region.objects.filter(code__in=TOWNSHIPS)}
    employers = [Employer.objects.get_or_create(name=f"定远县基准测试用人单位{i:02d}",
                                                region=regions[TOWNSHIPS[i % len(TOWNSHIPS)]])[0] for i in range(40)]
    templates = []
    for n in range(distinct):
        title, occupation, description, certs = TITLES[n % len(TITLES)]
        extra = "，".join(rng.sample(FLAVOURS, 3))
        hours = rng.choice(["day", "night", "shift", "flexible"])
        templates.append(Vacancy(title=title, occupation=occupation, description=f"{description}，{extra}",
                                 requirements=rng.choice(["能吃苦", "身体健康", "有经验优先", "无经验可培训"]),
                                 certificates=certs, hours=hours))
    texts = [vacancy_matching_text(v) for v in templates]
    encoder = get_encoder()
    encoder.encode_for_matching(texts[:32])  # warm-up
    started = time.perf_counter()
    vectors = encoder.encode_for_matching(texts)
    encode_seconds = time.perf_counter() - started
    tokens = [vacancy_tokens(v) for v in templates]
    noise = np.random.default_rng(7)
    closes = today() + dt.timedelta(days=60)
    fingerprint = encoder.fingerprint
    rows = []
    started = time.perf_counter()
    for i in range(vacancies):
        t = i % distinct
        template = templates[t]
        vector = vectors[t] + noise.normal(0, 0.01, vectors.shape[1]).astype(np.float32)
        vector /= np.linalg.norm(vector)
        low = 2000 + 100 * rng.randint(0, 40)
        rows.append(Vacancy(
            employer=employers[i % len(employers)], title=template.title, occupation=template.occupation,
            description=template.description, requirements=template.requirements, certificates=template.certificates,
            hours=template.hours, region=regions[TOWNSHIPS[rng.randrange(len(TOWNSHIPS))]], pay_min=Decimal(low),
            pay_max=Decimal(low + 1500), openings=rng.randint(1, 20), closes_on=closes, search_tokens=tokens[t],
            vector=vector.astype(np.float32).tobytes(), vector_text_hash=text_hash(texts[t]),
            vector_model=fingerprint,
        ))
        if len(rows) == 5000:
            Vacancy.objects.bulk_create(rows)
            rows = []
    if rows:
        Vacancy.objects.bulk_create(rows)
    return {"distinct_texts": distinct, "encode_seconds": round(encode_seconds, 1),
            "sentences_per_second": round(distinct / encode_seconds, 1),
            "insert_seconds": round(time.perf_counter() - started, 1)}


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def search_latency(searches: int, region: str | None) -> dict:
    from django.test import Client

    client = Client()
    timings = []
    for n in range(searches + 10):
        body = {"query": QUERIES[n % len(QUERIES)], "k": 10}
        if region:
            body["region"] = region
        started = time.perf_counter()
        response = client.post("/api/v1/vacancies/search", body, content_type="application/json")
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"search answered {response.status_code}: {response.content[:300]}")
        if n >= 10:  # the first few load the snapshot and warm the model
            timings.append(elapsed)
    return {"p50_ms": round(statistics.median(timings), 1), "p95_ms": round(percentile(timings, 0.95), 1),
            "max_ms": round(max(timings), 1), "searches": len(timings)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vacancies", type=int, default=50000)
    parser.add_argument("--distinct", type=int, default=2000)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--database-url")
    parser.add_argument("--skip-fill", action="store_true",
                        help="reuse the vacancies already in --database-url (no encoding measurement)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="jobs-bench-")
    database_url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    setup(database_url, f"{workdir}/match-index")

    from jobs.matching.index import IndexStore, get_store
    from jobs.matching.pipeline import rebuild_index
    from jobs.models import Vacancy

    figures = {"vacancies": args.vacancies, "database": database_url.split(":", 1)[0], "cpus": os.cpu_count(),
               "load_average_at_start": round(os.getloadavg()[0], 1)}
    if args.skip_fill:
        figures.update({"distinct_texts": 0, "encode_seconds": 0, "sentences_per_second": "not measured"})
    else:
        Vacancy.objects.all().delete()
        figures.update(fill(args.vacancies, args.distinct))
    started = time.perf_counter()
    built = rebuild_index(encode_missing=False)
    figures["index_build_seconds"] = round(time.perf_counter() - started, 2)
    figures["indexed"] = built["count"]
    started = time.perf_counter()
    IndexStore(get_store().root.parent).snapshot()
    figures["snapshot_load_seconds"] = round(time.perf_counter() - started, 2)
    figures["snapshot_mb"] = round(sum(p.stat().st_size for p in get_store().root.glob("v*")) / 1024 / 1024, 1)
    figures["search_county"] = search_latency(args.searches, None)
    figures["search_township"] = search_latency(args.searches, "341125101")
    figures["peak_rss_mb"] = round(rss_mb(), 0)
    figures["load_average_at_end"] = round(os.getloadavg()[0], 1)

    print(f"vacancies indexed           {figures['indexed']:>10}")
    print(f"encoding throughput         {figures['sentences_per_second']:>10} sentences/s "
          f"({figures['distinct_texts']} texts in {figures['encode_seconds']} s, {figures['cpus']} CPUs)")
    print(f"index build (stored vectors){figures['index_build_seconds']:>10} s")
    print(f"snapshot load (new process) {figures['snapshot_load_seconds']:>10} s   size {figures['snapshot_mb']} MB")
    for key in ("search_county", "search_township"):
        s = figures[key]
        print(f"{key:<28}p50 {s['p50_ms']} ms   p95 {s['p95_ms']} ms   max {s['max_ms']} ms   ({s['searches']} searches)")
    print(f"peak RSS                    {figures['peak_rss_mb']:>10} MB")
    print(f"load average (1 min)        {figures['load_average_at_start']} at start, "
          f"{figures['load_average_at_end']} at end")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
