#!/usr/bin/env python3
"""Reference values for pbmonitor's random-effects meta-analysis (Tests/Fixtures/meta-analysis/reference.json).

DerSimonian–Laird comes from statsmodels' combine_effects (method_re="dl"). statsmodels 0.15 leaves τ² negative when
Q < df (and I² below zero); DerSimonian and Laird truncate τ² at zero, which makes the random-effects result the
fixed-effect one, so for such data the reference is statsmodels' own fixed-effect row with τ² = 0 and I² = 0. REML is the root of the restricted
likelihood's estimating equation found with scipy's brentq (an independent route to the same number as pbmonitor's
Fisher scoring). CI regenerates the file and fails when it differs from the one in git.

    pip install statsmodels && python3 scripts/meta-analysis-reference.py > Tests/Fixtures/meta-analysis/reference.json
    python3 scripts/meta-analysis-reference.py --check Tests/Fixtures/meta-analysis/reference.json   # what CI runs
"""
import sys
import json
import numpy as np
from scipy.optimize import brentq
from statsmodels.stats.meta_analysis import combine_effects

DATASETS = {
    # Five designs of one intervention type: difference-in-differences estimates (percentage points) and their standard errors.
    "vijf-opzetten": ([-2.1, -0.4, -3.5, 0.8, -1.6], [0.9, 1.1, 1.4, 0.7, 1.0]),
    "homogeen": ([1.0, 1.1, 0.9, 1.05], [0.5, 0.6, 0.4, 0.55]),
    "twee-opzetten": ([0.5, 2.5], [0.4, 0.6]),
    "heterogeen": ([0.5, 1.2, -0.3, 2.0, 0.8, 3.1, -1.4, 0.2], [0.3, 0.5, 0.2, 0.9, 0.4, 0.6, 0.5, 0.25]),
    # The five shared Buurtgezinnen designs of Tests/MonitorWebTests/PoolingWebTests.swift, as the store estimates them
    # (difference in differences and its standard error): the page's pooled effect must equal this.
    "gedeelde-opzetten": ([3.166666666666666, 1.2999999999999994, 4.933333333333332, 2.5666666666666664, 0.19999999999999984],
                          [0.16666666666666607, 0.2999999999999995, 0.43333333333333296, 0.5666666666666664, 0.6999999999999998]),
}


def reml(y, v):
    def score(t):
        w = 1 / (v + t)
        mu = np.sum(w * y) / np.sum(w)
        return np.sum(w * w * (y - mu) ** 2) - (np.sum(w) - np.sum(w * w) / np.sum(w))
    if score(0.0) <= 0:
        return 0.0
    upper = 1.0
    while score(upper) > 0:
        upper *= 2
    return brentq(score, 0.0, upper, xtol=1e-15, rtol=1e-15, maxiter=1000)


def pooled(y, v, tau2):
    w = 1 / (v + tau2)
    mu = np.sum(w * y) / np.sum(w)
    se = np.sqrt(1 / np.sum(w))
    return mu, se, w / np.sum(w)


out = {}
for name, (estimates, errors) in DATASETS.items():
    y = np.array(estimates, dtype=float)
    v = np.array(errors, dtype=float) ** 2
    dl = combine_effects(y, v, method_re="dl", use_t=False)
    frame = dl.summary_frame()
    truncated = dl.tau2 < 0
    row = "fixed effect" if truncated else "random effect"
    ci = dl.conf_int(alpha=0.05, use_t=False)
    low, upp = ci[0] if truncated else ci[1]
    tau2_reml = reml(y, v)
    mu, se, weights = pooled(y, v, tau2_reml)
    z = 1.959963984540054
    out[name] = {
        "estimates": estimates,
        "standardErrors": errors,
        "dl": {
            "estimate": float(frame.loc[row, "eff"]), "standardError": float(frame.loc[row, "sd_eff"]),
            "lower": float(low), "upper": float(upp), "tau2": 0.0 if truncated else float(dl.tau2), "q": float(dl.q),
            "i2": max(0.0, float(dl.i2)), "weights": [float(x) for x in frame["w_fe" if truncated else "w_re"].iloc[: len(y)]],
        },
        "reml": {
            "estimate": float(mu), "standardError": float(se), "lower": float(mu - z * se), "upper": float(mu + z * se),
            "tau2": float(tau2_reml), "q": float(dl.q), "i2": max(0.0, float(dl.i2)), "weights": [float(x) for x in weights],
        },
    }
def differences(a, b, path=""):
    if isinstance(a, dict):
        keys = set(a) | set(b)
        return [d for k in sorted(keys) for d in (differences(a.get(k), b.get(k), f"{path}/{k}") if k in a and k in b else [f"{path}/{k}: ontbreekt"])]
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} tegen {len(b)} waarden"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if abs(float(a) - float(b)) <= 1e-9 else [f"{path}: {a} tegen {b}"]


if len(sys.argv) == 3 and sys.argv[1] == "--check":
    committed = json.load(open(sys.argv[2]))
    found = differences(out, committed)
    if found:
        print("De referentiewaarden wijken af van statsmodels:\n" + "\n".join(found))
        sys.exit(1)
    print(f"{len(out)} referentiegevallen gelijk aan statsmodels (tot 1e-9)")
else:
    print(json.dumps(out, indent=2, sort_keys=True))
