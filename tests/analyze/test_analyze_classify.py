"""The four classification schemes against hand-computed cases (DOMAIN.md)."""

from __future__ import annotations

from decimal import Decimal as D

from workbench.analyze import classify


def test_abc_cuts_keep_the_customer_that_crosses_the_line_in_the_upper_class():
    # revenues 50, 30, 10, 6, 4, 0, -5 → total 100 (positive only)
    revenue = {"a": D(50), "b": D(30), "c": D(10), "d": D(6), "e": D(4), "f": D(0), "g": D(-5)}
    points = classify.rank_abc(revenue, {}, set(), D("0.80"), D("0.95"))
    # above: a 0 %, b 50 %, c 80 % (not < 80 % → B), d 90 % → B, e 96 % → C; zero and negative → C
    assert [(p.customer, p.abc) for p in points] == [
        ("a", "A"),
        ("b", "A"),
        ("c", "B"),
        ("d", "B"),
        ("e", "C"),
        ("f", "C"),
        ("g", "C"),
    ]
    assert points[1].cumulative_share == D("0.8000") and points[0].share == D("0.5000")


def test_abc_ties_are_broken_by_customer_id():
    points = classify.rank_abc({"z": D(10), "a": D(10)}, {}, set(), D("0.80"), D("0.95"))
    assert [p.customer for p in points] == ["a", "z"]


def test_value_threshold_is_the_median_of_the_planned_accounts():
    assert classify.value_threshold([D(1), D(5), D(3), D(10)], "median") == D("4.00")
    assert classify.value_threshold([], "median") == D(0)
    assert classify.value_threshold([D(1)], D(7)) == D(7)


def test_quadrant_uses_the_loyalty_score_first_then_regularity():
    q = classify.quadrant
    assert q(D(100), D(50), 4, None, 4, D("0.75")).computed == "protect"
    assert q(D(100), D(50), 3, D("1.0"), 4, D("0.75")).computed == "dangerous"  # the score wins over regularity
    assert q(D(10), D(50), None, D("0.75"), 4, D("0.75")).computed == "rising_star"  # regularity at the threshold
    assert q(D(10), D(50), None, D("0.50"), 4, D("0.75")).computed == "phase_out"
    assert q(D(50), D(50), None, D("0.9"), 4, D("0.75")).computed == "protect"  # revenue at the threshold is big


def test_star_rating_rules_in_order_with_missing_scores_as_three():
    from workbench.settings import StarSettings

    cuts = StarSettings()

    def s(abc, fh, bi, clean, term=30, standard=30):
        return classify.stars(abc, fh, bi, clean, term, standard, cuts).computed

    assert s("A", 4, 4, True) == "4"
    assert s("A", 4, 4, True, term=90) == "4"  # 4 stars ask for a clean record, not a short term
    assert s("A", 4, 4, False) == "3"  # not a clean payment record
    assert s("B", 5, 2, True) == "3"
    assert s("B", 5, 2, True, term=0) == "3"  # cash: no credit-term need at all
    assert s("B", 5, 3, True, term=31) == "2"  # needs a longer term than the standard 30 days, shows initiative
    assert s("B", 5, 2, True, term=60) == "1"  # long terms, little initiative
    assert s("C", 5, 3, True) == "2"
    assert s("C", None, None, True) == "2"  # missing initiative counts as 3
    assert s("A", 3, 2, True) == "1"


def test_star_cut_offs_and_the_standard_term_are_settings():
    from workbench.settings import StarSettings

    strict = StarSettings(sound_finance=5, business_sense=5, initiative=4, missing_score=2)
    r = classify.stars("A", 4, 4, True, 30, 30, strict)
    assert r.computed == "2"  # health 4 < 5 is not sound (no 4 or 3 stars); initiative 4 ≥ 4
    assert (
        classify.stars("A", 4, 4, True, 30, 30, StarSettings(sound_finance=5, initiative=5, business_sense=5)).computed
        == "1"
    )
    assert classify.stars("C", None, None, True, 30, 30, StarSettings(missing_score=2)).computed == "1"
    r = classify.stars("B", 4, 2, True, 45, 30, StarSettings())
    assert r.computed == "1"
    assert (r.inputs["credit_term_days"], r.inputs["standard_term_days"], r.inputs["term_need"]) == (
        "45",
        "30",
        "longer",
    )
    assert r.inputs["sound_finance"] == "4" and r.inputs["initiative"] == "3"
    assert "initiative 2 < 3" in r.explanation
    # the standard term: a setting, or the median term of the planned accounts, rounded half up
    assert classify.standard_term([30, 60, 45], "median") == 45
    assert classify.standard_term([30, 45, 0], "median") == 38  # cash accounts left out; 37.5 → 38
    assert classify.standard_term([0, 0], "median") == 0
    assert classify.standard_term([30, 90], 60) == 60


def test_weighted_scores_and_the_screening_matrix():
    # weights 0.5/0.3/0.2 on 5/3/1 → 2.5 + 0.9 + 0.2 = 3.6; weights normalise
    assert classify.weighted_score([(D("0.5"), 5), (D("0.3"), 3), (D("0.2"), 1)]) == D("3.60")
    assert classify.weighted_score([(D(2), 5), (D(2), 1)]) == D("3.00")
    assert classify.weighted_score([]) is None
    m = classify.matrix
    assert m(D("3.6"), D("3.0"), D(3)).computed == "core"
    assert m(D("3.6"), D("2.9"), D(3)).computed == "core_potential"
    assert m(D("2.0"), D("4.0"), D(3)).computed == "maintain"
    assert m(D("2.0"), D("2.0"), D(3)).computed == "general"
    assert m(None, D("4.0"), D(3)).computed == "unscored"


def test_potential_key_override_and_class_change():
    assert classify.potential_key(D("0.20"), "B", D("0.20"))[0] is True
    assert classify.potential_key(D("0.50"), "A", D("0.20"))[0] is False
    assert classify.potential_key(None, "C", D("0.20"))[0] is False
    from workbench.settings import StarSettings

    base = classify.stars("C", 2, 2, False, 30, 30, StarSettings())
    manual = classify.override(base, {"stars": ("3", "strategic account")})
    assert (manual.computed, manual.manual, manual.reason, manual.value) == ("1", "3", "strategic account", "3")
    assert classify.changed({"stars": manual}, {"stars": "1"}) == ("stars",)
    assert classify.changed({"stars": manual}, {"stars": "3"}) == ()
