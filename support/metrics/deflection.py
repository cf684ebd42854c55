"""The deflection estimate of DEFLECTION.md, computed from plain event tuples.

Pure: no Flask, no database, no clock; the same events and configuration give the same
report. It reads `Events`, writes nothing and awards nothing.

Readings where DEFLECTION.md is silent (each the conservative one):
- "Within W days" of an event on UTC day d means on day d itself or any of the W days
  after it (created before d + W + 1 days, 00:00 UTC), the same for episodes, ask flows and
  acceptances. An escalation earlier on the same day therefore also counts: the window
  is by day, as episodes are. The period becomes final on end + W + 1 days, when every
  such window has closed.
- The rate limit counts every recorded view of the visitor in the clock hour, whatever
  its user agent or dwell; the views it removes are those still standing after the user
  agent and dwell checks.
- Insiders are views flagged author / answerer / staff at record time, then members
  who are staff now ("staff") or who posted in the thread at any time ("answerer": an
  answer or a comment; the asker is always flagged "author" at record time).
- Only views in [start, end] count; later views the loader may pass are ignored.
- Votes are the solved-it answers given in the period, one per visitor per thread (the
  latest wins; at the same instant the "no"); contact answers likewise one per visitor,
  thread and source. A reader's would-have-contacted answer counts only when that
  reader's "yes" on the same thread survived filter 4 (it is asked after that "yes").
- A member's escalation fails their episodes and ask flows whatever the thread; Q loses
  an acceptance when the asker escalated any thread within W.
- An ask flow's clicked question counts as solved when its accepted answer was
  accepted no later than the flow started; "posted" means another flow of the same
  person (visitor key, or the member) with outcome "posted" within W.
- The per-answer "helped" figures count qualified episodes before the cap and failures.
"""

from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from math import floor
from operator import itemgetter

from .stats import newcombe, wilson

BROWSERS = frozenset(("browser", "mobile"))
RATES = ("r", "c_r", "c_q")
INSIDER_ROLES = ("author", "answerer", "staff")
TOP_HELPED = 20

_VIEWED_AT = itemgetter(3)


@dataclass
class Events:
    """What the estimate reads: plain tuples, as `support.metrics.report.load_events` passes them.

    `views` is a list (sorted here) or a one-pass stream already in time order; the rest are lists.

    views: (visitor_key, user_id, question_id, viewed_at, accepted_answer_id, viewer_role, ua_class, dwell_seconds)
    solved_answers: (visitor_key, user_id, question_id, solved, answered_at)
    contact_answers: (visitor_key, user_id, question_id, source, answer, answered_at)
    ask_flows: (visitor_key, user_id, started_at, clicked_question_id, outcome, holdout)
    escalations: (visitor_key, question_id, created_at)
    acceptances: (question_id, answer_id, accepted_at, answerer_is_staff, asker_key)
    resolved_by_staff: (question_id, resolved_at)
    """

    views: list = field(default_factory=list)
    solved_answers: list = field(default_factory=list)
    contact_answers: list = field(default_factory=list)
    ask_flows: list = field(default_factory=list)
    escalations: list = field(default_factory=list)
    acceptances: list = field(default_factory=list)
    resolved_by_staff: list = field(default_factory=list)
    participants: dict = field(default_factory=dict)
    staff_ids: frozenset = frozenset()


def final_on(end: date, config: dict) -> date:
    """The first day on which the period ending on `end` is no longer provisional."""
    return end + timedelta(days=int(config["window_days"]) + 1)


def rate(k: int, n: int, prior: float, n_min: int) -> dict:
    """A rate with its Wilson interval, or the prior (`assumed`) below n_min answers."""
    if n < n_min:
        return {"k": k, "n": n, "point": prior, "low": prior, "high": prior, "assumed": True, "prior": prior}
    low, high = wilson(k, n)
    return {"k": k, "n": n, "point": k / n, "low": low, "high": high, "assumed": False, "prior": prior}


def combine(E: int, A: int, Q: int, rates: dict, config: dict) -> tuple[dict, dict]:
    """Return (deflected, savings): D = E r c_r + (A + Q) c_q, its bounds and what they save."""
    def deflected(bound):
        r, c_r, c_q = (rates[name][bound] for name in RATES)
        return E * r * c_r + (A + Q) * c_q

    d, d_low, d_high = deflected("point"), deflected("low"), deflected("high")
    net = round(config["cost_per_ticket"] - config["cost_per_self_service"], 6)
    savings = {
        "currency": config["currency"],
        "cost_per_ticket": config["cost_per_ticket"],
        "cost_per_self_service": config["cost_per_self_service"],
        "net_per_ticket": net,
        "S": round(d * net, 2), "S_low": round(d_low * net, 2), "S_high": round(d_high * net, 2),
        # floor of the unrounded lower bound: rounding first could only raise it.
        "headline": floor(d_low * net),
    }
    return {"D": round(d, 2), "D_low": round(d_low, 2), "D_high": round(d_high, 2)}, savings


class _Window:
    """The UTC day indexes of each person's events, to answer "within W days of day d"."""

    def __init__(self, days_by_key: dict, window_days: int):
        self.days = {key: sorted(values) for key, values in days_by_key.items()}
        self.w = window_days

    def within(self, key, day: int) -> bool:
        values = self.days.get(key)
        if not values:
            return False
        i = bisect_left(values, day)
        return i < len(values) and values[i] <= day + self.w


def _by_day(views):
    """A list is sorted by time here; any other iterable (a database stream) must already be in time order."""
    return sorted(views, key=_VIEWED_AT) if isinstance(views, (list, tuple)) else views


def _person_keys(visitor_key, user_id):
    return (visitor_key,) if user_id is None or visitor_key == f"u:{user_id}" else (visitor_key, f"u:{user_id}")


class _Scan:
    """Filters 1-3 over the views of the period, one UTC day at a time (the rate limit is per day).

    Most visitors come once to one thread: a bare int per visitor, a container only for the
    others (a month of a busy community holds millions of visitors here).
    """

    def __init__(self, config: dict, events: Events, votes_needing_view: dict):
        self.max_per_hour = config["max_views_per_hour"]
        self.participants = events.participants
        self.staff_ids = events.staff_ids
        self.votes_needing_view = votes_needing_view
        self.removed = Counter()
        self.views = self.qualified_views = 0
        self.episode_days = {}     # visitor -> day, or [day, ...] ascending: qualified episodes
        self.threads = {}          # visitor -> question, or {question, ...}: where the prompt could be shown
        self.helped = Counter()    # accepted answer -> qualified episodes after its acceptance
        self.helped_question = {}
        self.seen_votes = set()    # (visitor, question, day) of votes backed by a qualified view

    def run(self, views, start_ordinal: int, n_days: int, t_dwell):
        removed = self.removed
        current_day, buffer, hour_counts = None, [], Counter()
        for visitor, user_id, question_id, viewed_at, accepted_id, role, ua_class, dwell in _by_day(views):
            day = viewed_at.toordinal() - start_ordinal
            if not 0 <= day < n_days:
                continue
            if day != current_day:
                if current_day is not None and day < current_day:
                    raise ValueError("streamed views must come in time order (a list is sorted here)")
                if current_day is not None:
                    self._close_day(current_day, buffer, hour_counts)
                current_day, buffer, hour_counts = day, [], Counter()
            self.views += 1
            hour_counts[(visitor, viewed_at.hour)] += 1
            if ua_class not in BROWSERS:
                removed["not_browser"] += 1
            elif dwell is None or dwell < t_dwell:
                removed["dwell"] += 1
            else:
                buffer.append((visitor, user_id, question_id, accepted_id, role))
        if current_day is not None:
            self._close_day(current_day, buffer, hour_counts)
        return self

    def _close_day(self, day, buffer, hour_counts):
        removed, participants, staff_ids, empty = self.removed, self.participants, self.staff_ids, frozenset()
        flooding = {visitor for (visitor, _hour), count in hour_counts.items() if count > self.max_per_hour}
        answers_today = set()
        for visitor, user_id, question_id, accepted_id, role in buffer:
            if visitor in flooding:
                removed["rate"] += 1
            elif role is not None:
                removed[role if role in INSIDER_ROLES else "answerer"] += 1
            elif user_id is not None and user_id in staff_ids:
                removed["staff"] += 1
            elif user_id is not None and user_id in participants.get(question_id, empty):
                removed["answerer"] += 1
            elif accepted_id is None:
                removed["not_yet_solved"] += 1
            else:
                self._qualified(visitor, question_id, accepted_id, day, answers_today)

    def _qualified(self, visitor, question_id, accepted_id, day, answers_today):
        self.qualified_views += 1
        days = self.episode_days.get(visitor)
        if days is None:
            self.episode_days[visitor] = day
        elif days.__class__ is int:
            if days != day:
                self.episode_days[visitor] = [days, day]
        elif days[-1] != day:
            days.append(day)
        seen = self.threads.get(visitor)
        if seen is None:
            self.threads[visitor] = question_id
        elif seen.__class__ is set:
            seen.add(question_id)
        elif seen != question_id:
            self.threads[visitor] = {seen, question_id}
        if (visitor, accepted_id) not in answers_today:
            answers_today.add((visitor, accepted_id))
            self.helped[accepted_id] += 1
            self.helped_question[accepted_id] = question_id
        key = (visitor, question_id, day)
        if key in self.votes_needing_view:
            self.seen_votes.add(key)

    def shown(self) -> int:
        """Distinct (visitor, thread) pairs with a qualified view of a solved thread."""
        return sum(1 if seen.__class__ is int else len(seen) for seen in self.threads.values())


def _votes(events: Events, day_of, n_days: int) -> tuple[dict, int]:
    """Filter 4, first half: the latest vote per visitor and thread in the period, minus participants'.

    Returns ({(visitor, question, day): solved} still needing a qualified view, participants' votes).
    """
    def is_participant(question_id, user_id) -> bool:
        return user_id is not None and (user_id in events.staff_ids
                                        or user_id in events.participants.get(question_id, ()))

    latest = {}
    # Ties at the same instant: the "no" wins (the conservative reading), whatever the input order.
    for answer in sorted(events.solved_answers, key=lambda row: (row[4], not row[3])):
        latest[(answer[0], answer[2])] = answer
    participant_votes, needing_view = 0, {}
    for (visitor, question_id), (_v, user_id, _q, solved, answered_at) in latest.items():
        day = day_of(answered_at)
        if not 0 <= day < n_days:
            continue
        if is_participant(question_id, user_id):
            participant_votes += 1
        else:
            needing_view[(visitor, question_id, day)] = solved
    return needing_view, participant_votes


def _contact(events: Events, day_of, n_days: int, readers_yes: set) -> dict:
    """[yes, answers] per source in the period: readers after a surviving "yes", and askers."""
    contact = {"reader": [0, 0], "asker": [0, 0]}
    last = {(row[0], row[2], row[3]): row
            for row in sorted(events.contact_answers, key=lambda row: (row[5], row[4] != "yes"))}
    for visitor, _user_id, question_id, source, answer, answered_at in last.values():
        if not 0 <= day_of(answered_at) < n_days or source not in contact:
            continue
        if source == "reader" and (visitor, question_id) not in readers_yes:
            continue
        contact[source][1] += 1
        contact[source][0] += answer == "yes"
    return contact


def _ask_flows(events: Events, day_of, n_days: int, escalations: _Window, w: int):
    """Return (A, the (visitor, day) pairs of A's flows, {holdout flag: [escalated, flows]})."""
    accepted_at = {acc[0]: acc[2] for acc in events.acceptances}
    posted_days = defaultdict(list)
    for visitor, user_id, started_at, _clicked, outcome, _holdout in events.ask_flows:
        if outcome == "posted":
            for key in _person_keys(visitor, user_id):
                posted_days[key].append(day_of(started_at))
    posted = _Window(posted_days, w)

    a, pairs = 0, set()
    holdout = {True: [0, 0], False: [0, 0]}
    for visitor, user_id, started_at, clicked, outcome, is_holdout in events.ask_flows:
        day = day_of(started_at)
        if not 0 <= day < n_days:
            continue
        keys = _person_keys(visitor, user_id)
        escalated = any(escalations.within(key, day) for key in keys)
        holdout[bool(is_holdout)][1] += 1
        holdout[bool(is_holdout)][0] += escalated
        if is_holdout or outcome is not None or clicked is None:
            continue
        solved_at = accepted_at.get(clicked)
        if solved_at is None or solved_at > started_at:
            continue
        if escalated or any(posted.within(key, day) for key in keys):
            continue
        a += 1
        pairs.add((visitor, day))
    return a, pairs, holdout


def _episodes(episode_days: dict, cap: int, escalations: _Window, a_pairs: set) -> dict:
    """E: the cap per visitor (earliest days), then failures, then the days counted in A."""
    counts = dict.fromkeys(("episodes_before_cap", "capped", "in_ask_flows", "failures", "E"), 0)
    for visitor, days in episode_days.items():
        if days.__class__ is int:
            days = (days,)
        counts["episodes_before_cap"] += len(days)
        if len(days) > cap:
            counts["capped"] += len(days) - cap
            days = days[:cap]
        for day in days:
            if escalations.within(visitor, day):
                counts["failures"] += 1
            elif (visitor, day) in a_pairs:
                counts["in_ask_flows"] += 1
            else:
                counts["E"] += 1
    return counts


def _holdout_report(holdout: dict) -> dict | None:
    """The causal check of A: holdout minus treated escalation rate, with Newcombe's interval."""
    (held_escalated, held), (treated_escalated, treated) = holdout[True], holdout[False]
    if not held:
        return None
    report = {"holdout_flows": held, "holdout_escalated": held_escalated,
              "treated_flows": treated, "treated_escalated": treated_escalated,
              "difference": None, "low": None, "high": None, "corroborated": False}
    if treated:
        difference, low, high = newcombe(held_escalated, held, treated_escalated, treated)
        report.update(difference=round(difference, 4), low=round(low, 4), high=round(high, 4),
                      corroborated=difference > 0 and low > 0)
    return report


def _filters(removed: Counter, no_view: int, participant_votes: int, failures: int) -> list:
    def step(name, keys, total=None):
        detail = {key: removed[key] for key in keys}
        return {"name": name, "removed": sum(detail.values()) if total is None else total, "detail": detail}

    return [
        step("bots", ("not_browser", "dwell", "rate")),
        step("insiders", INSIDER_ROLES),
        step("not_yet_solved", (), removed["not_yet_solved"]),
        {"name": "votes_without_view", "removed": no_view + participant_votes,
         "detail": {"no_view": no_view, "participant": participant_votes}},
        step("failures", (), failures),
    ]


def _share(numerator, denominator):
    return round(numerator / denominator, 4) if denominator else None


def compute(events: Events, config: dict, start: date, end: date, today: date) -> dict:
    """Return the deflection report of the period [start, end] (UTC days, end inclusive)."""
    w = int(config["window_days"])
    n_days = (end - start).days + 1
    start_ordinal = start.toordinal()

    def day_of(moment) -> int:
        # UTC day index from `start`: a datetime's ordinal is its date's.
        return moment.toordinal() - start_ordinal

    needing_view, participant_votes = _votes(events, day_of, n_days)
    scan = _Scan(config, events, needing_view).run(events.views, start_ordinal, n_days, config["dwell_seconds"])
    seen = scan.seen_votes
    yes = sum(1 for key in seen if needing_view[key])
    no = len(seen) - yes
    readers_yes = {(visitor, question_id) for visitor, question_id, day in seen
                   if needing_view[(visitor, question_id, day)]}
    contact = _contact(events, day_of, n_days, readers_yes)

    escalation_days = defaultdict(list)
    for key, _question_id, created_at in events.escalations:
        escalation_days[key].append(day_of(created_at))
    escalations = _Window(escalation_days, w)
    A, a_pairs, holdout = _ask_flows(events, day_of, n_days, escalations, w)
    funnel = _episodes(scan.episode_days, int(config["cap_per_visitor"]), escalations, a_pairs)
    E = funnel.pop("E")
    # Q: community answers accepted in the period, askers not escalating within W.
    Q = sum(1 for _q, _a, at, answerer_is_staff, asker_key in events.acceptances
            if 0 <= day_of(at) < n_days and not answerer_is_staff and not escalations.within(asker_key, day_of(at)))
    staff_resolved = sum(1 for _q, at in events.resolved_by_staff if 0 <= day_of(at) < n_days)

    n_min = int(config["n_min"])
    rates = {
        "r": rate(yes, yes + no, config["prior_r"], n_min),
        "c_r": rate(*contact["reader"], config["prior_c_r"], n_min),
        "c_q": rate(*contact["asker"], config["prior_c_q"], n_min),
    }
    deflected, savings = combine(E, A, Q, rates, config)
    escalating = len({key for key, _q, at in events.escalations if 0 <= day_of(at) < n_days})
    qualified_visitors, shown = len(scan.episode_days), scan.shown()
    top = sorted(scan.helped.items(), key=lambda item: (-item[1], item[0]))[:TOP_HELPED]
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat(),
                   "provisional": today < final_on(end, config), "final_on": final_on(end, config).isoformat()},
        "config": dict(config),
        "filters": _filters(scan.removed, len(needing_view) - len(seen), participant_votes, funnel["failures"]),
        "funnel": {"views": scan.views, "qualified_views": scan.qualified_views, **funnel},
        "quantities": {"E": E, "A": A, "Q": Q, "staff_resolved": staff_resolved},
        "rates": {name: {**value, "point": round(value["point"], 4), "low": round(value["low"], 4),
                         "high": round(value["high"], 4)} for name, value in rates.items()},
        "deflected": deflected,
        "savings": savings,
        "companions": {
            "self_service_score": _share(qualified_visitors, escalating),
            "qualified_visitors": qualified_visitors,
            "escalating_members": escalating,
            "community_resolution_share": _share(Q + deflected["D"], Q + deflected["D"] + staff_resolved),
            "response": {"shown": shown, "yes": yes, "no": no, "rate": _share(yes + no, shown),
                         "r_worst_low": _share(yes, shown), "r_worst_high": _share(shown - no, shown)},
            "holdout": _holdout_report(holdout),
        },
        "helped": [{"answer_id": answer_id, "question_id": scan.helped_question[answer_id], "episodes": count}
                   for answer_id, count in top],
    }
