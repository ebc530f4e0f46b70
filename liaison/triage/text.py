"""The text side of triage: scrubbing, Chinese tokens (jieba) and hashed features.

jieba's dictionary ships in its wheel; it is loaded lazily, once per process, on the first
message (about a second), never downloaded. Phone numbers, identity numbers and any run of five or
more digits are removed before tokenising, and so are the usual "surname + title" forms of a name
(王先生, 李阿姨): the features are hashed, so a model keeps no token at all, only numbers.
"""

import re
import threading
from dataclasses import dataclass
from datetime import datetime

from sklearn.feature_extraction import FeatureHasher

N_FEATURES = 2**16
# Fewer meaningful characters than this (CJK characters and letters, scrubbed): no suggestion.
MIN_CHARS = 6

_DIGITS = re.compile(r"[0-9０-９][0-9０-９\-\s]{3,}[0-9０-９xX]")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
_TITLED_NAME = re.compile(
    r"[\u4e00-\u9fff](?:先生|女士|小姐|阿姨|师傅|大爷|大妈|奶奶|爷爷|老师|同志|书记|主任|经理)"
)
_MEANINGFUL = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_STOP_WORDS = (
    "的 了 在 是 我 我们 有 和 就 不 人 都 一 一个 上 也 很 到 说 要 去 你 会 着 没有 看 好 这 那 "
    "他们 她 他 请 希望 问题 反映 情况 现在 已经 一直 这个 什么 没 还 能 给 让 被 把 对 与 及 "
    "等 里 后 前 时 吗 呢 啊 吧 并 或 但 而 又 再 多 小 大 能否 尽快 处理 解决 相关 部门"
)
_STOP = set(_STOP_WORDS.split())

_lock = threading.Lock()
_jieba = None


def _tokenizer():
    """jieba, initialised once per process (thread-safe), without its log lines."""
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def scrub(text: str) -> str:
    """The text without phone numbers, id numbers, e-mail addresses and titled names."""
    text = _EMAIL.sub(" ", text or "")
    text = _DIGITS.sub(" ", text)
    return _TITLED_NAME.sub(" ", text)


def meaningful_length(text: str) -> int:
    return len(_MEANINGFUL.findall(scrub(text)))


def words(text: str) -> list[str]:
    """jieba's words of the scrubbed text: two characters or more, no stop words, no digits."""
    found = []
    for word in _tokenizer().lcut(scrub(text)):
        word = word.strip().lower()
        if len(word) < 2 or word in _STOP or not _MEANINGFUL.search(word):
            continue
        found.append(word)
    return found


def bigrams(text: str) -> list[str]:
    """Character bigrams of each run of CJK characters: robust to re-phrasing and new words."""
    runs = re.findall(r"[\u4e00-\u9fff]+", scrub(text))
    return ["c:" + run[i : i + 2] for run in runs for i in range(len(run) - 1)]


# Characters of grammar and counting: a bigram with one says little about the matter (个月, 我们).
_FUNCTION_CHARS = set("的了是在我你他她它们这那有和就都也很还没被把个几些么吗呢吧啊呀一")


def content_bigrams(text: str) -> list[str]:
    """The bigrams that carry the matter: none with a function character or a stop word."""
    return [b for b in bigrams(text) if b[2:] not in _STOP and not (_FUNCTION_CHARS & set(b[2:]))]


def region_tokens(region_path: str) -> list[str]:
    """One token per level of the region path (/42/4201/420190/ → three tokens)."""
    parts = [p for p in (region_path or "").split("/") if p]
    return ["r:" + "/".join(parts[: i + 1]) for i in range(len(parts))]


@dataclass(frozen=True)
class Sample:
    """One past assignment to learn from: the message and the lead department that handled it."""

    text: str
    category: int | None
    region_path: str
    department: int
    when: datetime | None = None


def features(text: str, category, region_path: str) -> list[str]:
    """Every token one message gives the model."""
    tokens = words(text) + bigrams(text) + region_tokens(region_path)
    if category is not None:
        tokens.append(f"k:{category}")
        tokens.append(f"k:{category}|{region_path}")
    return tokens


def hasher() -> FeatureHasher:
    return FeatureHasher(n_features=N_FEATURES, input_type="string", alternate_sign=False)


def text_tokens(text: str) -> list[str]:
    """The tokens of the text alone (similar cases compare texts, then add place and category)."""
    return words(text) + bigrams(text)
