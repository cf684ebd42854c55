"""The OpenAPI 3.1 document of the API, built from Python data and served as JSON.

tests/api/test_openapi.py checks real responses against these schemas and every API
route against `paths`, so a change to an endpoint that is not written down here fails.
"""

import re

from ..metrics.config import DEFAULTS as DEFLECTION_DEFAULTS
from ..models.ideas import IDEA_STATUSES
from ..models.staff import ESCALATION_SOURCES, ESCALATION_STATUSES, RESOLUTIONS
from ..models.users import CONTACT_CHANNELS, ROLES
from ..notify import KINDS as NOTIFICATION_KINDS
from ..queries import SORTS, STATUSES
from ..ranks import RANKS
from . import bp

# Building blocks ---------------------------------------------------------------------

INT = {"type": "integer"}
ID = {"type": "integer", "minimum": 1}
TEXT = {"type": "string"}
BOOL = {"type": "boolean"}
TIME = {"type": "string", "format": "date-time", "description": "ISO 8601, UTC"}
PAGE_URL = {"type": "string", "description": "Path of the web page of this object"}
MARKDOWN = {"type": "string", "description": "Markdown"}
EDIT_SUMMARY = {"type": "string", "description": "Why it was edited (kept in the history)"}
NUMBER = {"type": "number"}
COUNT = {"type": "integer", "minimum": 0}
SHARE = {"type": "number", "minimum": 0, "maximum": 1}
DAY = {"type": "string", "format": "date", "description": "YYYY-MM-DD, a UTC day"}


def ref(name: str) -> dict:
    """Return a reference to a schema of components/schemas."""
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    """Return a schema that also allows null."""
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: dict) -> dict:
    """Return the schema of a list of `items`."""
    return {"type": "array", "items": items}


def enum(values, kind="string") -> dict:
    """Return the schema of one of `values`."""
    return {"type": kind, "enum": list(values)}


def result(properties: dict, optional=()) -> dict:
    """Return the schema of a response object: exactly these properties, all but `optional` always there."""
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


def open_result(properties: dict) -> dict:
    """Return the schema of a response object with these properties that may gain more."""
    return {"type": "object", "properties": properties, "required": list(properties)}


def request_body(properties: dict, required=()) -> dict:
    """Return the schema of a request body; fields not listed are ignored by the server."""
    return {"type": "object", "properties": properties, "required": list(required)}


# Schemas -----------------------------------------------------------------------------

AUTHOR = {
    "id": ID,
    "username": TEXT,
    "role": enum(ROLES),
    "points": INT,
    "rank": enum(rank.slug for rank in RANKS),
    "url": PAGE_URL,
}
USER = {
    **AUTHOR,
    "segment": enum(("creator", "contributor", "viewer")),
    "badges": array(ref("Badge")),
    "stats": result({"questions": INT, "answers": INT, "accepted_answers": INT}),
}
POST = {"body": TEXT, "body_html": {"type": "string", "description": "Sanitized HTML of body"}, "author": ref("Author")}
MY_VOTE = enum((-1, 0, 1), "integer")
QUESTION_SUMMARY = {
    "id": ID,
    "title": TEXT,
    "tags": array(TEXT),
    "author": ref("Author"),
    "score": INT,
    "status": enum(STATUSES),
    "answer_count": INT,
    "accepted_answer_id": nullable(ID),
    "created_at": TIME,
    "last_activity_at": TIME,
    "url": PAGE_URL,
}
ANSWER = {
    "id": ID,
    "question_id": ID,
    **POST,
    "score": INT,
    "is_accepted": BOOL,
    "is_official": BOOL,
    "created_at": TIME,
    "edited_at": nullable(TIME),
    "url": PAGE_URL,
    "comments": array(ref("Comment")),
    "my_vote": MY_VOTE,
}
IDEA_SUMMARY = {
    "id": ID,
    "title": TEXT,
    "tags": array(TEXT),
    "author": ref("Author"),
    "status": enum(IDEA_STATUSES),
    "votes": COUNT,
    "url": PAGE_URL,
    "created_at": TIME,
}
IDEA = {
    **IDEA_SUMMARY,
    "body": TEXT,
    "body_html": {"type": "string", "description": "Sanitized HTML of body"},
    "response": nullable({**TEXT, "description": "The company's latest public response (Markdown)"}),
    "response_html": nullable({"type": "string", "description": "Sanitized HTML of response"}),
    "merged_into_id": nullable({**ID, "description": "Set when staff merged this duplicate into another idea"}),
}


def list_of(name: str) -> dict:
    """Return the schema of a page of the list envelope."""
    return result({
        "items": array(ref(name)),
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
        "total": {"type": "integer", "minimum": 0},
    })


SCHEMAS = {
    "Author": result(AUTHOR),
    "User": result(USER),
    "OwnUser": result({**USER, "email": TEXT}),
    "Badge": result({"slug": TEXT, "name": TEXT, "tier": TEXT, "awarded_at": TIME}),
    "Preferences": result({
        "contact_channel": enum(CONTACT_CHANNELS),
        "locale": nullable(enum(("it", "en"))),
        "followed_tags": array(TEXT),
    }),
    "Comment": result({
        "id": ID, "question_id": nullable(ID), "answer_id": nullable(ID), **POST, "created_at": TIME,
    }),
    # comments and my_vote come with the answers of a thread, not with a single answer.
    "Answer": result(ANSWER, optional=("comments", "my_vote")),
    "QuestionSummary": result(QUESTION_SUMMARY),
    "Question": result({
        **QUESTION_SUMMARY,
        **POST,
        "edited_at": nullable(TIME),
        "my_vote": MY_VOTE,
        "comments": array(ref("Comment")),
        "answers": array(ref("Answer")),
    }),
    "QuestionList": list_of("QuestionSummary"),
    "VoteResult": result({"score": INT, "my_vote": MY_VOTE}),
    # Served by the gamification package (API.md "Gamification"); described here so the
    # document covers the whole of /api/v1.
    "Leaderboard": result({
        "period": enum(("week", "month", "all")),
        "items": array(result({
            "rank": {"type": "integer", "minimum": 1},
            "user": result({"id": ID, "username": TEXT, "url": PAGE_URL}),
            "points": INT,
        })),
        "me": result({"rank": nullable({"type": "integer", "minimum": 1}), "points": INT}),
    }, optional=("me",)),
    "BadgeInfo": result({
        "slug": TEXT, "name": TEXT, "description": TEXT, "tier": TEXT, "per_tag": BOOL,
        "holders": {"type": "integer", "minimum": 0},
    }),
    "PointsEntry": result({
        "delta": INT, "reason": TEXT, "source_type": nullable(TEXT), "source_id": nullable(INT),
        "created_at": TIME, "reverses_id": nullable(ID),
    }),
    "PointsList": list_of("PointsEntry"),
    "SearchHit": result({
        "question_id": ID, "answer_id": nullable(ID), "title": TEXT,
        "snippet_html": {"type": "string", "description": "Escaped text; only <mark> tags around matches"},
        "score": {"type": "number"}, "solved": BOOL, "url": PAGE_URL,
    }),
    # Counting every match is costly on a big index: total is exact only when total_exact says so.
    "SearchResults": result({
        **list_of("SearchHit")["properties"],
        "total_exact": {**BOOL, "description": "false: total counts only the matches seen up to this page"},
        "has_next": {**BOOL, "description": "Another page follows (always right)"},
    }),
    "Escalation": result({
        "id": ID,
        "question_id": ID,
        "status": enum(ESCALATION_STATUSES),
        "source": {**enum(ESCALATION_SOURCES), "description": "Who escalated: the asker, staff, or the ladder (sla)"},
        "reason": TEXT,
        "assignee": nullable(ref("Author")),
        "sla_due_at": TIME,
        "created_at": TIME,
        "resolved_at": nullable(TIME),
        "resolution": nullable(enum(RESOLUTIONS)),
        "breached": {**BOOL, "description": "Past its SLA due time: still unresolved, or resolved late"},
        "url": {**PAGE_URL, "description": "Path of the staff page of this escalation"},
    }),
    "EscalationList": list_of("Escalation"),
    "StaffNote": result({
        "id": ID, "escalation_id": nullable(ID), "author": ref("Author"), "body": TEXT,
        "body_html": {"type": "string", "description": "Sanitized HTML of body"}, "created_at": TIME,
    }),
    "EscalationEvent": result({
        "id": ID,
        "kind": enum(("opened", "assigned", "resolved", "noted")),
        "actor": {**nullable(ref("Author")), "description": "null when the ladder acted"},
        "from_status": nullable(enum(ESCALATION_STATUSES)),
        "to_status": nullable(enum(ESCALATION_STATUSES)),
        "assignee": nullable(ref("Author")),
        "created_at": TIME,
    }),
    # Staff only: the private notes of the whole thread (all its escalations) and the timeline.
    "EscalationDetail": result({
        "escalation": ref("Escalation"),
        "question": ref("QuestionSummary"),
        "notes": array(ref("StaffNote")),
        "events": array(ref("EscalationEvent")),
    }),
    "Verification": result({"answer_id": ID, "verified": BOOL, "verified_at": nullable(TIME)}),
    "CsatResponse": result({
        "score": {"type": "integer", "minimum": 1, "maximum": 5},
        "subject": {"type": "string", "description": "question:<id> (a solved thread) or escalation:<id>"},
        "created_at": TIME,
    }),
    "Notification": result({
        "id": ID,
        "kind": enum(NOTIFICATION_KINDS),
        "text": {"type": "string", "description": "Plain text in the caller's language"},
        "url": {"type": "string", "description": "Path of the page it is about"},
        "channel": {**enum(CONTACT_CHANNELS), "description": "How it was sent besides the in-app list"},
        "created_at": TIME,
        "read": BOOL,
    }),
    "Notifications": result({"unread": {"type": "integer", "minimum": 0}, "items": array(ref("Notification"))}),
    # Staff analytics (API.md "Metrics", DEFLECTION.md).
    "DeflectionRate": result({
        "k": COUNT, "n": COUNT, "point": SHARE, "low": SHARE, "high": SHARE,
        "assumed": {**BOOL, "description": "Fewer than n_min answers: point, low and high are the prior"},
        "prior": SHARE,
    }),
    "DeflectionReport": result({
        "period": result({
            "from": DAY, "to": DAY,
            "provisional": {**BOOL, "description": "Until W days after the period ends"},
            "final_on": DAY,
        }),
        "config": result({
            key: TEXT if isinstance(value, str) else NUMBER for key, value in DEFLECTION_DEFAULTS.items()
        }),
        "filters": array(result({
            "name": {**TEXT, "description": "bots, insiders, not_yet_solved, votes_without_view, failures (in order)"},
            "removed": COUNT,
            "detail": {"type": "object", "description": "Rows removed, by reason (open: reasons may be added)"},
        })),
        "funnel": open_result({
            name: COUNT for name in ("views", "qualified_views", "episodes_before_cap", "capped", "in_ask_flows",
                                     "failures")
        }),
        "quantities": result({
            "E": {**COUNT, "description": "Help episodes"}, "A": {**COUNT, "description": "Ask-flow deflections"},
            "Q": {**COUNT, "description": "Community-answered questions"},
            "staff_resolved": {**COUNT, "description": "Escalations resolved by staff (never deflection)"},
        }),
        "rates": result({name: ref("DeflectionRate") for name in ("r", "c_r", "c_q")}),
        "deflected": result({"D": NUMBER, "D_low": NUMBER, "D_high": NUMBER}),
        "savings": result({
            "currency": TEXT, "cost_per_ticket": NUMBER, "cost_per_self_service": NUMBER, "net_per_ticket": NUMBER,
            "S": NUMBER, "S_low": NUMBER, "S_high": NUMBER,
            "headline": {**INT, "description": "floor(S_low): the figure to quote"},
        }),
        "companions": open_result({
            "self_service_score": nullable(NUMBER), "qualified_visitors": COUNT, "escalating_members": COUNT,
            "community_resolution_share": nullable(SHARE),
            "response": open_result({
                "shown": COUNT, "yes": COUNT, "no": COUNT, "rate": nullable(SHARE),
                "r_worst_low": nullable(SHARE), "r_worst_high": nullable(SHARE),
            }),
            "holdout": nullable(open_result({
                "holdout_flows": COUNT, "holdout_escalated": COUNT, "treated_flows": COUNT,
                "treated_escalated": COUNT, "difference": nullable(NUMBER), "low": nullable(NUMBER),
                "high": nullable(NUMBER), "corroborated": nullable(BOOL),
            })),
        }),
        "helped": array(result({"answer_id": ID, "question_id": ID, "episodes": COUNT})),
    }),
    "CommunityFigures": result({
        "period": result({"from": DAY, "to": DAY}),
        "questions": result({
            "asked": COUNT, "answered": COUNT, "solved": COUNT,
            "answer_rate": nullable(SHARE), "solve_rate": nullable(SHARE),
            "first_answer_minutes": result({"median": nullable(NUMBER), "p90": nullable(NUMBER)}),
        }),
        "resolution": result({
            "community_resolution_share": nullable(SHARE), "community_answered": nullable(COUNT),
            "staff_resolved": nullable(COUNT),
        }),
        "segments": result({
            "day": DAY, "total": COUNT, "creator": SHARE, "contributor": SHARE, "viewer": SHARE,
        }),
        "csat": result({
            "overall": result({
                "responses": COUNT, "average": nullable(NUMBER), "satisfied": nullable(SHARE),
                "community_responses": COUNT, "staff_responses": COUNT,
            }),
            "weekly": array(result({
                "week": DAY, "responses": COUNT, "average": nullable(NUMBER), "satisfied": nullable(SHARE),
            })),
        }),
    }),
    "IdeaSummary": result(IDEA_SUMMARY),
    "Idea": result(IDEA),
    "IdeaList": list_of("IdeaSummary"),
    "IdeaVoteResult": result({"votes": COUNT, "voted": BOOL}),
    "Error": result({
        "error": result(
            {"code": TEXT, "message": TEXT, "fields": {"type": "object", "additionalProperties": TEXT}},
            optional=("fields",),
        ),
    }),
}

# Operations --------------------------------------------------------------------------

ERRORS = {
    400: "Malformed: not JSON in UTF-8, not an object, or a field of the wrong type",
    401: "No token where one is needed, or a bad token",
    403: "Not allowed (error.message says why)",
    404: "No such object",
    409: "Conflicts with the current state",
    413: "The request is too large",
    422: "Invalid values (error.fields names each one)",
    429: "Rate limited: wait the seconds in Retry-After",
}
PAGE_PARAMS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
]


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def _error(code: int) -> dict:
    response = {"description": ERRORS[code], "content": _json(ref("Error"))}
    if code == 429:
        response["headers"] = {"Retry-After": {"description": "Seconds to wait", "schema": INT}}
    return response


def operation(path, summary, tag, returns, *, status=200, body=None, auth=False, errors=(), query=()):
    """Return one operation; 400/413/422 come with a body, 401 always, 404 with an id in the path."""
    ids = re.findall(r"{(\w+)}", path)
    codes = {401, *errors} | ({400, 413, 422} if body else set()) | ({404} if ids else set())
    op = {
        "summary": summary,
        "tags": [tag],
        "operationId": re.sub(r"\W+", "_", f"{tag}_{summary}").strip("_").lower(),
        "security": [{"bearer": []}] if auth else [{}, {"bearer": []}],
        "parameters": [{"name": name, "in": "path", "required": True, "schema": ID} for name in ids] + list(query),
        "responses": {str(status): {"description": summary, "content": _json(returns)}}
        | {str(code): _error(code) for code in sorted(codes)},
    }
    if body is not None:
        op["requestBody"] = {"required": True, "content": _json(body)}
    return op


def _paths() -> dict:
    paths = {}

    def add(method, path, *args, **kwargs):
        paths.setdefault(f"/api/v1{path}", {})[method] = operation(path, *args, **kwargs)

    credentials = request_body({"username": {**TEXT, "description": "Username or email"}, "password": TEXT},
                               required=("username", "password"))
    post_body = request_body({"body": MARKDOWN}, required=("body",))
    add("post", "/auth/register", "Create an account", "accounts", result({"user": ref("User")}), status=201,
        errors=(409, 429), body=request_body(
            {"username": TEXT, "email": TEXT, "password": TEXT, "locale": enum(("it", "en"))},
            required=("username", "email", "password")))
    add("post", "/auth/token", "Get a bearer token", "accounts",
        result({"token": TEXT, "user": ref("User")}), body=credentials, errors=(429,))
    add("get", "/me", "Read my account", "accounts",
        result({"user": ref("OwnUser"), "preferences": ref("Preferences")}), auth=True)
    add("patch", "/me/preferences", "Change my preferences", "accounts", result({"preferences": ref("Preferences")}),
        auth=True, body=request_body({
            "contact_channel": enum(CONTACT_CHANNELS), "locale": enum(("it", "en")), "followed_tags": array(TEXT),
        }))
    add("get", "/users/{user_id}", "Read a member's profile", "accounts", ref("User"))

    add("get", "/questions", "List questions", "questions", ref("QuestionList"), errors=(422,), query=[
        {"name": "status", "in": "query", "schema": enum(STATUSES)},
        {"name": "tag", "in": "query", "schema": TEXT},
        {"name": "sort", "in": "query", "schema": {**enum(SORTS), "default": "active"}},
        *PAGE_PARAMS,
    ])
    add("post", "/questions", "Ask a question", "questions", result({"question": ref("Question")}), status=201,
        auth=True, errors=(403, 429), body=request_body({"title": TEXT, "body": MARKDOWN, "tags": array(TEXT)},
                                                  required=("title", "body", "tags")))
    add("get", "/questions/{question_id}", "Read a question with its answers", "questions", ref("Question"))
    add("patch", "/questions/{question_id}", "Edit a question", "questions", result({"question": ref("Question")}),
        auth=True, errors=(403,), body=request_body({
            "title": TEXT, "body": MARKDOWN, "tags": array(TEXT), "summary": EDIT_SUMMARY,
        }))
    add("post", "/questions/{question_id}/answers", "Answer a question", "answers",
        result({"answer": ref("Answer")}), status=201, auth=True, errors=(403, 429), body=post_body)
    add("patch", "/answers/{answer_id}", "Edit an answer", "answers", result({"answer": ref("Answer")}),
        auth=True, errors=(403,), body=request_body({"body": MARKDOWN, "summary": EDIT_SUMMARY}, required=("body",)))
    acceptance = result({"answer": ref("Answer"), "question": ref("QuestionSummary")})
    add("post", "/answers/{answer_id}/accept", "Accept an answer", "answers", acceptance, auth=True, errors=(403,))
    add("delete", "/answers/{answer_id}/accept", "Withdraw an acceptance", "answers", acceptance, auth=True,
        errors=(403, 409))
    for target, post in (("/questions/{question_id}", "a question"), ("/answers/{answer_id}", "an answer")):
        add("post", f"{target}/votes", f"Vote on {post}", "votes", ref("VoteResult"), auth=True, errors=(403, 429),
            body=request_body({"value": enum((1, -1), "integer")}, required=("value",)))
        add("delete", f"{target}/votes", f"Retract a vote on {post}", "votes", ref("VoteResult"), auth=True,
            errors=(403,))
        add("post", f"{target}/comments", f"Comment on {post}", "comments", result({"comment": ref("Comment")}),
            status=201, auth=True, errors=(403,), body=post_body)

    add("get", "/leaderboard", "Read the leaderboard", "gamification", ref("Leaderboard"), query=[
        {"name": "period", "in": "query", "schema": {**enum(("week", "month", "all")), "default": "week"}},
        {"name": "tag", "in": "query", "schema": TEXT, "description": "An unknown tag is a 404"},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
    ], errors=(404, 422))
    add("get", "/badges", "List the badges and how many hold each", "gamification", array(ref("BadgeInfo")))
    add("get", "/users/{user_id}/points", "List a member's points, newest first", "gamification",
        ref("PointsList"), query=PAGE_PARAMS)
    add("get", "/search", "Search solved questions", "search", ref("SearchResults"), query=[
        {"name": "q", "in": "query", "schema": TEXT, "description": "Words only; at most 200 characters are used"},
        {"name": "tag", "in": "query", "schema": TEXT},
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    ])
    add("get", "/questions/similar", "List solved questions similar to a draft title", "search",
        result({"items": array(ref("SearchHit"))}), query=[{"name": "title", "in": "query", "schema": TEXT}])

    add("post", "/questions/{question_id}/escalate", "Escalate a question to support staff", "staff",
        result({"escalation": ref("Escalation")}), status=201, auth=True, errors=(403, 409),
        body=request_body({"reason": {**TEXT, "description": "Why the customer still needs help (optional)"}}))
    add("get", "/escalations", "List escalations", "staff", ref("EscalationList"), auth=True, errors=(403, 422),
        query=[
            {"name": "status", "in": "query", "schema": enum(ESCALATION_STATUSES),
             "description": "Open and assigned ones come by SLA due time, resolved ones newest first; "
                            "without it, all of them, active first"},
            {"name": "tag", "in": "query", "schema": TEXT},
            {"name": "mine", "in": "query", "schema": {**enum(("true", "false")), "default": "false"},
             "description": "Only those assigned to the caller"},
            *PAGE_PARAMS,
        ])
    add("get", "/escalations/{escalation_id}", "Read an escalation with staff notes and timeline", "staff",
        ref("EscalationDetail"), auth=True, errors=(403,))
    add("patch", "/escalations/{escalation_id}", "Change an escalation", "staff",
        result({"escalation": ref("Escalation")}), auth=True, errors=(403, 409), body=request_body({
            "status": {**enum(ESCALATION_STATUSES), "description": "Illegal transitions are refused with 409"},
            "assignee_id": {**ID, "description": "A staff member; alone it means assigning"},
            "note": {**MARKDOWN, "description": "A private staff note, added only if the whole change succeeds"},
            "resolution": {**enum(RESOLUTIONS), "description": "With status resolved; guessed from the thread if absent"},
        }))
    add("post", "/answers/{answer_id}/verify", "Verify a member's answer", "staff", ref("Verification"),
        auth=True, errors=(403, 409))
    add("delete", "/answers/{answer_id}/verify", "Withdraw a verification", "staff", ref("Verification"),
        auth=True, errors=(403,))
    add("post", "/questions/{question_id}/csat", "Rate how satisfied I am", "staff", ref("CsatResponse"),
        status=201, auth=True, errors=(403, 409), body=request_body({
            "score": {"type": "integer", "minimum": 1, "maximum": 5},
            "comment": TEXT,
        }, required=("score",)))
    add("get", "/notifications", "List my notifications", "notifications", ref("Notifications"), auth=True,
        query=[{"name": "limit", "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}}])
    add("post", "/notifications/read", "Mark my notifications read", "notifications",
        result({"marked": {"type": "integer", "minimum": 0}}), auth=True,
        body=request_body({"ids": {**array(ID), "description": "Without it, all of them"}}))
    period = [
        {"name": "from", "in": "query", "required": True, "schema": DAY, "description": "First day"},
        {"name": "to", "in": "query", "required": True, "schema": DAY,
         "description": "Last day (inclusive); at most 366 days after from"},
    ]
    add("get", "/metrics/deflection", "Read the deflection report of a period", "metrics", ref("DeflectionReport"),
        auth=True, errors=(403, 422), query=period)
    add("get", "/metrics/community", "Read the community figures of a period", "metrics", ref("CommunityFigures"),
        auth=True, errors=(403, 422), query=period)
    add("get", "/ideas", "List ideas", "ideas", ref("IdeaList"), errors=(422,), query=[
        {"name": "status", "in": "query", "schema": enum(IDEA_STATUSES)},
        {"name": "tag", "in": "query", "schema": TEXT},
        {"name": "sort", "in": "query", "schema": {**enum(("trending", "top", "newest")), "default": "trending"},
         "description": "trending: most votes in the last 14 days"},
        *PAGE_PARAMS,
    ])
    add("post", "/ideas", "Propose an idea", "ideas", result({"idea": ref("Idea")}), status=201, auth=True,
        errors=(403,), body=request_body({"title": TEXT, "body": MARKDOWN, "tags": array(TEXT)},
                                         required=("title", "body")))
    add("get", "/ideas/{idea_id}", "Read an idea", "ideas", ref("Idea"))
    add("patch", "/ideas/{idea_id}", "Set an idea's status with a public response", "ideas",
        result({"idea": ref("Idea")}), auth=True, errors=(403, 409), body=request_body({
            "status": enum(s for s in IDEA_STATUSES if s != "new"),
            "response": {**MARKDOWN, "description": "Required: the public answer (10 to 5,000 characters)"},
        }, required=("status", "response")))
    add("post", "/ideas/{idea_id}/votes", "Vote for an idea", "ideas", ref("IdeaVoteResult"), auth=True,
        errors=(403, 409))
    add("delete", "/ideas/{idea_id}/votes", "Retract a vote for an idea", "ideas", ref("IdeaVoteResult"),
        auth=True, errors=(403,))
    add("get", "/openapi.json", "Read this document", "meta", {"type": "object"})
    return paths


DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Passaparola API",
        "version": "1",
        "description": (
            "Everything a person can do in the web pages, a program can do here. Get a token with "
            "POST /api/v1/auth/token and send it as `Authorization: Bearer <token>`; reads of public "
            "content need none. Our own pages may instead use the session cookie, with the page's "
            "CSRF token in an X-CSRFToken header on writes. Errors are "
            "{\"error\": {\"code\", \"message\", \"fields\"?}}."
        ),
    },
    "paths": _paths(),
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    },
}


@bp.get("/openapi.json")
def openapi_json():
    """Return this OpenAPI document."""
    return DOCUMENT
