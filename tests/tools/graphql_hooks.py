"""schemathesis's hooks for the GraphQL run (tests/tools/fuzz-graphql): strategies for
danvan's own scalars, and the check that stands for the tool's reading of error codes."""

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

# `NaiveDate` is an ISO date; text that is none is sent too, to be refused.
schemathesis.graphql.scalar(
    "NaiveDate",
    st.one_of(st.dates().map(lambda d: d.isoformat()), st.text(max_size=12)).map(nodes.String),
)

# `Upload` is a file of a multipart request (the GraphQL multipart request specification);
# a JSON request can only name one that is not there, which is refused as the client's.
schemathesis.graphql.scalar(
    "Upload",
    st.one_of(st.integers(0, 3).map(nodes.Int), st.text(max_size=8).map(nodes.String)),
)

# What danvan answers a request it refuses for what the client asked: each code's meaning is
# in the README ("Errors"). None of them is the server failing.
CLIENT_CODES = {
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "CONFLICT",
    "LIMIT_EXCEEDED",
    "RATE_LIMITED",
    "GONE",
    "UNAUTHENTICATED",
    "FORBIDDEN",
}


@schemathesis.check
def no_server_failure(ctx, response, case):
    """Never a 5xx, never a body that is not GraphQL's, and every error carries one of the
    client's codes: an `INTERNAL` (or an error without a code) is the server failing."""
    if response.status_code >= 500:
        raise AssertionError(f"{response.status_code}: {response.text[:300]}")
    answer = response.json()
    if not isinstance(answer, dict) or not ("data" in answer or "errors" in answer):
        raise AssertionError(f"not a GraphQL answer: {response.text[:300]}")
    for error in answer.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code not in CLIENT_CODES:
            raise AssertionError(f"an error that is not the client's: {error}")
