"""The pure estimate: the worked check of DEFLECTION.md, each filter, each quantity, robustness."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from support.metrics.config import DEFAULTS
from support.metrics.deflection import Events, combine, compute, rate
from support.metrics.report import canonical_json

START, END = date(2026, 10, 1), date(2026, 10, 31)
AFTER = date(2026, 12, 1)   # a day when October is final
QUESTION, ANSWER = 1, 10
ACCEPTED = datetime(2026, 9, 15, 9, tzinfo=UTC)


def at(day, hour=12, minute=0):
    return datetime(2026, 10, day, hour, minute, tzinfo=UTC)


def view(visitor, day=5, hour=12, minute=0, question=QUESTION, accepted=ANSWER, role=None, ua="browser", dwell=30,
         user=None):
    return (visitor, user, question, at(day, hour, minute), accepted, role, ua, dwell)


def vote(visitor, solved=True, day=5, question=QUESTION, user=None, hour=13):
    return (visitor, user, question, solved, at(day, hour))


def flow(visitor, day=5, clicked=QUESTION, outcome=None, holdout=False, user=None):
    return (visitor, user, at(day, 10), clicked, outcome, holdout)


def escalation(user_id, day, question=99):
    return (f"u:{user_id}", question, at(day, 15))


def acceptance(question, answer, day, staff=False, asker=500):
    return (question, answer, at(day, 9), staff, f"u:{asker}")


def events(**kw):
    kw.setdefault("acceptances", [(QUESTION, ANSWER, ACCEPTED, False, "u:500")])
    kw.setdefault("participants", {QUESTION: frozenset({500, 501})})
    kw.setdefault("staff_ids", frozenset({900}))
    return Events(**kw)


def config(**overrides):
    return {**DEFAULTS, **overrides}


def report(ev, today=AFTER, **overrides):
    return compute(ev, config(**overrides), START, END, today)


def filters(result):
    return {f["name"]: f for f in result["filters"]}


# --- the worked check -------------------------------------------------------------------

WORKED_RATES = {"r": rate(1200, 1600, 0.48, 30), "c_r": rate(110, 500, 0.09, 30), "c_q": rate(60, 150, 0.23, 30)}


def test_worked_check_arithmetic():
    deflected, savings = combine(28_600, 800, 950, WORKED_RATES, config())
    assert deflected["D"] == 5419.0
    assert round(deflected["D_low"]) == 4440 and int(deflected["D_high"]) == 6534
    assert savings["net_per_ticket"] == 7.91
    assert round(savings["S"]) == 42_864
    assert savings["headline"] == 35_124
    assert savings["S_low"] <= savings["S"] <= savings["S_high"]


def _worked_check_events():
    views, votes, contacts = [], [], []
    for i in range(1600):   # the voters: one qualified view and a vote the same day
        day = 1 + i % 31
        views.append(view(f"c:v{i}", day=day))
        votes.append(vote(f"c:v{i}", solved=i < 1200, day=day))
        if i < 500:         # readers asked after their yes
            contacts.append((f"c:v{i}", None, QUESTION, "reader", "yes" if i < 110 else ("no", "not_sure")[i % 2],
                             at(day, 14)))
    for i in range(28_600 - 1600):
        views.append(view(f"c:r{i}", day=1 + i % 31, hour=i % 24))
    flows = [flow(f"c:f{i}", day=1 + i % 31) for i in range(800)]
    accepted = [acceptance(100 + i, 10_000 + i, 1 + i % 31, asker=1000 + i) for i in range(950)]
    for i in range(150):
        contacts.append((f"u:{1000 + i}", 1000 + i, 100 + i, "asker", "yes" if i < 60 else "no", at(20, 9)))
    return events(views=views, solved_answers=votes, contact_answers=contacts, ask_flows=flows,
                  acceptances=[(QUESTION, ANSWER, ACCEPTED, False, "u:500"), *accepted])


def test_worked_check_through_compute():
    result = report(_worked_check_events())
    assert result["quantities"] == {"E": 28_600, "A": 800, "Q": 950, "staff_resolved": 0}
    assert {name: (v["k"], v["n"], v["point"], v["low"], v["high"], v["assumed"])
            for name, v in result["rates"].items()} == {
        "r": (1200, 1600, 0.75, 0.7282, 0.7706, False),
        "c_r": (110, 500, 0.22, 0.1859, 0.2584, False),
        "c_q": (60, 150, 0.4, 0.325, 0.48, False),
    }
    assert result["deflected"]["D"] == 5419.0
    assert result["savings"]["headline"] == 35_124
    assert result["companions"]["response"] == {"shown": 28_600, "yes": 1200, "no": 400, "rate": 0.0559,
                                                "r_worst_low": 0.042, "r_worst_high": 0.986}
    assert result["helped"] == [{"answer_id": ANSWER, "question_id": QUESTION, "episodes": 28_600}]


# --- filter 1: bots ---------------------------------------------------------------------

def test_unknown_user_agent_and_short_dwell_are_bots():
    result = report(events(views=[view("c:a", ua="other"), view("c:b", dwell=9), view("c:c", dwell=10)]))
    assert result["quantities"]["E"] == 1
    assert filters(result)["bots"] == {"name": "bots", "removed": 2,
                                      "detail": {"not_browser": 1, "dwell": 1, "rate": 0}}


def test_more_than_max_views_in_an_hour_drops_the_visitors_whole_day():
    flood = [view("c:x", day=5, hour=12, minute=i % 60) for i in range(61)]
    same_day_elsewhere = [view("c:x", day=5, hour=20, question=2, accepted=20)]
    next_day = [view("c:x", day=6)]
    result = report(events(views=flood + same_day_elsewhere + next_day))
    assert result["quantities"]["E"] == 1          # only day 6
    assert filters(result)["bots"]["detail"]["rate"] == 62
    # exactly the limit is allowed
    result = report(events(views=flood[:60] + same_day_elsewhere + next_day))
    assert result["quantities"]["E"] == 2
    assert filters(result)["bots"]["removed"] == 0


# --- filter 2: insiders -----------------------------------------------------------------

def test_author_answerer_staff_and_participants_are_insiders():
    result = report(events(views=[
        view("u:500", user=500, role="author"),
        view("u:501", user=501, role="answerer"),
        view("u:900", user=900, role="staff"),
        view("u:501", user=501, day=6),          # posted in the thread (flag missed at record time)
        view("u:900", user=900, day=7),          # staff now
        view("u:7", user=7),                     # an ordinary member
    ]))
    assert result["quantities"]["E"] == 1
    assert filters(result)["insiders"] == {"name": "insiders", "removed": 5,
                                          "detail": {"author": 1, "answerer": 2, "staff": 2}}


# --- filter 3: not yet solved -----------------------------------------------------------

def test_views_before_acceptance_do_not_count():
    result = report(events(views=[view("c:a", accepted=None), view("c:b", accepted=None, day=6), view("c:c")]))
    assert result["quantities"]["E"] == 1
    assert filters(result)["not_yet_solved"]["removed"] == 2
    assert result["funnel"]["views"] == 3 and result["funnel"]["qualified_views"] == 1


# --- filter 4: votes --------------------------------------------------------------------

def test_votes_need_a_qualified_view_the_same_day_and_no_participant():
    result = report(events(
        views=[view("c:a", day=5), view("c:b", day=5), view("c:c", day=5, ua="other")],
        solved_answers=[
            vote("c:a", day=5),                  # counts
            vote("c:b", day=6),                  # viewed the day before: no
            vote("c:c", day=5),                  # its view was a bot's: no
            vote("u:501", user=501, day=5),      # answered in the thread
            vote("u:900", user=900, day=5),      # staff
        ]))
    assert filters(result)["votes_without_view"] == {"name": "votes_without_view", "removed": 4,
                                                    "detail": {"no_view": 2, "participant": 2}}
    assert (result["rates"]["r"]["k"], result["rates"]["r"]["n"]) == (1, 1)


def test_the_last_vote_of_a_visitor_wins():
    result = report(events(views=[view("c:a")], solved_answers=[vote("c:a", True, hour=13),
                                                                  vote("c:a", False, hour=14)]))
    assert (result["rates"]["r"]["k"], result["rates"]["r"]["n"]) == (0, 1)


def test_the_latest_vote_wins_whatever_the_input_order_and_a_tie_goes_to_no():
    result = report(events(views=[view("c:a"), view("c:b")],
                           solved_answers=[vote("c:a", False, hour=14), vote("c:a", True, hour=13),
                                           vote("c:b", True, hour=13), vote("c:b", False, hour=13)]))
    assert (result["rates"]["r"]["k"], result["rates"]["r"]["n"]) == (0, 2)


def test_reader_contact_answers_count_only_after_a_surviving_yes():
    result = report(events(
        views=[view("c:a"), view("c:b")],
        solved_answers=[vote("c:a", True), vote("c:b", True, day=6)],
        contact_answers=[("c:a", None, QUESTION, "reader", "yes", at(5, 14)),
                         ("c:b", None, QUESTION, "reader", "yes", at(6, 14)),
                         ("u:500", 500, QUESTION, "asker", "not_sure", at(5, 14))]))
    assert (result["rates"]["c_r"]["k"], result["rates"]["c_r"]["n"]) == (1, 1)
    assert (result["rates"]["c_q"]["k"], result["rates"]["c_q"]["n"]) == (0, 1)   # "not sure" in n only


# --- filter 5: failures and the cap -----------------------------------------------------

def test_escalation_within_w_fails_the_episode_and_after_w_does_not():
    ev = events(views=[view("u:7", user=7, day=5), view("u:8", user=8, day=5)],
                escalations=[escalation(7, 12),        # day 5 + W (7): within
                             escalation(8, 13)])       # W + 1 days later: outside
    result = report(ev)
    assert result["quantities"]["E"] == 1
    assert filters(result)["failures"]["removed"] == 1 and result["funnel"]["failures"] == 1
    assert result["companions"]["escalating_members"] == 2
    assert result["companions"]["self_service_score"] == 1.0    # 2 qualified visitors / 2 escalating


def test_cap_keeps_the_earliest_days_per_visitor():
    ev = events(views=[view("u:7", user=7, day=d) for d in range(1, 11)], escalations=[escalation(7, 10)])
    result = report(ev)
    # days 1-8 kept (2 capped); the escalation on day 10 fails days 3-8
    assert result["funnel"]["episodes_before_cap"] == 10 and result["funnel"]["capped"] == 2
    assert result["funnel"]["failures"] == 6
    assert result["quantities"]["E"] == 2
    assert report(ev, cap_per_visitor=3)["quantities"]["E"] == 2   # days 1, 2 (day 3 fails)


# --- A: ask flows -----------------------------------------------------------------------

def test_ask_flow_rules():
    ev = events(
        views=[view("c:a", day=5)],
        ask_flows=[
            flow("c:a", day=5),                          # counts, and removes c:a's episode of day 5
            flow("c:b", day=5, clicked=None),            # no click: not evidence
            flow("c:c", day=5), flow("c:c", day=9, clicked=None, outcome="posted"),   # posted later
            flow("u:7", user=7, day=5),                  # escalated within W
            flow("c:d", day=5, holdout=True),             # holdout: never counted, even with a click
            flow("c:e", day=5, clicked=2),               # clicked an unsolved question
            flow("c:f", day=5, outcome="posted"),        # not abandoned
            flow("u:8", user=8, day=5),                  # escalated after W: counts
        ],
        escalations=[escalation(7, 10), escalation(8, 13)])
    result = report(ev)
    assert result["quantities"]["A"] == 2
    assert result["funnel"]["in_ask_flows"] == 1
    assert result["quantities"]["E"] == 0


def test_holdout_comparison_with_newcombe_interval():
    flows = [flow(f"u:{i}", user=i, holdout=i < 20, clicked=None) for i in range(400)]
    escalations = [escalation(i, 6) for i in range(10)] + [escalation(i, 6) for i in range(20, 40)]
    result = report(events(ask_flows=flows, escalations=escalations))
    holdout = result["companions"]["holdout"]
    assert (holdout["holdout_flows"], holdout["holdout_escalated"]) == (20, 10)
    assert (holdout["treated_flows"], holdout["treated_escalated"]) == (380, 20)
    assert holdout["difference"] == round(0.5 - 20 / 380, 4)
    assert holdout["low"] > 0 and holdout["corroborated"] is True
    assert report(events(ask_flows=flows[20:]))["companions"]["holdout"] is None


# --- Q ----------------------------------------------------------------------------------

def test_q_excludes_staff_answers_and_askers_who_escalated():
    ev = events(acceptances=[
        acceptance(2, 20, 5, asker=501),
        acceptance(3, 30, 5, staff=True, asker=502),      # staff answer: resolved by staff, not deflection
        acceptance(4, 40, 5, asker=503),                  # asker escalated within W
        acceptance(5, 50, 5, asker=504),                  # asker escalated after W
        (6, 60, datetime(2026, 9, 30, 23, tzinfo=UTC), False, "u:505"),   # before the period
    ], escalations=[escalation(503, 11), escalation(504, 13)], resolved_by_staff=[(3, at(6)), (7, at(30))])
    result = report(ev)
    assert result["quantities"]["Q"] == 2
    assert result["quantities"]["staff_resolved"] == 2


# --- rates, priors, period --------------------------------------------------------------

def test_below_n_min_a_rate_is_the_assumed_prior():
    ev = events(views=[view(f"c:{i}") for i in range(5)], solved_answers=[vote(f"c:{i}") for i in range(5)])
    r = report(ev)["rates"]["r"]
    assert r == {"k": 5, "n": 5, "point": 0.48, "low": 0.48, "high": 0.48, "assumed": True, "prior": 0.48}
    r = report(ev, n_min=5)["rates"]["r"]
    assert (r["point"], r["high"], r["assumed"]) == (1.0, 1.0, False)
    assert r["low"] == round(__import__("support.metrics.stats", fromlist=["wilson"]).wilson(5, 5)[0], 4)


def test_provisional_until_w_days_after_the_end():
    ev = events()
    assert report(ev, today=date(2026, 11, 7))["period"] == {
        "from": "2026-10-01", "to": "2026-10-31", "provisional": True, "final_on": "2026-11-08"}
    assert report(ev, today=date(2026, 11, 8))["period"]["provisional"] is False
    assert report(ev, today=date(2026, 11, 8), window_days=10)["period"]["provisional"] is True


def test_views_outside_the_period_are_ignored():
    ev = events(views=[view("c:a"), ("c:b", None, QUESTION, datetime(2026, 11, 1, tzinfo=UTC), ANSWER, None,
                                     "browser", 30)])
    result = report(ev)
    assert result["funnel"]["views"] == 1 and result["quantities"]["E"] == 1


# --- robustness -------------------------------------------------------------------------

def _genuine():
    rng = random.Random(6)
    views, votes = [], []
    for i in range(300):
        day, question = rng.randint(1, 31), rng.randint(1, 5)
        views.append(view(f"c:g{i}", day=day, question=question, accepted=question * 10, hour=rng.randint(0, 23)))
        if i % 3 == 0:
            votes.append(vote(f"c:g{i}", solved=i % 2 == 0, day=day, question=question, hour=23))
    acceptances = [(q, q * 10, ACCEPTED, False, f"u:{500 + q}") for q in range(1, 6)]
    participants = {q: frozenset({500 + q, 600 + q}) for q in range(1, 6)}
    return dict(views=views, solved_answers=votes, acceptances=acceptances, participants=participants,
                ask_flows=[flow("c:f1"), flow("c:g0", day=3)], escalations=[escalation(9, 20)])


def _outputs(result):
    return {key: value for key, value in result.items() if key not in ("filters", "funnel")}


def test_noise_cannot_move_the_estimate():
    genuine = _genuine()
    base = report(events(**genuine), n_min=5)
    rng = random.Random(7)
    noise = [view(f"c:bot{rng.randint(0, 500)}", day=rng.randint(1, 31), hour=rng.randint(0, 23),
                  question=rng.randint(1, 5), accepted=rng.choice([None, 10]), ua=rng.choice(["other", "bot", ""]))
             for _ in range(10_000)]
    first = genuine["views"][0]
    noise += [first] * 5                                                        # repeated views that day
    noise += [view(f"u:{500 + q}", user=500 + q, question=q, accepted=q * 10, role="author") for q in range(1, 6)]
    noise += [view(f"u:{600 + q}", user=600 + q, question=q, accepted=q * 10) for q in range(1, 6)]
    noise += [view(f"c:early{i}", accepted=None, question=2) for i in range(50)]   # before acceptance
    noise_votes = [vote(f"c:novote{i}", day=9) for i in range(40)] + [vote("u:501", user=501, question=1)]
    noisy = events(**{**genuine, "views": genuine["views"] + noise,
                      "solved_answers": genuine["solved_answers"] + noise_votes})
    result = report(noisy, n_min=5)
    assert base["quantities"]["E"] > 0 and not base["rates"]["r"]["assumed"]
    assert _outputs(result) == _outputs(base)
    assert filters(result)["bots"]["removed"] >= 10_000
    assert filters(result)["votes_without_view"]["removed"] == filters(base)["votes_without_view"]["removed"] + 41


def test_recomputing_gives_byte_identical_json_whatever_the_event_order():
    genuine = _genuine()
    first = canonical_json(report(events(**genuine)))
    shuffled = {key: list(value) if isinstance(value, list) else value for key, value in genuine.items()}
    for value in shuffled.values():
        if isinstance(value, list):
            random.Random(3).shuffle(value)
    assert canonical_json(report(events(**genuine))) == first
    assert canonical_json(report(events(**shuffled))) == first


def test_rates_are_rounded_for_the_report():
    result = report(_worked_check_events())
    for value in result["rates"].values():
        for key in ("point", "low", "high"):
            assert value[key] == round(value[key], 4)
    for key in ("D", "D_low", "D_high"):
        assert result["deflected"][key] == round(result["deflected"][key], 2)


@pytest.mark.parametrize("field", ["views", "solved_answers", "ask_flows"])
def test_compute_writes_nothing_into_its_input(field):
    ev = events(**_genuine())
    before = list(getattr(ev, field))
    report(ev)
    assert getattr(ev, field) == before


def test_timedelta_window_is_by_whole_days():
    # an escalation late on day 5 + W still fails an episode early on day 5
    ev = events(views=[view("u:7", user=7, day=5, hour=0)],
                escalations=[("u:7", 99, at(5, 0) + timedelta(days=7, hours=23))])
    assert report(ev)["quantities"]["E"] == 0


def test_a_stream_of_views_gives_the_same_report_and_must_be_in_time_order():
    genuine = _genuine()
    in_order = sorted(genuine["views"], key=lambda row: row[3])
    as_list = report(events(**genuine))
    assert report(events(**{**genuine, "views": iter(in_order)})) == as_list
    with pytest.raises(ValueError):
        report(events(**{**genuine, "views": iter(in_order[::-1])}))
