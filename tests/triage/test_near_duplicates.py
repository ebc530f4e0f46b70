"""Near-duplicate detection finds re-phrasings, not only identical text: hand-written pairs of
the same matter told in other words, each of which must find its partner first and nothing
unrelated."""

import pytest

from liaison.triage import similarity

PAIRS = [
    ("小区电梯坏了一个月没人修", "我们楼的电梯已经停运快一个月了，物业一直不管"),
    ("幸福路路灯晚上不亮，走夜路很危险", "幸福路一带的路灯坏了好几盏，天黑后行人看不清路"),
    ("楼下烧烤店油烟太大，熏得窗户都不敢开", "一楼的烧烤摊每天晚上排油烟，家里窗户不能开"),
    ("孩子上幼儿园报名难，公办园学位不够", "公办幼儿园名额太少，小孩报不上名"),
    ("自来水发黄有异味，已经好几天了", "这几天家里的自来水颜色发黄，还有怪味"),
    ("小区门口道路坑洼不平，下雨就积水", "小区大门外的路面坑坑洼洼，一下雨全是积水"),
    ("农民工工资被包工头拖欠半年", "干了半年活，包工头一直拖着不发工资"),
    ("社区卫生服务中心周末不开门，看病不方便", "周六周日社区卫生服务中心关门，老人看病没地方去"),
]
UNRELATED = [
    "燃气表走字太快，燃气费比去年翻了一倍",
    "学校门口早晚接送孩子的车把路堵死了",
    "低保审批太慢，材料交了三个月没消息",
]


def candidates(texts):
    return [similarity.Candidate(i, t) for i, t in enumerate(texts)]


@pytest.mark.parametrize(("probe", "partner"), PAIRS + [(b, a) for a, b in PAIRS])
def test_each_rephrasing_finds_its_partner_first(probe, partner):
    others = [b for pair in PAIRS for b in pair if b not in (probe,)] + UNRELATED
    found = similarity.similar(similarity.Candidate("probe", probe), candidates(others))
    assert found, probe
    assert others[found[0].key] == partner


@pytest.mark.parametrize("probe", UNRELATED)
def test_an_unrelated_message_finds_nothing(probe):
    others = [b for pair in PAIRS for b in pair]
    assert similarity.similar(similarity.Candidate("probe", probe), candidates(others)) == []


def test_place_and_category_raise_the_score_but_never_make_a_match_alone():
    probe = similarity.Candidate("p", PAIRS[0][0], category=1, place="s1")
    same = similarity.Candidate("same", PAIRS[0][1], category=1, place="s1")
    bare = similarity.Candidate("bare", PAIRS[0][1], category=2, place="s2")
    other = similarity.Candidate("other", UNRELATED[0], category=1, place="s1")
    found = {m.key: m for m in similarity.similar(probe, [same, bare, other])}
    assert found["same"].similarity > found["bare"].similarity
    assert found["same"].same_category and found["same"].same_place
    assert "other" not in found


@pytest.mark.parametrize("probe", ["", "电梯坏了", "  13912345678  "])
def test_empty_or_very_short_text_finds_nothing(probe):
    others = [b for pair in PAIRS for b in pair]
    assert similarity.similar(similarity.Candidate("p", probe), candidates(others)) == []
