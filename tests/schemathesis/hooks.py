"""Schemathesis hooks for Mend: what a real client does that a document cannot say.

Each rewrites only values the OpenAPI document already allows, so a request
generated to break the document still breaks it the same way.
"""

import json
import os
import re
import uuid
from pathlib import Path

import schemathesis

IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7E]{1,255}$")
WORKSPACE_ID = re.compile(r"^[a-z0-9_-]{1,40}$")
# A non-blank text without control characters but newline, tab and carriage return.
APOLOGY = re.compile(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$")
# The shape and length the document gives a webhook endpoint's `url`, read from it.
DOCUMENT = json.loads((Path(__file__).parents[2] / "worker/src/openapi.json").read_text(encoding="utf-8"))
ENDPOINT_URL = DOCUMENT["components"]["schemas"]["EndpointRequest"]["properties"]["url"]
ENDPOINT_URL_PATTERN = re.compile(ENDPOINT_URL["pattern"])


@schemathesis.hook
def before_call(context, case, **kwargs):
    # A client makes a new Idempotency-Key for every new request; generated
    # keys repeat across bodies, which Mend rightly refuses (422
    # idempotency_key_reused), so each well-formed one is made unique.
    headers = case.headers or {}
    key = headers.get("Idempotency-Key")
    if isinstance(key, str) and IDEMPOTENCY_KEY.match(key):
        headers["Idempotency-Key"] = uuid.uuid4().hex
    body = case.body
    if not isinstance(body, dict):
        return
    # A report names a workspace that uses Mend: the seeded one, as the
    # path parameters are pinned to it.
    workspace = body.get("workspace")
    if case.operation.path == "/v1/reports" and isinstance(workspace, str) and WORKSPACE_ID.match(workspace):
        body["workspace"] = os.environ["MEND_WORKSPACE"]
    # An apology must be sincere (sorry said plainly, no "if"), a rule of
    # language no schema states: a company writes one, so the run does too.
    apology = body.get("apology")
    company_words = case.operation.path.startswith("/v1/workspaces") or case.operation.path == "/v1/proactive-reports"
    if company_words and isinstance(apology, str) and APOLOGY.match(apology):
        body["apology"] = "We are sorry we let you down, and we will put it right."
    # An endpoint's host must be public, which no schema can state (the
    # document says in words which hosts are not): a company registers its
    # own address, so the run does too (under example.com, which no one receives at).
    url = body.get("url")
    if (
        case.operation.path.startswith("/v1/workspaces/{ws}/webhooks")
        and isinstance(url, str)
        and len(url) <= ENDPOINT_URL["maxLength"]
        and ENDPOINT_URL_PATTERN.search(url)
    ):
        body["url"] = "https://hooks.example.com/generated"
