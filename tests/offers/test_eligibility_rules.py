"""The eligibility rules on generated audiences and profiles (no database): three outcomes,
French reasons, unknown data never turned into a silent "no"."""

from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from guichet.offers.eligibility import (
    ELIGIBLE,
    NOT_ELIGIBLE,
    STATUS_RANK,
    TO_CHECK,
    CompanyProfile,
    OfferRules,
    age_in_years,
    evaluate,
)

TODAY = date(2025, 6, 15)
SIZES = ["TPE", "PME", "ETI", "GE"]
STATUSES = ["never", "new", "occasional", "regular"]
STAGES = ["identified", "contacted", "diagnosed", "accompanied", "first_export", "regular"]
BANDS = [
    (0, 0),
    (1, 2),
    (3, 5),
    (6, 9),
    (10, 19),
    (20, 49),
    (50, 99),
    (100, 199),
    (200, 249),
    (250, 499),
    (500, 999),
    (1000, 1999),
    (2000, 4999),
    (5000, 9999),
    (10000, None),
]
FILIERES = [(1, "Agroalimentaire"), (2, "Vins et spiritueux"), (3, "Microtechniques")]
REGIONS = [
    ("27", "Bourgogne-Franche-Comté"),
    ("84", "Auvergne-Rhône-Alpes"),
    ("11", "Île-de-France"),
]

subsets = lambda values: st.frozensets(st.sampled_from(values))  # noqa: E731
maybe = lambda strategy: st.none() | strategy  # noqa: E731
small_int = st.integers(min_value=0, max_value=12000)
dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31))

rules_strategy = st.builds(
    OfferRules,
    sizes=subsets(SIZES),
    export_statuses=subsets(STATUSES),
    stages=subsets(STAGES),
    filieres=st.lists(st.sampled_from(FILIERES), unique=True).map(tuple),
    regions=st.lists(st.sampled_from(REGIONS), unique=True).map(tuple),
    min_employees=maybe(small_int),
    max_employees=maybe(small_int),
    min_age_years=maybe(st.integers(0, 30)),
    max_age_years=maybe(st.integers(0, 30)),
    valid_from=maybe(dates),
    valid_until=maybe(dates),
    is_active=st.booleans(),
)
known_profile = st.builds(
    CompanyProfile,
    size_category=st.sampled_from(SIZES),
    export_status=st.sampled_from(STATUSES),
    filiere_ids=subsets([1, 2, 3, 4]),
    region_codes=subsets(["27", "84", "11", "44"]).filter(bool),
    headcount=st.sampled_from(BANDS),
    creation_date=st.dates(min_value=date(1950, 1, 1), max_value=TODAY),
    stage=st.sampled_from([*STAGES, "dropped"]),
)
# Company facts an advisor can ask about (the journey stage is the platform's own data).
PROFILE_FIELDS = [
    "size_category",
    "export_status",
    "filiere_ids",
    "region_codes",
    "headcount",
    "creation_date",
]


def forget(profile: CompanyProfile, fields: frozenset[str]) -> CompanyProfile:
    from dataclasses import replace

    return replace(profile, **dict.fromkeys(fields))


@given(profile=known_profile | st.just(CompanyProfile()))
def test_an_offer_without_restriction_suits_everyone(profile):
    result = evaluate(OfferRules(), profile, TODAY)
    assert result.status == ELIGIBLE
    assert result.eligible
    assert result.reasons == []


@given(rules=rules_strategy, profile=known_profile | st.builds(CompanyProfile))
def test_reasons_explain_every_outcome_but_eligible(rules, profile):
    result = evaluate(rules, profile, TODAY)
    assert result.status in STATUS_RANK
    assert (result.reasons == []) == (result.status == ELIGIBLE)
    assert all(reason.endswith(".") and reason[0].isupper() for reason in result.reasons)


@given(rules=rules_strategy, profile=known_profile, unknown=subsets(PROFILE_FIELDS))
def test_unknown_data_gives_to_check_never_a_different_answer(rules, profile, unknown):
    """Forgetting some company data can only turn a sure answer into "to check": a company that
    would be eligible is never declared not eligible for what the registry does not know, and
    a company that fails a known rule is not rescued by ignorance."""
    full = evaluate(rules, profile, TODAY).status
    partial = evaluate(rules, forget(profile, unknown), TODAY).status
    assert partial in (full, TO_CHECK)


@given(rules=rules_strategy, profile=known_profile)
def test_without_a_journey_the_stage_restriction_does_not_apply(rules, profile):
    from dataclasses import replace

    without_journey = evaluate(rules, replace(profile, stage=None), TODAY)
    unrestricted = evaluate(replace(rules, stages=frozenset()), profile, TODAY)
    assert without_journey == unrestricted


def test_a_company_the_registry_knows_nothing_about_is_never_refused_by_audience():
    rules = OfferRules(
        sizes=frozenset({"PME"}),
        export_statuses=frozenset({"new"}),
        stages=frozenset({"contacted"}),
        filieres=(FILIERES[0],),
        regions=(REGIONS[0],),
        min_employees=10,
        max_age_years=5,
    )
    result = evaluate(rules, CompanyProfile(), TODAY)
    assert result.status == TO_CHECK
    assert len(result.reasons) == 6


@given(base=rules_strategy, extra_sizes=subsets(SIZES), profile=known_profile)
def test_narrowing_the_audience_never_improves_the_outcome(base, extra_sizes, profile):
    from dataclasses import replace

    narrower = replace(
        base,
        sizes=(base.sizes & extra_sizes) if base.sizes else extra_sizes,
    )
    assume(narrower.sizes or not base.sizes)
    wide = evaluate(base, profile, TODAY)
    narrow = evaluate(narrower, profile, TODAY)
    assert narrow.rank >= wide.rank


@given(sizes=subsets(SIZES).filter(bool), size=st.sampled_from(SIZES))
def test_size_rule(sizes, size):
    result = evaluate(OfferRules(sizes=sizes), CompanyProfile(size_category=size), TODAY)
    assert result.eligible == (size in sizes)
    if not result.eligible:
        assert result.status == NOT_ELIGIBLE
        assert result.reasons[0].startswith("Réservée aux ")


def test_size_reason_reads_as_a_sentence():
    result = evaluate(
        OfferRules(sizes=frozenset({"PME", "ETI"})), CompanyProfile(size_category="TPE"), TODAY
    )
    assert result.reasons == ["Réservée aux PME et ETI : l'entreprise est une TPE."]
    unknown = evaluate(OfferRules(sizes=frozenset({"PME"})), CompanyProfile(), TODAY)
    assert unknown.status == TO_CHECK
    assert unknown.reasons == ["Réservée aux PME : la catégorie de l'entreprise n'est pas connue."]


@given(low=maybe(small_int), high=maybe(small_int), band=st.sampled_from(BANDS))
def test_headcount_band_is_an_interval(low, high, band):
    """Eligible when every headcount of the band is within the limits, not eligible when none
    is, to check when some are."""
    assume(low is not None or high is not None)
    assume(low is None or high is None or low <= high)  # offer_create refuses min > max
    result = evaluate(
        OfferRules(min_employees=low, max_employees=high), CompanyProfile(headcount=band), TODAY
    )
    band_low, band_high = band
    top = band_high if band_high is not None else max(band_low, low or 0, high or 0) + 1
    fits = [
        (low is None or n >= low) and (high is None or n <= high) for n in range(band_low, top + 1)
    ]
    if band_high is None:
        # The open band also holds every larger headcount: beyond `top` fits iff no maximum.
        fits.append(high is None)
    if all(fits):
        assert result.status == ELIGIBLE
    elif not any(fits):
        assert result.status == NOT_ELIGIBLE
    else:
        assert result.status == TO_CHECK


@given(
    created=st.dates(min_value=date(1950, 1, 1), max_value=TODAY),
    low=maybe(st.integers(0, 40)),
    high=maybe(st.integers(0, 40)),
)
def test_age_rule(created, low, high):
    assume(low is not None or high is not None)
    age = age_in_years(created, TODAY)
    result = evaluate(
        OfferRules(min_age_years=low, max_age_years=high),
        CompanyProfile(creation_date=created),
        TODAY,
    )
    assert result.eligible == ((low is None or age >= low) and (high is None or age <= high))


@given(
    created=st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 1, 1)),
    days=st.integers(0, 20000),
)
def test_age_counts_completed_years(created, days):
    later = created + timedelta(days=days)
    age = age_in_years(created, later)
    # A year lasts 365 or 366 days: between days/366 and days/365 completed years.
    assert days // 366 <= age <= days // 365
    assert age_in_years(created, created) == 0


def test_age_on_anniversary_and_leap_day():
    assert age_in_years(date(2020, 6, 15), TODAY) == 5
    assert age_in_years(date(2020, 6, 16), TODAY) == 4
    assert age_in_years(date(2020, 2, 29), date(2021, 2, 28)) == 0
    assert age_in_years(date(2020, 2, 29), date(2021, 3, 1)) == 1


@given(start=maybe(dates), end=maybe(dates), today=dates)
def test_validity_dates(start, end, today):
    result = evaluate(OfferRules(valid_from=start, valid_until=end), CompanyProfile(), today)
    inside = (start is None or start <= today) and (end is None or today <= end)
    assert result.eligible == inside


def test_withdrawn_offer_is_not_eligible():
    result = evaluate(OfferRules(is_active=False), CompanyProfile(size_category="PME"), TODAY)
    assert result.reasons == ["L'offre a été retirée du catalogue."]


def test_expired_offer_says_when_it_ended():
    result = evaluate(OfferRules(valid_until=date(2025, 1, 31)), CompanyProfile(), TODAY)
    assert result.reasons == ["L'offre a pris fin le 31/01/2025."]


@given(stages=subsets(STAGES).filter(bool), stage=st.sampled_from([*STAGES, "dropped"]))
def test_stage_rule(stages, stage):
    result = evaluate(OfferRules(stages=stages), CompanyProfile(stage=stage), TODAY)
    assert result.eligible == (stage in stages)


def test_reasons_name_the_rule_and_the_company():
    rules = OfferRules(
        export_statuses=frozenset({"never", "new"}),
        filieres=(FILIERES[1],),
        regions=(REGIONS[0],),
        stages=frozenset({"contacted", "diagnosed"}),
        min_employees=10,
        max_employees=249,
    )
    profile = CompanyProfile(
        export_status="regular",
        filiere_ids=frozenset({1}),
        region_codes=frozenset({"84"}),
        headcount=(3, 5),
        stage="accompanied",
    )
    result = evaluate(rules, profile, TODAY)
    assert result.status == NOT_ELIGIBLE
    assert result.reasons == [
        "Réservée aux entreprises qui n'exportent pas encore et primo-exportateurs : "
        "l'entreprise exporte régulièrement.",
        "Réservée à la filière Vins et spiritueux : l'entreprise n'appartient pas à cette filière.",
        "Réservée aux entreprises implantées en Bourgogne-Franche-Comté : aucun établissement "
        "de l'entreprise n'y est situé.",
        "Réservée aux entreprises de 10 à 249 salariés : l'entreprise compte 3 à 5 salariés.",
        "Destinée aux étapes « contactée » et « diagnostiquée » du parcours export : "
        "l'entreprise est à l'étape « accompagnée ».",
    ]


def test_straddling_band_is_to_check():
    result = evaluate(OfferRules(min_employees=10), CompanyProfile(headcount=(6, 9)), TODAY)
    assert result.status == NOT_ELIGIBLE
    result = evaluate(OfferRules(max_employees=30), CompanyProfile(headcount=(20, 49)), TODAY)
    assert result.status == TO_CHECK
    assert "ne permet pas de conclure" in result.reasons[0]
