"""Engine throughput and latency on a realistic, fixed-seed workload (a script, not a test).

Builds 10,000 distinct requests over worlds shaped like real key policies: 8 key-policy
statements (account trust, kms:ViaService + kms:CallerAccount, encryption-context ForAllValues,
a BoolIfExists aws:SecureTransport deny, an ArnNotLike aws:PrincipalArn deny, ...), two identity
policies (one using ${aws:PrincipalTag/...}), one SCP with a region lock, 80 % same-account
callers and ten KMS actions. Policies are parsed once per world. Prints evaluations per second,
p50 / p99 microseconds per evaluation, peak memory, the adversarial-wildcard timing, and the
check runner's rate: each request as a one-step check (`run_check`), on a world shared copy-on-write
and, for comparison, on a private copy per check as before.

Run: .venv/bin/python bench/engine_bench.py
"""

from __future__ import annotations

import gc
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from kmstrainer.engine import Simulator, parse_world  # noqa: E402
from kmstrainer.engine import Check, Glob, Request, Step, run_check  # noqa: E402

SEED = 20261129
N_REQUESTS = 10_000
N_WORLDS = 4
PASSES = 5
OWNER, PARTNER = "111111111111", "222222222222"
ACTIONS = ["Encrypt", "Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair",
           "ReEncryptFrom", "ReEncryptTo", "DescribeKey", "GetKeyPolicy", "ListGrants"]
TEAMS = ["payments", "ledger", "risk", "search"]


def key_arn(w: int, k: int) -> str:
    return f"arn:aws:kms:us-east-1:{OWNER}:key/{w:08d}-0000-4000-8000-{k:012d}"


def make_world(w: int, rng: random.Random):
    keys = []
    for k in range(3):
        keys.append({
            "arn": key_arn(w, k),
            "aliases": [f"alias/app-{w}-{k}"],
            "tags": {"team": TEAMS[k % len(TEAMS)]},
            "policy": {"Version": "2012-10-17", "Statement": [
                {"Sid": "EnableIAMUserPermissions", "Effect": "Allow",
                 "Principal": {"AWS": f"arn:aws:iam::{OWNER}:root"}, "Action": "kms:*", "Resource": "*"},
                {"Sid": "KeyAdmins", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OWNER}:role/KeyAdmin"},
                 "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
                            "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion",
                            "kms:CancelKeyDeletion"], "Resource": "*"},
                {"Sid": "ThroughS3ForTheAccount", "Effect": "Allow", "Principal": {"AWS": "*"},
                 "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                 "Resource": "*", "Condition": {"StringEquals": {
                     "kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:CallerAccount": OWNER}}},
                {"Sid": "AppContextOnly", "Effect": "Allow",
                 "Principal": {"AWS": f"arn:aws:iam::{OWNER}:role/App{w}"},
                 "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*",
                 "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["tenant", "purpose"]},
                               "Null": {"kms:EncryptionContextKeys": "false"}}},
                {"Sid": "PartnerDecrypts", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PARTNER}:root"},
                 "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"},
                {"Sid": "GrantsForAWSResources", "Effect": "Allow",
                 "Principal": {"AWS": f"arn:aws:iam::{OWNER}:role/App{w}"},
                 "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*",
                 "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}},
                {"Sid": "DenyPlainHttp", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
                 "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}},
                {"Sid": "DenyOutsiders", "Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
                 "Condition": {"ArnNotLike": {"aws:PrincipalArn": [f"arn:aws:iam::{OWNER}:*",
                                                                    f"arn:aws:iam::{PARTNER}:role/*"]}}},
            ]},
        })
    principals = []
    for i in range(20):
        account = OWNER if i < 16 else PARTNER
        principals.append({
            "arn": f"arn:aws:iam::{account}:role/Worker{i}",
            "tags": {"team": TEAMS[i % len(TEAMS)]},
            "policies": [
                {"name": "UseTeamKeys", "document": {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"],
                     "Resource": "*",
                     "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}},
                    {"Effect": "Allow", "Action": ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:ListGrants"],
                     "Resource": f"arn:aws:kms:us-east-1:{OWNER}:key/*"}]}},
                {"name": "ReEncryptOnly", "document": {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": "kms:ReEncrypt*", "Resource": key_arn(w, i % 3)},
                    {"Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}]}},
            ],
        })
    return parse_world({
        "settings": {"region": "us-east-1"},
        "organization": {"id": "o-bench0001", "management_account": "999999999999",
                         "units": {"Workloads": "root"}, "accounts": {OWNER: "Workloads", PARTNER: "Workloads"},
                         "scps": [{"name": "RegionLock", "attach": ["Workloads"], "document": {
                             "Version": "2012-10-17", "Statement": [{
                                 "Effect": "Deny", "NotAction": ["iam:*", "sts:*", "support:*"], "Resource": "*",
                                 "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}]}}]},
        "principals": principals,
        "keys": keys,
    })


def make_requests(rng: random.Random) -> list[tuple[int, Request]]:
    out, seen = [], set()
    while len(out) < N_REQUESTS:
        w = rng.randrange(N_WORLDS)
        same = rng.random() < 0.8
        i = rng.randrange(16) if same else 16 + rng.randrange(4)
        account = OWNER if same else PARTNER
        role = f"Worker{i}" if rng.random() < 0.9 else f"App{w}"
        session = f"s{rng.randrange(1000)}"
        principal = f"arn:aws:sts::{account}:assumed-role/{role}/{session}"
        action = rng.choice(ACTIONS)
        key = key_arn(w, rng.randrange(3))
        ec = {"tenant": f"t{rng.randrange(50)}"} if rng.random() < 0.7 else {}
        if rng.random() < 0.2:
            ec["purpose"] = "backup"
        via = "s3.us-east-1.amazonaws.com" if rng.random() < 0.15 else None
        context = {"aws:SecureTransport": rng.random() > 0.05}
        sig = (w, principal, action, key, tuple(sorted(ec.items())), via, context["aws:SecureTransport"])
        if sig in seen:
            continue
        seen.add(sig)
        out.append((w, Request(principal, action, key=key, encryption_context=ec or None, via_service=via,
                               context=context)))
    return out


def adversarial_ms() -> float:
    """Worst time over values built to defeat backtracking matchers (milliseconds)."""
    glob = Glob.compile("*a*a*a*a*a*a*b")
    values = ["a" * 10_000, "a" * 10_000 + "c", "a" * 9_999 + "b", ("ab" * 5_000)[:-1] + "c",
              "b" + "a" * 9_999, "a?" * 5_000]
    worst = 0.0
    for value in values:
        for _ in range(5):
            start = time.perf_counter()
            glob.matches(value)
            worst = max(worst, time.perf_counter() - start)
    return worst * 1000


def main() -> None:
    rng = random.Random(SEED)
    worlds = [make_world(w, rng) for w in range(N_WORLDS)]
    sims = [Simulator(w) for w in worlds]
    requests = make_requests(rng)
    for w, req in requests[:500]:  # warm caches as a long-running server would be
        sims[w].run(req)
    gc.collect()
    passes = []
    timings: list[float] = []
    outcomes: dict[str, int] = {}
    clock = time.perf_counter
    for n in range(PASSES):
        pass_timings = []
        t0 = clock()
        for w, req in requests:
            start = clock()
            result = sims[w].run(req)
            pass_timings.append(clock() - start)
            if n == 0:
                outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        passes.append(len(requests) / (clock() - t0))
        timings += pass_timings
    tracemalloc.start()
    for w, req in requests[:2000]:
        sims[w].run(req)
    _, peak_traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    timings.sort()
    us = [t * 1e6 for t in timings]
    print(f"requests:            {len(requests)} distinct, {N_WORLDS} worlds, seed {SEED}, {PASSES} timed passes")
    print(f"outcomes:            {dict(sorted(outcomes.items()))}")
    print(f"evaluations/s:       {statistics.median(passes):,.0f} (median of {PASSES} passes; "
          f"slowest {min(passes):,.0f}, first pass {passes[0]:,.0f})")
    print(f"p50 us/evaluation:   {statistics.median(us):.1f}")
    print(f"p99 us/evaluation:   {us[int(len(us) * 0.99)]:.1f}")
    print(f"max us/evaluation:   {us[-1]:.1f}")
    print(f"peak traced memory:  {peak_traced / 1024:.0f} KiB during 2,000 evaluations")
    print(f"max RSS:             {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB")
    print(f"adversarial wildcard `*a*a*a*a*a*a*b` vs 10 kB: {adversarial_ms():.3f} ms")
    shared, private = checks_per_second()
    print(f"checks/s (run_check): {shared:,.0f} sharing the world copy-on-write; "
          f"{private:,.0f} with a private copy per check")


def checks_per_second() -> tuple[float, float]:
    """Each request as a one-step check on fresh worlds: median of PASSES passes, shared and copied."""
    rng = random.Random(SEED)
    worlds = [make_world(w, rng) for w in range(N_WORLDS)]
    checks = [(w, Check(f"check {i}", [Step(req, {}, "allow", ())], ())) for i, (w, req) in
              enumerate(make_requests(rng))]
    rates = {True: [], False: []}
    clock = time.perf_counter
    for _ in range(PASSES):
        for shared in (True, False):
            t0 = clock()
            for w, check in checks:
                run_check(worlds[w] if shared else worlds[w].copy(), check)
            rates[shared].append(len(checks) / (clock() - t0))
    return statistics.median(rates[True]), statistics.median(rates[False])


if __name__ == "__main__":
    main()
