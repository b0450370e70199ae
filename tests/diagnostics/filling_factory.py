"""Fixtures of the diagnostic-core tests (questionnaire, scoring, filling, API, permissions):
a company, the default questionnaire that migration 0004 published, diagnostics started by the
cast of tests/conftest.py, and a way to answer every question of a diagnostic."""

import pytest

from guichet.diagnostics.models import Diagnostic, Question
from guichet.diagnostics.questionnaire import DEFAULT_SLUG
from guichet.diagnostics.selectors import version_by_number
from guichet.diagnostics.services import diagnostic_answers_save, diagnostic_start
from tests.companies.conftest import make_company

SIREN = "552100554"


@pytest.fixture
def company(reference):
    return make_company(SIREN, "Biscuiterie de Dijon", naf=None)


@pytest.fixture
def version(db):
    return version_by_number(DEFAULT_SLUG, 1)


@pytest.fixture
def diagnostic(company, version, advisor_a) -> Diagnostic:
    return diagnostic_start(company=company, by=advisor_a, version=version)


def best_values(version, *, level: str = "best") -> dict:
    """A value for every question of the version: the best option/scale/band ("best"), the
    worst ("worst"), or the middle option ("middle")."""
    values = {}
    for question in version.questions.prefetch_related("options").order_by("pk"):
        options = sorted(question.options.all(), key=lambda o: (o.score, o.order))
        if question.kind == Question.Kind.SINGLE:
            pick = {"best": -1, "worst": 0, "middle": len(options) // 2}[level]
            values[question.code] = options[pick].code
        elif question.kind == Question.Kind.MULTIPLE:
            positive = [o.code for o in options if o.score > 0]
            values[question.code] = positive if level == "best" else [options[0].code]
        elif question.kind == Question.Kind.SCALE:
            low, high = question.scale_min, question.scale_max
            values[question.code] = {"best": high, "worst": low, "middle": (low + high) // 2}[level]
        elif question.kind == Question.Kind.NUMBER:
            uppers = [upper for upper, _score in question.number_bands if upper is not None]
            best = min(max(uppers) + 1, 100) if question.unit == "%" else max(uppers) + 1
            middle = uppers[len(uppers) // 2]
            values[question.code] = {"best": best, "worst": 0, "middle": middle}[level]
        else:
            values[question.code] = "Une première commande venue d'Allemagne."
    return values


def answer_all(diagnostic, *, level: str = "best", by=None) -> None:
    diagnostic_answers_save(
        diagnostic=diagnostic, values=best_values(diagnostic.version, level=level), by=by
    )
