"""Who is calling, and who a policy's Principal element names.

A request names its caller as an IAM user ARN, a role ARN (a session of that role), an
assumed-role session ARN, an account root ARN (or a bare account id), a federated-user ARN, or an
AWS service principal (`cloudtrail.amazonaws.com`). `Caller` is that caller resolved once;
`PrincipalSpec` is a Principal / NotPrincipal element compiled once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ACCOUNT_RE = re.compile(r"^\d{12}$")
_IAM_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):(root|user/.+|role/.+)$")
_STS_ARN = re.compile(r"^arn:aws[a-z-]*:sts::(\d{12}):(assumed-role/[^/]+/[^/]+|federated-user/.+)$")
_SERVICE = re.compile(r"^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$")


class InvalidPrincipal(ValueError):
    """A principal string of no form IAM knows."""


@dataclass(frozen=True, slots=True)
class Caller:
    """The principal that makes a request, with everything principal matching needs."""

    given: str  # as written in the request
    arn: str  # as AWS prints it: a role is shown as one of its sessions
    kind: str  # user | role | root | federated | service
    account: str | None
    principal_arn: str | None  # aws:PrincipalArn: the role ARN for a session
    name: str | None  # user, role, federated-user or service name
    session_name: str | None = None

    @property
    def is_service(self) -> bool:
        return self.kind == "service"

    @property
    def is_root(self) -> bool:
        return self.kind == "root"


def root_arn(account: str) -> str:
    return f"arn:aws:iam::{account}:root"


def role_name_of(role_arn: str) -> str:
    return role_arn.rsplit("/", 1)[-1]


def parse_caller(text: str, role_arns: dict[tuple[str, str], str] | None = None) -> Caller:
    """Resolve a request's `principal`. `role_arns` maps (account, role name) to a known role ARN
    so that a session ARN finds its role's path."""
    if not isinstance(text, str) or not text:
        raise InvalidPrincipal("the principal must be a non-empty string")
    if text.startswith("arn:aws:sts::"):
        # the common case, a role session, without regular expressions
        parts = text.split(":", 5)
        if len(parts) == 6 and len(parts[4]) == 12 and parts[4].isdigit() and parts[5].startswith("assumed-role/"):
            bits = parts[5].split("/")
            if len(bits) == 3 and bits[1] and bits[2]:
                account, name, session = parts[4], bits[1], bits[2]
                role = (role_arns or {}).get((account, name), f"arn:aws:iam::{account}:role/{name}")
                return Caller(text, text, "role", account, role, name, session)
    if ACCOUNT_RE.match(text):
        return Caller(text, root_arn(text), "root", text, root_arn(text), None)
    m = _IAM_ARN.match(text)
    if m:
        account, rest = m.groups()
        if rest == "root":
            return Caller(text, text, "root", account, text, None)
        if rest.startswith("user/"):
            return Caller(text, text, "user", account, text, rest.rsplit("/", 1)[-1])
        name = rest.rsplit("/", 1)[-1]
        session = f"arn:aws:sts::{account}:assumed-role/{name}/session"
        return Caller(text, session, "role", account, text, name, "session")
    m = _STS_ARN.match(text)
    if m:
        account, rest = m.groups()
        if rest.startswith("assumed-role/"):
            _, name, session = rest.split("/")
            role = (role_arns or {}).get((account, name), f"arn:aws:iam::{account}:role/{name}")
            return Caller(text, text, "role", account, role, name, session)
        return Caller(text, text, "federated", account, text, rest.split("/", 1)[1])
    if _SERVICE.match(text):
        return Caller(text, text, "service", None, None, text)
    raise InvalidPrincipal(f"`{text}` is not a principal: use a user, role, session or root ARN, "
                           "an account id, or a service principal such as `ec2.amazonaws.com`")


def check_policy_principal(value: str) -> str:
    """Validate one AWS principal value of a policy; return it in canonical form.

    Raises InvalidPrincipal for partial wildcards and unknown forms."""
    if value == "*":
        return value
    if "*" in value or "?" in value:
        raise InvalidPrincipal(
            f"`{value}` uses a wildcard inside a principal; only a lone \"*\" is allowed. "
            "Use \"*\" with an ArnLike condition on aws:PrincipalArn instead"
        )
    if ACCOUNT_RE.match(value):
        return root_arn(value)
    if _IAM_ARN.match(value) or _STS_ARN.match(value):
        return value
    raise InvalidPrincipal(
        f"`{value}` is not a valid AWS principal: use an account id, or the ARN of an account root, "
        "IAM user, IAM role, assumed-role session or federated user"
    )


@dataclass(frozen=True, slots=True)
class PrincipalSpec:
    """A compiled Principal or NotPrincipal element."""

    wildcard: bool
    accounts: frozenset[str]
    arns: frozenset[str]
    services: frozenset[str]
    federated: frozenset[str]

    @property
    def names_sessions(self) -> bool:
        """Does the element name a role session (so that matches depend on the session)?"""
        return any(a.startswith("arn:aws:sts:") or ":sts::" in a for a in self.arns)

    def cache_key(self, caller: Caller) -> str:
        """What a match depends on: the role, unless the element names sessions."""
        if caller.kind == "role" and not self.names_sessions:
            return caller.principal_arn or caller.arn
        return caller.arn

    def match(self, caller: Caller) -> str | None:
        """How the element names the caller: "direct", "wildcard", "account", or None."""
        if caller.kind == "service":
            if caller.name in self.services:
                return "direct"
            return "wildcard" if self.wildcard else None
        if caller.arn in self.arns or (caller.kind == "role" and caller.principal_arn in self.arns):
            return "direct"
        if self.wildcard:
            return "wildcard"
        if caller.account in self.accounts:
            return "account"
        return None

    def exempts(self, caller: Caller) -> bool:
        """NotPrincipal: is the caller one of the listed principals, named exactly (default D14)?"""
        if self.wildcard:
            return True
        if caller.kind == "service":
            return caller.name in self.services
        if caller.arn in self.arns:
            return True
        if caller.kind == "role" and caller.principal_arn in self.arns:
            return True
        return caller.kind == "root" and caller.account in self.accounts

    def mentions_account(self, account: str) -> bool:
        return account in self.accounts
