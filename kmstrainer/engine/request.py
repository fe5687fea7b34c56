"""A request as a check states it (scenario-format.md §3.1), validated with positions."""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import IAM_ONLY_ACTIONS, KMS_ACTIONS_LC, REQUEST_ONLY_ACTIONS
from .errors import EngineInputError, PolicyParseError
from .policy import Policy, parse_policy
from .principals import InvalidPrincipal, parse_caller
from .source import Positions
from .world_parser import parse_duration

REQUEST_KEYS = (
    "principal", "action", "key", "encryption_context", "source_encryption_context",
    "destination_encryption_context", "grant_tokens", "via_service", "source_arn", "source_account",
    "vpc_endpoint", "session_policy", "context", "params", "at",
)


@dataclass(slots=True)
class Request:
    principal: str
    action: str  # canonical operation name: "Decrypt", "ReEncrypt", "CreateGrant", ...
    key: str | None = None
    encryption_context: dict[str, str] | None = None
    source_encryption_context: dict[str, str] | None = None
    destination_encryption_context: dict[str, str] | None = None
    grant_tokens: list[str] = field(default_factory=list)
    via_service: str | None = None
    source_arn: str | None = None
    source_account: str | None = None
    vpc_endpoint: str | None = None
    session_policy: Policy | None = None
    context: dict[str, object] = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    at: float | None = None

    @property
    def dry_run(self) -> bool:
        return self.params.get("DryRun") is True


def canonical_action(text: object) -> str | None:
    """`kms:decrypt` -> `Decrypt`; None when it is not a KMS action."""
    if not isinstance(text, str) or ":" not in text:
        return None
    prefix, name = text.split(":", 1)
    if prefix.lower() != "kms":
        return None
    if name.lower() == "reencrypt":
        return "ReEncrypt"
    return KMS_ACTIONS_LC.get(name.lower())


def parse_request(data: object, positions: Positions, path: tuple = ()) -> Request:
    """Validate a request mapping; errors name the key and its line."""
    def fail(message: str, sub: tuple = (), code: str = "request.invalid") -> EngineInputError:
        return positions.error(message, path + sub, code=code)

    if not isinstance(data, dict):
        raise fail("a request must be a mapping")
    for key in data:
        if key not in REQUEST_KEYS:
            raise fail(f"unknown request key `{key}` (allowed: {', '.join(REQUEST_KEYS)})", (key,),
                       "request.unknown_key")
    for req in ("principal", "action"):
        if req not in data:
            raise fail(f"a request needs `{req}`")
    principal = data["principal"]
    if not isinstance(principal, (str, int)) or isinstance(principal, bool):
        raise fail("`principal` must be a string", ("principal",))
    principal = str(principal)
    try:
        parse_caller(principal)
    except InvalidPrincipal as exc:
        raise fail(str(exc), ("principal",), "request.invalid_principal") from None
    action = canonical_action(data["action"])
    if action is None:
        raise fail(f"`{data['action']}` is not a KMS action (write it as kms:Decrypt; "
                   f"ReEncrypt is kms:ReEncryptFrom / kms:ReEncryptTo or kms:ReEncrypt)", ("action",),
                   "request.unknown_action")
    req = Request(principal, action)
    if data.get("key") is not None:
        req.key = _string(data["key"], fail, ("key",), "`key`")
    elif action not in IAM_ONLY_ACTIONS and action not in REQUEST_ONLY_ACTIONS:
        if action != "RetireGrant":
            raise fail(f"kms:{action} needs a `key`")
    for name in ("encryption_context", "source_encryption_context", "destination_encryption_context"):
        if data.get(name) is not None:
            setattr(req, name, _string_map(data[name], fail, (name,), f"`{name}`"))
    if data.get("grant_tokens") is not None:
        tokens = data["grant_tokens"]
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
            raise fail("`grant_tokens` must be a list of strings", ("grant_tokens",))
        req.grant_tokens = list(tokens)
    for name in ("via_service", "source_arn", "source_account", "vpc_endpoint"):
        if data.get(name) is not None:
            setattr(req, name, _string(data[name], fail, (name,), f"`{name}`"))
    if data.get("session_policy") is not None:
        try:
            req.session_policy = parse_policy(data["session_policy"], kind="session_policy",
                                              positions=positions.sub(path + ("session_policy",)),
                                              file=positions.file)
        except PolicyParseError as exc:
            exc.path = "session_policy" + ("." + exc.path if exc.path and not exc.path.startswith("[") else exc.path)
            raise
    if data.get("context") is not None:
        ctx = data["context"]
        if not isinstance(ctx, dict):
            raise fail("`context` must map condition keys to values", ("context",))
        for k, v in ctx.items():
            if isinstance(v, dict) or (isinstance(v, list) and any(isinstance(x, (dict, list)) for x in v)):
                raise fail("a context value must be a string, number, boolean or list of them", ("context", k))
        req.context = dict(ctx)
    if data.get("params") is not None:
        if not isinstance(data["params"], dict):
            raise fail("`params` must be a mapping of the KMS API's parameters", ("params",))
        req.params = dict(data["params"])
    if data.get("at") is not None:
        req.at = parse_duration(data["at"], positions, path + ("at",))
    if action == "ReEncrypt" and "DestinationKeyId" not in req.params:
        raise fail("kms:ReEncrypt needs `params: {DestinationKeyId: ...}`", ("params",))
    return req


def parse_requests(data: object, positions: Positions) -> list[Request]:
    """The requests of a request document (`evaluate`, the playground): one request mapping, a list of
    them, `request: {...}`, or `steps:` of `{request: ...}` (or bare requests), in order."""
    if isinstance(data, dict) and "steps" in data:
        steps = data["steps"] or []
        if not isinstance(steps, list):
            raise positions.error("`steps` must be a list of requests", ("steps",), code="request.invalid")
        items = [(s["request"], ("steps", i, "request")) if isinstance(s, dict) and "request" in s
                 else (s, ("steps", i)) for i, s in enumerate(steps)]
    elif isinstance(data, dict) and "request" in data:
        items = [(data["request"], ("request",))]
    elif isinstance(data, list):
        items = [(r, (i,)) for i, r in enumerate(data)]
    else:
        items = [(data, ())]
    return [parse_request(r, positions, path) for r, path in items]


def _string(value: object, fail, sub: tuple, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise fail(f"{what} must be a string", sub)
    return str(value)


def _string_map(value: object, fail, sub: tuple, what: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise fail(f"{what} must map strings to strings", sub)
    out = {}
    for k, v in value.items():
        if isinstance(v, (dict, list)) or v is None:
            raise fail(f"{what} values must be strings", sub + (k,))
        out[str(k)] = "true" if v is True else "false" if v is False else str(v)
    return out
