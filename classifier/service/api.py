"""The OpenAPI 3.1 description of ``policy-classify serve`` (``GET /openapi.json``).

Why hand-written: the service has six endpoints and one input shape; a dict kept beside the app
is easier to read and review than a schema generated through a validation framework we would
otherwise not need. ``tests/service/test_serve.py`` checks that it names exactly the routes the app has.
"""

from __future__ import annotations

from typing import Any

_ERROR = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["type", "message"], "properties": {
        "type": {"type": "string", "examples": ["JSONDecodeError", "MissingText", "RequestTooLarge"]},
        "message": {"type": "string"}}}},
}
_ARTICLE = {
    "type": "object", "required": ["text"],
    "properties": {
        "id": {"description": "any JSON value; echoed as a string"},
        "text": {"type": "string", "description": "the article"},
        "date": {"type": "string", "description": "optional, copied to the profile's top-level date"},
    },
    "example": {"id": "a1", "text": "The U.S. imposed sanctions on 14 Iranian firms on Monday."},
}
_PROFILE = {
    "type": "object", "description": "The profile, as `policy-classify classify` writes it (see README: The profile)",
    "required": ["id", "lang", "actions", "dominant", "sentences", "errors"],
    "properties": {"id": {"type": ["string", "null"]}, "date": {"type": "string"},
                   "lang": {"type": "string"}, "actions": {"type": "object"},
                   "dominant": {"type": ["string", "null"]}, "sentences": {"type": "array"},
                   "errors": {"type": "array"}, "extra": {"type": "object"}},
}
_ERROR_RECORD = {
    "type": "object", "description": "A batch line that could not be profiled, in its place",
    "required": ["id", "error"],
    "properties": {"id": {"type": ["string", "null"]}, "error": {"type": "object", "properties": {
        "type": {"type": "string"}, "message": {"type": "string"}, "line": {"type": "integer"}}}},
}


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def _errors(*codes: int) -> dict[str, Any]:
    reasons = {400: "not JSON, or an empty body", 401: "missing or wrong bearer token",
               413: "body over --max-body-mb, or more than --max-batch records",
               422: "JSON that is not an article (not an object, no text, text not a string)",
               500: "the service failed (never for bad input)"}
    return {str(code): _json("Error", reasons[code]) for code in codes}


def _get(summary: str, schema: dict[str, Any], secured: bool) -> dict[str, Any]:
    responses = {"200": {"description": summary, "content": {"application/json": {"schema": schema}}}}
    if secured:
        responses.update(_errors(401))
    return {"get": {"summary": summary, "responses": responses}}


def openapi(version: str, secured: bool) -> dict[str, Any]:
    """The description; ``secured`` adds the bearer scheme (every path but ``/health``)."""
    auth = (401,) if secured else ()
    paths: dict[str, Any] = {
        "/classify": {"post": {
            "summary": "Profile one article",
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Article"}}}},
            "responses": {"200": _json("Profile", "the article's profile"),
                          **_errors(400, *auth, 413, 422, 500)},
        }},
        "/classify/batch": {"post": {
            "summary": "Profile JSON Lines; one output line per input line, in order, streamed",
            "requestBody": {"required": True, "content": {"application/x-ndjson": {
                "schema": {"type": "string", "description": "one Article object per line"}}}},
            "responses": {"200": {
                "description": "one JSON line per non-blank input line: a Profile, or an "
                               "ErrorRecord in its place (invalid JSON, no text...)",
                "content": {"application/x-ndjson": {"schema": {"oneOf": [
                    {"$ref": "#/components/schemas/Profile"},
                    {"$ref": "#/components/schemas/ErrorRecord"}]}}}},
                **_errors(*auth, 413)},
        }},
        "/health": {"get": {"summary": "Liveness, version and what the engine loaded (no token needed)",
                            "security": [],
                            "responses": {"200": {"description": "ok", "content": {"application/json": {
                                "schema": {"type": "object", "properties": {
                                    "status": {"const": "ok"}, "version": {"type": "string"},
                                    "lang": {"type": "string"}, "rules": {"type": "integer"},
                                    "actions": {"type": "array", "items": {"type": "string"}},
                                    "pid": {"type": "integer"}}}}}}}}},
        "/plugins": _get("Loaded plugins: name, version, source, hooks, action types, rule count",
                         {"type": "array", "items": {"type": "object"}}, secured),
        "/rules": _get("Every loaded rule: id, action, lang, weight, plugin, pack, anchors",
                       {"type": "array", "items": {"type": "object"}}, secured),
        "/openapi.json": _get("This description", {"type": "object"}, secured),
    }
    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "policy-classifier", "version": version,
                 "description": "Find the policy actions governments take in news articles."},
        "paths": paths,
        "components": {"schemas": {"Article": _ARTICLE, "Profile": _PROFILE,
                                   "ErrorRecord": _ERROR_RECORD, "Error": _ERROR}},
    }
    if secured:
        spec["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        spec["security"] = [{"bearer": []}]
    return spec
