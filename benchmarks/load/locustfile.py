"""Locust scenarios for the load test (benchmarks/load_test.py runs them headless, bounded).

Three user classes, one per scenario so their figures are reported separately:
portal pages (anonymous readers), vacancy search (the semantic search API) and the public
eligibility estimate. Only loopback addresses are ever targeted.
"""

import os
import random

from locust import HttpUser, constant, task

PORTAL_PATHS = [p for p in os.environ.get("LOAD_PORTAL_PATHS", "/").split(",") if p]
QUERIES = ["电焊工", "保安 夜班", "保洁员 定城镇", "叉车司机 持证", "电子厂 流水线 普工", "缝纫工", "餐厅服务员",
           "物业水电维修", "电脑维修", "仓库搬运", "护理员 养老院", "超市收银员", "厨师 学徒", "电工证 维修电工"]
REGION = os.environ.get("LOAD_REGION", "341125100001")


class PortalReader(HttpUser):
    wait_time = constant(0)

    @task
    def read_page(self):
        self.client.get(random.choice(PORTAL_PATHS), name="portal page")


class VacancySearcher(HttpUser):
    wait_time = constant(0)

    @task
    def search(self):
        self.client.post("/api/v1/vacancies/search", json={"query": random.choice(QUERIES), "k": 10},
                         name="vacancy search")


class EstimateUser(HttpUser):
    wait_time = constant(0)

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
