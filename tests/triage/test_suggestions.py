"""The model suggests departments from the text, the category and the region, with a reason a
person can check; nothing for an empty or very short text; the model keeps no phone, no name."""

import io
import pickle

import joblib
import pytest

from liaison.triage import engine, services, text

from .conftest import history

pytestmark = pytest.mark.django_db


@pytest.fixture
def model(district):
    return engine.Engine().fit(history(district))


def test_top_department_from_the_text(model, district):
    found = model.suggest(
        "我家楼的电梯坏了三天，物业说等配件", district.category.pk, district.street_a.path
    )
    assert found[0].department == district.department_county.pk
    assert len(found) <= 3
    assert found[0].score > found[-1].score or len(found) == 1


def test_the_region_decides_between_two_street_offices(model, district):
    message = "巷子里的路灯坏了，晚上黑漆漆的"
    in_a = model.suggest(message, district.category.pk, district.street_a.path)
    in_b = model.suggest(message, district.category.pk, district.street_b.path)
    assert in_a[0].department == district.department_a.pk
    assert in_b[0].department == district.department_b.pk


def test_the_reason_counts_similar_messages_and_names_keywords(model, district):
    top = model.suggest(
        "小区电梯又停运了，物业也不管", district.category.pk, district.street_a.path
    )[0]
    assert top.similar >= top.handled > 0
    assert set(top.keywords) & {"电梯", "物业", "停运"}


@pytest.mark.parametrize("message", ["", "   ", "电梯", "13912345678", "王先生 13912345678"])
def test_empty_or_very_short_text_gets_no_suggestion(model, district, message):
    assert model.suggest(message, district.category.pk, district.street_a.path) == []


def test_only_allowed_departments_are_suggested(model, district):
    allowed = {district.department_a.pk}
    found = model.suggest(
        "小区电梯经常停运，物业也不管",
        district.category.pk,
        district.street_a.path,
        allowed=allowed,
    )
    assert {s.department for s in found} <= allowed


def test_no_model_in_use_means_no_suggestion(district):
    assert services.suggest("小区电梯经常停运，物业也不管", None, district.street_a.path) == []


def test_scrub_removes_phone_numbers_id_numbers_and_titled_names():
    scrubbed = text.scrub(
        "我是王先生，电话13912345678，身份证330106199001011234，邮箱a@b.cn，楼道灯坏了"
    )
    for personal in ("王先生", "13912345678", "330106199001011234", "a@b.cn"):
        assert personal not in scrubbed
    assert "楼道灯坏了" in scrubbed


def test_the_stored_model_holds_no_phone_no_name_and_no_word(district):
    samples = [
        *history(district),
        text.Sample(
            "我是陈女士，电话13912345678，小区电梯坏了",
            district.category.pk,
            district.street_a.path,
            district.department_county.pk,
        ),
    ]
    blob = engine.Engine().fit(samples).dumps()
    raw = pickle.dumps(joblib.load(io.BytesIO(blob)))
    for needle in ("陈女士", "13912345678", "电梯", "物业"):
        assert needle.encode() not in raw
        assert needle.encode("utf-16-le") not in raw
        assert needle.encode("utf-32-le") not in raw


def test_jieba_is_initialised_once_per_process():
    text.words("小区电梯经常停运")
    first = text._jieba
    text.words("物业服务太差")
    assert first is not None and text._jieba is first


def test_the_fast_inference_path_equals_scikit_learns(model, district):
    """suggest() computes hashing, tf-idf and probabilities itself; they must stay sklearn's."""
    import numpy as np

    for message in ["小区电梯又停运了，物业也不管", "巷子里的路灯坏了，晚上黑漆漆的"]:
        path = district.street_a.path
        tokens = [
            *text.words(message),
            *text.bigrams(message),
            *text.region_tokens(path),
            f"k:{district.category.pk}",
            f"k:{district.category.pk}|{path}",
        ]
        expected = model.classifier.predict_proba(
            model.tfidf.transform(model.hasher.transform([tokens]))
        )[0]
        indices, values = model._vector(tokens)
        assert np.allclose(model._probabilities(indices, values), expected, atol=1e-5)
