"""Locust scenarios for the load test (benchmarks/load_test.py runs them headless, bounded).

Three user classes, one per scenario so their figures are reported separately:
portal pages (anonymous readers), vacancy search (the semantic search API) and the public
eligibility estimate. Only loopback addresses are ever targeted.
"""

import os
import random
import time

from locust import HttpUser, constant, task

PORTAL_PATHS = [p for p in os.environ.get("LOAD_PORTAL_PATHS", "/").split(",") if p]
QUERIES = ["电焊工", "保安 夜班", "保洁员 定城镇", "叉车司机 持证", "电子厂 流水线 普工", "缝纫工", "餐厅服务员",
           "物业水电维修", "电脑维修", "仓库搬运", "护理员 养老院", "超市收银员", "厨师 学徒", "电工证 维修电工"]
REGION = os.environ.get("LOAD_REGION", "341125100001")
# Requests per second per user: unset or 0 = a closed loop (each user sends its next request as soon
# as the last one returns: the server's saturation throughput); > 0 = a paced load of users × rate.
USER_RPS = float(os.environ.get("LOAD_USER_RPS") or 0)


def _poisson(user) -> float:
    """Arrivals of a Poisson process at USER_RPS per user, whatever the response times (users do not
    march in step, as they would with constant_throughput after starting together). A user that
    fell behind its schedule sends at once and starts a new schedule: no catch-up burst."""
    now = time.monotonic()
    scheduled = max(getattr(user, "_next_at", now) + random.expovariate(USER_RPS), now)
    user._next_at = scheduled
    return scheduled - now


def _wait():
    return _poisson if USER_RPS > 0 else constant(0)


class PortalReader(HttpUser):
    wait_time = _wait()

    @task
    def read_page(self):
        self.client.get(random.choice(PORTAL_PATHS), name="portal page")


class VacancySearcher(HttpUser):
    wait_time = _wait()

    @task
    def search(self):
        self.client.post("/api/v1/vacancies/search", json={"query": random.choice(QUERIES), "k": 10},
                         name="vacancy search")


class EstimateUser(HttpUser):
    wait_time = _wait()

    @task
    def estimate(self):
        wages = random.choice(["0.00", "300.00", "600.00", "900.00", "1500.00"])
        self.client.post(
            "/api/v1/eligibility/estimate",
            json={
                "region": REGION,
                "members": [
                    {"birth_date": "1980-05-17", "sex": "M", "three_no": False, "serious_illness": False,
                     "severe_disability": False, "single_parent": False, "university_student": False,
                     "work_ability": True},
                    {"birth_date": "1982-03-02", "sex": "F", "three_no": False, "serious_illness": True,
                     "severe_disability": False, "single_parent": False, "university_student": False,
                     "work_ability": False},
                ],
                "incomes": [{"member": 0, "kind": "wages", "monthly_amount": wages}],
            },
            name="eligibility estimate",
        )
