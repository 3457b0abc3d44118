#!/usr/bin/env python3
"""Independent computation of pbmonitor's expected-youth-care model, run once to make test fixtures.

Input: the model's data as written by `pbmonitor expected-care --ontwerp design.csv`.
Output (stdout, JSON): OLS with numpy's lstsq and statsmodels, and the REML random-intercept model
with statsmodels MixedLM, plus the Longley OLS from statsmodels' copy of the NIST data.
Needs: pip install statsmodels (numpy, pandas come with it).
"""
import json
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm

design = pd.read_csv(sys.argv[1])
y = design["uitkomst"].to_numpy()
X = sm.add_constant(design.drop(columns=["wijk", "gemeente", "uitkomst"]).to_numpy())
ols = sm.OLS(y, X).fit()
lstsq = np.linalg.lstsq(X, y, rcond=None)[0]
# statsmodels' default tolerance stops about 1e-5 from the REML optimum in the variance ratio (enough to move the
# coefficients in the 6th digit); a tight BFGS gradient tolerance reaches it.
mixed = sm.MixedLM(y, X, groups=design["gemeente"]).fit(reml=True, method="bfgs", gtol=1e-10, maxiter=2000)
between = float(np.asarray(mixed.cov_re)[0, 0])

# GLS at statsmodels' variance ratio, computed directly (V = σ²(I + λ ZZᵀ)) as a second check.
lam = between / float(mixed.scale)
beta_gls = None
xtvx = np.zeros((X.shape[1], X.shape[1]))
xtvy = np.zeros(X.shape[1])
for _, idx in design.groupby("gemeente").indices.items():
    Xg, yg = X[idx], y[idx]
    n = len(idx)
    Vinv = np.eye(n) - (lam / (1 + n * lam)) * np.ones((n, n))
    xtvx += Xg.T @ Vinv @ Xg
    xtvy += Xg.T @ Vinv @ yg
beta_gls = np.linalg.solve(xtvx, xtvy)
# σ² = r'V⁻¹r / (n − p) (the REML estimate given λ), and the usual (XᵀV⁻¹X)⁻¹ σ² for the coefficients.
rvr = 0.0
for _, idx in design.groupby("gemeente").indices.items():
    r = y[idx] - X[idx] @ beta_gls
    n = len(idx)
    rvr += r @ r - (lam / (1 + n * lam)) * r.sum() ** 2
scale_gls = rvr / (len(y) - X.shape[1])
se_gls = np.sqrt(np.diag(np.linalg.inv(xtvx)) * scale_gls)

longley = sm.datasets.longley.load_pandas()
longley_fit = sm.OLS(longley.endog, sm.add_constant(longley.exog)).fit()

json.dump({
    "n": int(len(y)),
    "groups": int(design["gemeente"].nunique()),
    "ols": {"coefficients": ols.params.tolist(), "standard_errors": ols.bse.tolist(), "lstsq": lstsq.tolist(), "r2": ols.rsquared},
    "mixed": {"coefficients": mixed.fe_params.tolist(), "standard_errors": mixed.bse_fe.tolist(),
              "between_variance": between, "within_variance": float(mixed.scale),
              "converged": bool(mixed.converged), "gls_at_statsmodels_lambda": beta_gls.tolist(), "gls_standard_errors": se_gls.tolist(),
              "gls_within_variance": float(scale_gls), "lambda": lam, "llf": float(mixed.llf)},
    "longley": {"y": longley.endog.tolist(), "x": longley.exog.to_numpy().tolist(),
                "coefficients": longley_fit.params.tolist(), "standard_errors": longley_fit.bse.tolist()},
}, sys.stdout, indent=1)
