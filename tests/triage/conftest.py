"""A small hand-written history (not the generator's sentences) and a model trained on it, put
in use the way `liaison triage train` does."""

import pytest

from liaison.triage import engine
from liaison.triage.models import TriageModel
from liaison.triage.text import Sample

HOUSING = [
    "小区电梯经常停运，老人上下楼很困难",
    "单元楼电梯年检过期了还在运行",
    "物业公司乱收停车费，业主意见很大",
    "物业服务太差，楼道灯坏了没人修",
    "老旧小区改造施工拖了一年还没完工",
    "楼顶防水没做好，下雨家里漏水",
    "加装电梯的补贴申请一直没有下文",
    "物业不公示公共收益的收支情况",
    "电梯困人半小时物业才来人",
    "小区外墙保温层脱落，砸到了车",
]
STREET = [
    "路口的路灯晚上不亮，走路很危险",
    "菜场门口流动摊贩占道经营，堵住了人行道",
    "夜市烧烤油烟太大，熏得居民不敢开窗",
    "背街小巷垃圾堆了好几天没人清运",
    "人行道上共享单车乱停乱放",
    "公共厕所损坏，没人维护又脏又臭",
    "小区门口有人私搭乱建彩钢棚",
    "马路边的垃圾桶满了一直不清理",
    "路灯杆被车撞歪了一直没人扶正",
    "街边商铺把货物堆到人行道上",
]


def history(district) -> list[Sample]:
    county_path = district.county.path
    samples = []
    for text in HOUSING:
        for region in (district.street_a.path, district.street_b.path, county_path):
            samples.append(
                Sample(text, district.category.pk, region, district.department_county.pk)
            )
    for text in STREET:
        samples.append(
            Sample(text, district.category.pk, district.street_a.path, district.department_a.pk)
        )
        samples.append(
            Sample(text, district.category.pk, district.street_b.path, district.department_b.pk)
        )
    return samples


@pytest.fixture
def trained(district):
    """A model in use, trained on the hand-written history."""
    model = engine.Engine().fit(history(district))
    row = TriageModel.objects.create(
        samples=model.samples,
        evaluation={"overall": {"n": 0, "top1": 0, "top3": 0}},
        blob=model.dumps(),
        in_use=True,
    )
    return row
