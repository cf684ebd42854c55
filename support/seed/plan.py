"""Plan the demo community: who joins, asks, answers, votes, comments and accepts, and when.

Pure and deterministic: the same (questions, seed) always gives the same plan, with every
moment given in seconds before "now". The package replays the plan through the services.
"""

import math
import random
import unicodedata
from dataclasses import dataclass, field

from . import people as data
from . import text_en, text_it

TEXTS = {"it": text_it, "en": text_en}
DAY = 86_400.0
WINDOW = 90 * DAY
EN_SHARE = 0.3
# Share of questions left open and solved; the rest are answered but not accepted.
OPEN_SHARE, SOLVED_SHARE = 0.15, 0.55
ANSWERS_PER_THREAD = ((1, 30), (2, 30), (3, 22), (4, 12), (5, 6))


@dataclass(eq=False)
class Member:
    username: str
    display_name: str | None
    role: str
    locale: str | None
    bio: str | None
    languages: tuple
    ask_weight: float
    answer_weight: float
    trusted: bool = False  # expected to have earned comment and downvote rights early on
    joined_ago: float = 0.0

    @property
    def first_name(self) -> str:
        return (self.display_name or self.username).split()[0]

    @property
    def is_staff(self) -> bool:
        return self.role in ("staff", "admin")

    def may(self, privilege: str) -> bool:
        """Return whether the plan lets this member comment anywhere or downvote."""
        if self.is_staff or self.username in data.TOP_CONTRIBUTORS:
            return True
        return privilege == "comment" and self.trusted


@dataclass
class Step:
    """One thing a member does at one moment: ask, answer, vote, accept or comment."""

    ago: float
    seq: int
    kind: str
    actor: str
    ref: tuple = ()  # ("q", i) or ("a", j): the post this step creates or acts on
    parent: tuple = ()  # for an answer: the question ("q", i) it answers
    title: str = ""
    body: str = ""
    tags: list = field(default_factory=list)
    value: int = 0


@dataclass(eq=False)
class PlannedAnswer:
    index: int
    author: Member
    kind: str  # good, short, wrong or staff
    ago: float
    rebuttal: str = ""  # for a wrong answer: the comment that puts it right


@dataclass(eq=False)
class Thread:
    index: int
    lang: str
    topic: dict
    case: dict
    asker: Member
    ago: float
    slots: dict
    status: str = "open"
    answers: list = field(default_factory=list)


@dataclass
class Plan:
    members: list
    steps: list
    threads: list


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _weighted_sample(rng, items, weights, k):
    """Pick k distinct items, each with chance proportional to its weight."""
    keyed = sorted(zip(items, weights, strict=True), key=lambda iw: -rng.random() ** (1 / iw[1]))
    return [item for item, _ in keyed[:k]]


def _later(rng, ago: float, median_minutes: float, floor: float = 60.0) -> float:
    """Return a moment a lognormal delay after `ago`; one that would fall in the last `floor`
    seconds (or in the future) lands somewhere between `ago` and now instead."""
    moment = ago - rng.lognormvariate(math.log(median_minutes * 60), 1.1)
    if moment >= floor:
        return moment
    return rng.uniform(min(floor, ago) * 0.5, ago * 0.99)


def plan_members(rng) -> list:
    """Return the fixed demo accounts and about 55 generated members."""
    members = []
    for username, display, role, locale, bio, languages in data.FIXED_MEMBERS:
        answer_weight = {data.TOP: 12, data.TOP2: 9, data.TOP_EN: 14}.get(username, 1.0)
        ask_weight = 0.0 if role != "member" else 0.2 if username in data.TOP_CONTRIBUTORS else 3.0
        members.append(Member(username, display, role, locale, bio, languages, ask_weight, answer_weight))
    taken = {m.username.lower() for m in members}
    for lang, count in data.GENERATED_MEMBERS.items():
        nicknames = list(data.NICKNAMES[lang])
        while count:
            first, last = rng.choice(data.FIRST_NAMES[lang]), rng.choice(data.LAST_NAMES[lang])
            pattern = rng.randrange(6)
            if pattern == 5 and nicknames:
                username = nicknames.pop(0)
            else:
                f, la = _ascii(first), _ascii(last)
                username = [f"{f}.{la}", f"{f}_{la[0]}", f"{f}{rng.randrange(70, 100)}",
                            f"{f}.{rng.choice(data.CITY_NICKS)}", f"{la}{f[0]}", f"{f}.{la}"][pattern]
            if username in taken or username in data.DEMO_PASSWORD:
                continue
            taken.add(username)
            count -= 1
            last = last.replace("_", " ")
            display = rng.choice([f"{first} {last}", f"{first} {last[0]}.", first, None])
            locale = rng.choices([lang, None, "it"], [85, 10, 5])[0]
            bio = rng.choice(data.BIOS[lang]) if rng.random() < 0.3 else None
            members.append(Member(
                username, display, "member", locale, bio, (lang,),
                ask_weight=rng.choice([0.5, 1, 1, 1.5, 2, 3]),
                answer_weight=rng.choice([0.1, 0.3, 0.6, 1.0, 1.5, 2.5]),
            ))
    for member in rng.sample(members[len(data.FIXED_MEMBERS):], data.REGULARS):
        member.trusted = True
        member.answer_weight = rng.choice([3.0, 4.0, 5.0])
    return members


class Planner:
    """Build a Plan step by step; one instance per plan."""

    def __init__(self, questions: int, seed: int):
        self.rng = random.Random(seed)
        self.n = max(0, questions)
        self.members = plan_members(self.rng)
        self.steps: list = []
        self.titles_seen: set = set()
        self.answer_count = 0

    def step(self, ago, kind, actor, **fields):
        self.steps.append(Step(ago, len(self.steps), kind, actor.username, **fields))

    def speakers(self, lang, exclude=(), staff=None):
        return [m for m in self.members if lang in m.languages and m.username not in exclude
                and (staff is None or m.is_staff == staff)]

    def fill(self, template: str, thread: Thread, **extra) -> str:
        return _cap(template.format_map({**thread.slots, **extra}))

    def plan(self) -> Plan:
        threads = [self.ask(i, lang) for i, lang in enumerate(self.languages())]
        self.assign_statuses(threads)
        for thread in threads:
            self.answer(thread)
        for thread in threads:
            self.react(thread)
        self.set_join_dates()
        self.steps.sort(key=lambda s: (-s.ago, s.seq))
        return Plan(self.members, self.steps, threads)

    def languages(self) -> list:
        english = round(self.n * EN_SHARE)
        langs = ["en"] * english + ["it"] * (self.n - english)
        self.rng.shuffle(langs)
        return langs

    def ask(self, index: int, lang: str) -> Thread:
        rng, texts = self.rng, TEXTS[lang]
        askers = [m for m in self.speakers(lang, staff=False) if m.ask_weight]
        asker = rng.choices(askers, [m.ask_weight for m in askers])[0]
        ago = max(1200.0, WINDOW * rng.random() ** 1.3)  # a little busier lately
        for attempt in range(12):
            topic = rng.choice(texts.TOPICS)
            case = rng.choice(topic["cases"])
            slots = {key: rng.choice(values) for key, values in {**data.COMMON_SLOTS, **data.SLOTS[lang]}.items()}
            slots.update(last4=f"{rng.randrange(10_000):04d}", asker=asker.first_name)
            thread = Thread(index, lang, topic, case, asker, ago, slots)
            title = self.fill(rng.choice(case["titles"]), thread)
            if attempt >= 8:  # the plain titles keep colliding: dress one up, as people do
                title = self.fill(rng.choice(texts.TITLE_VARIANTS), thread, title=title)
            if title not in self.titles_seen:
                break
        self.titles_seen.add(title)
        kind = topic["kind"]
        body = self.fill(rng.choice(case["bodies"]), thread)
        if rng.random() < 0.45:
            body += " " + self.fill(rng.choice(texts.EXTRAS[kind]), thread)
        opener, closer = rng.choice(texts.OPENERS), rng.choice(texts.CLOSERS)
        body = "\n".join(filter(None, [opener, body])) + (f"\n\n{closer}" if closer else "")
        tags = [topic["tags"][0]] + [t for t in topic["tags"][1:] if rng.random() < 0.6]
        self.step(ago, "ask", asker, ref=("q", index), title=title, body=body, tags=tags)
        return thread

    def assign_statuses(self, threads):
        rng = self.rng
        n_open, n_solved = round(self.n * OPEN_SHARE), round(self.n * SOLVED_SHARE)
        # Open questions are mostly recent: nobody has got to them yet.
        opened = _weighted_sample(rng, threads, [1 / (1 + t.ago / (5 * DAY)) for t in threads], n_open)
        for thread in opened:
            thread.status = "open"
        rest = [t for t in threads if t not in opened]
        solved = rng.sample(rest, min(n_solved, len(rest)))
        for thread in rest:
            thread.status = "solved" if thread in solved else "answered"

    def answer(self, thread: Thread):
        if thread.status == "open":
            return
        rng, texts = self.rng, TEXTS[thread.lang]
        wanted = rng.choices(*zip(*ANSWERS_PER_THREAD, strict=True))[0]
        # Staff step in on threads the community did not resolve, and now and then elsewhere.
        staff_joins = rng.random() < (0.3 if thread.status == "answered" else 0.06)
        ago = thread.ago
        used = set()  # nobody repeats an explanation, or a greeting, already in the thread
        for k in range(wanted):
            ago = _later(rng, ago, 40 if k == 0 else 180)
            answered = {thread.asker.username, *(a.author.username for a in thread.answers)}
            if staff_joins and k == wanted - 1:
                author = rng.choice(self.speakers(thread.lang, answered, staff=True))
            else:
                pool = self.speakers(thread.lang, answered, staff=False)
                if not pool:
                    break
                author = rng.choices(pool, [m.answer_weight for m in pool])[0]
            kind = self.answer_kind(author, first=k == 0 and thread.status == "solved")
            templates = [t for t in thread.case["answers"] if t not in used]
            if kind == "good" and not templates:
                kind = "short"  # every fitting explanation is already in the thread
            rebuttal = ""
            if kind in ("good", "staff") and templates:
                template = rng.choice(templates)
            elif kind == "wrong":
                template, rebuttal = rng.choice(texts.WRONG_ANSWERS[thread.topic["kind"]])
            else:
                shorts = texts.SHORT_ANSWERS[thread.topic["kind"]]
                template = rng.choice([t for t in shorts if t not in used] or shorts)
            used.add(template)
            body = self.fill(template, thread)
            if kind in ("good", "short"):
                opener, closer = (rng.choice([x for x in phrases if x not in used] or [""])
                                  for phrases in (texts.ANSWER_OPENERS, texts.ANSWER_CLOSERS))
                used.update((opener, closer))
                body = "\n\n".join(filter(None, [self.fill(opener, thread), body, closer]))
            if kind == "staff":
                intro = self.fill(rng.choice(texts.STAFF_INTRO), thread, staff=author.first_name)
                body = f"{intro}\n\n{body}\n\n{rng.choice(texts.STAFF_OUTRO)}"
            index = self.answer_count
            self.answer_count += 1
            thread.answers.append(PlannedAnswer(index, author, kind, ago, rebuttal))
            self.step(ago, "answer", author, ref=("a", index), parent=("q", thread.index), body=body)
        if not thread.answers:
            thread.status = "open"

    def answer_kind(self, author: Member, first: bool) -> str:
        if author.is_staff:
            return "staff"
        if first:
            return "good"  # a solved thread starts with the answer that will solve it
        if author.username in data.TOP_CONTRIBUTORS:
            return self.rng.choices(["good", "short"], [85, 15])[0]
        return self.rng.choices(["good", "short", "wrong"], [58, 28, 14])[0]

    def react(self, thread: Thread):
        rng = self.rng
        readers = self.speakers(thread.lang, exclude=(thread.asker.username,))
        for voter in rng.sample(readers, min(len(readers), rng.choices(range(7), [22, 28, 20, 13, 8, 6, 3])[0])):
            self.step(_later(rng, thread.ago, 360), "vote", voter, ref=("q", thread.index), value=1)
        if rng.random() < 0.18:
            self.comment(thread, ("q", thread.index), thread.asker, "asker_question", thread.ago, 30,
                         text=rng.choice(TEXTS[thread.lang].COMMENTS["asker_question"][thread.topic["kind"]]))
        if thread.status == "open" and rng.random() < 0.2:
            staff = rng.choice(self.speakers(thread.lang, staff=True))
            self.comment(thread, ("q", thread.index), staff, "staff", thread.ago, 240)
        accepted = None
        if thread.status == "solved":
            good = [a for a in thread.answers if a.kind in ("good", "staff")]
            accepted = rng.choices(good, [3 if a is good[0] else 1 for a in good])[0]
            at = _later(rng, accepted.ago, 120)
            self.step(at, "accept", thread.asker, ref=("a", accepted.index))
            if rng.random() < 0.6:
                self.comment(thread, ("a", accepted.index), thread.asker, "asker_thanks", at, 2,
                             answerer=accepted.author)
        for answer in thread.answers:
            self.react_to_answer(thread, answer, accepted is answer, readers)

    def react_to_answer(self, thread, answer: PlannedAnswer, is_accepted, readers):
        rng = self.rng
        index, author, kind, ago = answer.index, answer.author, answer.kind, answer.ago
        voters = [m for m in readers if m.username != author.username]
        ups = {"good": (0, 4), "staff": (1, 4), "short": (0, 1), "wrong": (0, 1)}[kind]
        up = rng.randint(*ups) + (rng.randint(1, 4) if is_accepted else 0)
        down = rng.randint(1, 3) if kind == "wrong" else 0
        downvoters = rng.sample(d := [m for m in voters if m.may("downvote")], min(down, len(d)))
        upvoters = rng.sample(u := [m for m in voters if m not in downvoters], min(up, len(u)))
        for voter, value in [(v, 1) for v in upvoters] + [(v, -1) for v in downvoters]:
            self.step(_later(rng, ago, 300), "vote", voter, ref=("a", index), value=value)
        if kind == "wrong" and rng.random() < 0.6:
            critics = [m for m in voters if m.may("comment")]
            self.comment(thread, ("a", index), rng.choice(critics), None, ago, 60, text=answer.rebuttal)
        elif not is_accepted and kind != "wrong" and rng.random() < 0.2:
            self.comment(thread, ("a", index), thread.asker, "asker_reply", ago, 90)
        if kind in ("good", "staff") and rng.random() < 0.12:
            peers = [m for m in voters if m.may("comment") and not m.is_staff]
            if peers:
                self.comment(thread, ("a", index), rng.choice(peers), "peer", ago, 600)

    def comment(self, thread, ref, author, group, after, median_minutes, answerer=None, text=None):
        extra = {"answerer": answerer.first_name} if answerer else {}
        body = self.fill(text or self.rng.choice(TEXTS[thread.lang].COMMENTS[group]), thread, **extra)
        self.step(_later(self.rng, after, median_minutes), "comment", author, ref=ref, body=body)

    def set_join_dates(self):
        first_seen = {}
        for s in self.steps:
            first_seen[s.actor] = max(first_seen.get(s.actor, 0.0), s.ago)
        for m in self.members:
            if m.is_staff or m.username in data.TOP_CONTRIBUTORS:
                m.joined_ago = WINDOW + self.rng.uniform(300, 1500) * DAY
            elif m.username in first_seen and self.rng.random() < 0.25:
                m.joined_ago = first_seen[m.username] + self.rng.uniform(0.05, 3) * DAY  # a newcomer
            else:
                m.joined_ago = max(first_seen.get(m.username, 0.0), WINDOW) + self.rng.uniform(1, 600) * DAY


def build_plan(questions: int = 300, seed: int = 7) -> Plan:
    """Return the deterministic plan of a demo community of `questions` threads."""
    return Planner(questions, seed).plan()
