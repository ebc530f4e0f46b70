"""Every error names its field (issue 16: "？:" where a label was a question or missing).

Every form of liaison/ is found, bound to invalid data (nothing, then nonsense in every field),
validated and its errors rendered through the shared error summary
(cases/public/_errors.html, core/forms.py) in Chinese and English: each field's error starts with
the field's own name, never a bare "?", "？" or colon; an error of the whole form has no prefix;
every field has a label of its own (not Django's English fallback from the field name)."""

import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.datastructures import MultiValueDict

import liaison
from liaison.core.forms import FormError, field_name, form_errors
from liaison.directory.models import Deputy, Station
from liaison.receptions.models import Duty

from ..activities.conftest import make_activity  # noqa: F401  (a fixture)
from ..cases.conftest import Flow
from ..legislation.conftest import make_draft  # noqa: F401  (a fixture)
from ..suggestions.conftest import draft, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

SKIPPED = (".migrations", ".management", "liaison.wsgi")
NONSENSE = "¿not valid¿" * 30  # too long for most fields, no choice, no number, no date


def _liaison_forms() -> list[type]:
    for module in pkgutil.walk_packages(liaison.__path__, "liaison."):
        if not any(part in module.name for part in SKIPPED):
            importlib.import_module(module.name)

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    # The forms in use: a base form's fields are checked through the forms built on it.
    found = {
        cls
        for cls in below(forms.BaseForm)
        if cls.__module__.startswith("liaison.") and not cls.__subclasses__()
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


FORMS = _liaison_forms()


def _ids(cls) -> str:
    return f"{cls.__module__.removeprefix('liaison.')}.{cls.__name__}"


@pytest.fixture
def needs(district, accounts, make_activity, draft, make_draft, rf):  # noqa: F811
    """What the forms' constructors ask for, by the name of the keyword."""
    request = rf.post("/")
    request.user = accounts.administrator
    return {
        "user": accounts.administrator,
        "administrator": True,
        "request": request,
        "case": Flow(district, accounts).submit(),
        "activity": make_activity(),
        "suggestion": draft(),
        "draft": make_draft(articles=3),  # a draft regulation (legislation)
        "station": district.station_a,
        "stations": Station.objects.all(),
        "deputies": Deputy.objects.all(),
        "duties": Duty.objects.all(),
        "slots": [],
    }


def _build(cls, needs, data=None, files=None):
    # Along the classes: a subclass may hand its keywords on with **kwargs.
    keywords = [
        p
        for klass in cls.__mro__
        if "__init__" in vars(klass) and klass.__module__.startswith("liaison.")
        for p in inspect.signature(klass.__init__).parameters.values()
        if p.kind == p.KEYWORD_ONLY
    ]
    unknown = sorted({p.name for p in keywords if p.default is p.empty} - set(needs))
    assert not unknown, f"{_ids(cls)} needs {unknown}: add them to the `needs` fixture"
    kwargs = {p.name: needs[p.name] for p in keywords if p.name in needs}
    if data is None:
        return cls(**kwargs)
    return cls(data, files, **kwargs)


def _nonsense(form) -> MultiValueDict:
    return MultiValueDict({name: [NONSENSE, "-1"] for name in form.fields})


@pytest.mark.parametrize("cls", FORMS, ids=_ids)
def test_every_field_has_a_label_of_its_own(cls, needs):
    form = _build(cls, needs)
    unlabelled = [name for name, field in form.fields.items() if not field.label]
    assert not unlabelled, f"{_ids(cls)}: give these fields a label: {unlabelled}"


def _summary_items(form) -> list[str]:
    html = render_to_string("cases/public/_errors.html", {"form": form})
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", html)]


@pytest.mark.parametrize("cls", FORMS, ids=_ids)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_error_is_named_by_its_field(cls, needs, language):
    with translation.override(language):
        for data in (MultiValueDict(), _nonsense(_build(cls, needs))):
            form = _build(cls, needs, data, MultiValueDict())
            form.is_valid()
            errors = form_errors(form)
            expected = sum(len(messages) for messages in form.errors.values())
            assert len(errors) == expected, form.errors  # hidden fields' errors too
            for error in errors:
                message = error.message
                if error.field:
                    assert error.field == field_name(form[_field_of(form, error)])
                    assert error.field[-1] not in "?？:：", error.field
                    assert error.text.startswith(error.field) and error.text.endswith(message)
                else:
                    assert error.text == message  # no "?:" before an error of the whole form
            for item in _summary_items(form):
                assert not re.match(r"^[?？:：\s]", item), item
                assert not re.search(r"[?？][:：]", item), item


def _field_of(form, error: FormError) -> str:
    return next(name for name in form.fields if form[name].auto_id == error.anchor)


def test_the_message_page_names_each_field(client, district):
    """The message form in Chinese: "是关于什么的？: …" was the symptom."""
    url = f"/s/{district.station_a.public_code}/message/"
    with translation.override("zh-hans"):
        page = client.post(url, {"latitude": "30.1"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 400
    html = page.content.decode()
    summary = html[html.index('id="errors"') : html.index("</div>", html.index('id="errors"'))]
    items = [re.sub(r"<[^>]+>", "", i).strip() for i in re.findall(r"<li>(.*?)</li>", summary)]
    assert items, summary
    for item in items:
        assert not re.search(r"[?？][:：]", item), item
        assert not re.match(r"^[?？:：]", item), item
    # The incomplete location is the form's own error: no field name before it.
    form = page.context["form"]
    assert form.non_field_errors()
    with translation.override("zh-hans"):  # the error is lazy: read it in the page's language
        assert str(form.non_field_errors()[0]) in items
