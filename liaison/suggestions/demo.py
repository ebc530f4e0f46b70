"""Demo suggestions for `liaison load_demo`: thirteen suggestions of 2026 in every status.

Driven through the services by the demo accounts (liaison/directory/demo.py): the deputy account
林志强 drafts his own; the station account (新元街道联络站) drafts for the station's other deputies;
the district committee registers and assigns; 区住建局 (the one unit with an account) answers as
the lead unit or sends its opinion as a joint unit. Several grew from demo cases
(liaison/cases/demo.py, found by their scenario's phone number), so the list shows the share of
suggestions that came from station work.

Idempotent: a scenario whose title exists is skipped; each scenario is one transaction.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import User
from liaison.cases import demo as cases_demo
from liaison.cases.models import Case
from liaison.core import registry
from liaison.directory.models import Category, Department, Deputy

from . import services
from .models import PublicRating, SessionKind, Suggestion, SuggestionAssignment

CONGRESS = "江滨区第十七届人民代表大会第六次会议"
TEXT = {
    "return": "所提事项属个人民事纠纷，且已进入诉讼程序，不宜作为代表建议，请通过司法途径解决。",
    "change": "道路维修养护属区交通运输局职责，请调整主办单位。",
    "opinion": "同意主办单位意见，我局将配合做好站台周边人行道改造。",
    "answer": {
        "A": "经研究，已将该事项列入今年民生实事，项目已完工并投入使用。",
        "B": "已制定整改方案，目前正在施工，预计明年二季度完成。",
        "C": "该事项已列入明年项目计划，待资金落实后逐步解决。",
        "D": "受用地和资金条件限制，暂时无法解决，我局将持续关注。",
    },
    "achieved": {
        "A": "新增补贴资金120万元，完成加装电梯8部。",
        "B": "已完成排水管网改造设计，开工3处积水点。",
        "C": "已完成选址论证。",
        "D": "",
    },
    "reasons_d": "规划范围内无可用地块，上级专项资金尚未下达。",
}

# title, lead deputy, drafted by ("deputy" / "station"), co-signers, category, session,
# demo case scenario numbers, steps
# fmt: off
SCENARIOS = [
    ("关于在镜湖社区增设电动车集中充电设施的建议", "JB-Q01", "deputy", ["JB-Q02"], "safety",
     SessionKind.BETWEEN, [], []),
    ("关于错时开放机关单位停车场缓解停车难的建议", "JB-Q01", "deputy", [], "parking",
     SessionKind.DURING, [9], ["submit"]),
    ("关于解决个人商铺租赁纠纷的建议", "JB-Q05", "station", [], "other",
     SessionKind.BETWEEN, [], ["submit", "return"]),
    ("关于增加聚贤社区普惠性幼儿园学位的建议", "JB-Q04", "station", [], "education",
     SessionKind.DURING, [5], ["submit", "accept"]),
    ("关于加强老旧小区改造后长效管理的建议", "JB-Q01", "deputy", [], "housing-renovation",
     SessionKind.DURING, [16], ["submit", "accept", "assign:JB-D-ZJ:JB-D-CG:", "key"]),
    ("关于尽快修复滨河路破损路面的建议", "JB-Q03", "station", [], "roads",
     SessionKind.BETWEEN, [7], ["submit", "accept", "assign:JB-D-ZJ::", "change"]),
    ("关于在新元大道公交站台增设遮雨棚的建议", "JB-C03", "station", [], "roads",
     SessionKind.DURING, [12],
     ["submit", "accept", "assign:JB-D-JT:JB-D-ZJ:", "opinion", "overdue"]),
    ("关于系统治理镜湖小区雨后积水的建议", "JB-Q01", "deputy", [], "water",
     SessionKind.BETWEEN, [17], ["submit", "accept", "assign:JB-D-ZJ::JB-D-SW", "answer:B"]),
    ("关于提高老旧小区加装电梯资金补贴的建议", "JB-Q01", "deputy", [], "housing-renovation",
     SessionKind.DURING, [22], ["submit", "accept", "assign:JB-D-ZJ::", "answer:A",
                                "evaluate:satisfied", "ratings"]),
    ("关于规范使用住宅专项维修资金解决屋顶漏水的建议", "JB-Q03", "station", ["JB-Q01"],
     "housing-renovation", SessionKind.DURING, [19],
     ["confirm", "submit", "accept", "assign:JB-D-ZJ::", "answer:C", "evaluate:basic"]),
    ("关于物业费调整须公示并听证的建议", "JB-Q01", "deputy", [], "property",
     SessionKind.BETWEEN, [27], ["submit", "accept", "assign:JB-D-ZJ::", "answer:D",
                                 "evaluate:unsatisfied"]),
    ("关于整治幼儿园门口接送秩序的建议", "JB-Q04", "station", [], "education",
     SessionKind.BETWEEN, [26], ["submit", "accept", "assign:JB-D-ZJ:JB-D-JY:", "answer:C",
                                 "evaluate:unsatisfied", "answer:B", "evaluate:basic"]),
    ("关于规范共享单车停放的建议", "JB-Q01", "deputy", [], "parking",
     SessionKind.BETWEEN, [], ["withdraw"]),
]
# fmt: on


class Loader:
    def __init__(self) -> None:
        users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
        missing = set(USERNAMES) - set(users)
        if missing:
            raise RuntimeError(f"Demo accounts missing: {', '.join(sorted(missing))}.")
        self.users = users
        self.deputies = {d.code: d for d in Deputy.objects.all()}
        self.departments = {d.code: d for d in Department.objects.all()}
        self.categories = {c.code: c for c in Category.objects.all()}

    def load(self) -> int:
        existing = set(Suggestion.objects.values_list("title", flat=True))
        created = 0
        for scenario in SCENARIOS:
            if scenario[0] in existing:
                continue
            with transaction.atomic():
                self.run(*scenario)
            created += 1
        return created

    def run(self, title, lead, drafter, cosigners, category, session, cases, steps):
        actor = self.users[drafter]
        lead = self.deputies[lead]
        cited = Case.objects.filter(citizen_phone__in=[cases_demo.phone(n) for n in cases])
        s = services.draft_suggestion(
            actor=actor,
            lead_deputy=lead,
            title=title,
            reasons=f"{title.removeprefix('关于').removesuffix('的建议')}，群众反映强烈，"
            "联络站多次收到相关意见，问题长期未得到解决。",
            proposals="一、摸清底数，制定方案；二、落实资金，明确责任单位；三、建立长效机制，"
            "定期向代表和群众通报进展。",
            category=self.categories.get(category) or self.categories["other"],
            session_kind=session,
            year=2026,
            congress=CONGRESS if session == SessionKind.DURING else "",
            cosigners=[self.deputies[code] for code in cosigners],
            cases=list(cited),
        )
        for step in steps:
            s = self.step(s, actor, step)
        return s

    def step(self, s: Suggestion, actor, step: str) -> Suggestion:
        name, _, argument = step.partition(":")
        committee, unit = self.users["committee"], self.users["department"]
        if name == "confirm":
            return services.confirm_signature(s, actor=self.users["deputy"])
        if name == "submit":
            return services.submit_suggestion(s, actor=actor)
        if name == "withdraw":
            return services.withdraw_suggestion(s, actor=actor, reason="与另一件建议内容重复。")
        if name == "return":
            return services.return_suggestion(s, actor=committee, reason=TEXT["return"])
        if name == "accept":
            return services.accept_suggestion(s, actor=committee)
        if name == "assign":
            lead, joint, co = argument.split(":")
            return services.assign_suggestion(
                s,
                actor=committee,
                lead=self.departments[lead],
                joint=[self.departments[c] for c in joint.split("+") if c],
                co=[self.departments[c] for c in co.split("+") if c],
            )
        if name == "key":
            return services.mark_key(
                s, actor=committee, is_key=True, note="区人大常委会副主任 陈立新 领衔督办"
            )
        if name == "change":
            services.request_change(s, actor=unit, reason=TEXT["change"])
            return s
        if name == "opinion":
            services.send_opinion(s, actor=unit, text=TEXT["opinion"])
            return s
        if name == "answer":
            return services.answer_suggestion(
                s,
                actor=unit,
                grade=argument,
                answer=TEXT["answer"][argument],
                achieved=TEXT["achieved"][argument],
                grade_reasons=TEXT["reasons_d"] if argument == "D" else "",
            )
        if name == "evaluate":
            speaker = actor if s.lead_deputy.pk != self.users["deputy"].deputy_id else None
            return services.evaluate_suggestion(
                s, actor=speaker or self.users["deputy"], evaluation=argument
            )
        if name == "overdue":
            # As if assigned four months ago: the assignment list shows it overdue.
            start = timezone.now() - timedelta(days=122)
            SuggestionAssignment.objects.filter(suggestion=s).update(
                assigned_at=start,
                due_at=services.months_due(start, services.HANDLING_MONTHS),
                change_until=services.change_window_end(start),
            )
            Suggestion.objects.filter(pk=s.pk).update(assigned_at=start)
            return s
        if name == "ratings":
            PublicRating.objects.bulk_create(
                PublicRating(suggestion=s, rating=rating, voter=f"demo-{i}")
                for i, rating in enumerate(["satisfied"] * 5 + ["basic"] * 2 + ["unsatisfied"])
            )
            return s
        raise ValueError(f"Unknown demo step {step!r}.")


USERNAMES = ["station", "committee", "deputy", "department"]


def load() -> int:
    """Create the missing demo suggestions; return how many were created."""
    return Loader().load()


@registry.demo.register(order=20)
def load_demo() -> dict[str, int]:
    return {"suggestions": load()}
