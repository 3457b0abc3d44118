#!/usr/bin/env python3
"""An outside attacker on a running pbmonitor (issue 17): downloads every published count of persons and its
ratios at buurt, wijk, gemeente, provincie, GGD-regio and Nederland through the public exports, then
  1. recomputes counts as ratio x denominator / factor where the count is hidden;
  2. solves the area hierarchy (buurt -> wijk -> gemeente -> provincie/GGD/NL) for any equation with one unknown,
     repeatedly, taking parts without a figure as 0 (the strongest assumption);
and compares every recomputed value with the truth in the SQLite file (read directly, as only the server could).
A recomputed value within 1 of a hidden true value is a leak. Prints the counts; exits 1 on any leak.
Usage: scripts/attack.py BASE_URL DATABASE.sqlite PERIOD [--zonder-aanvullend]
  --zonder-aanvullend  shows the cells hidden only as complements (their true value, as before issue 17): the
                       control that the attacker works — it must then find leaks."""
import csv, io, sqlite3, sys, urllib.request

base, database, period = sys.argv[1], sys.argv[2], sys.argv[3]
without_complements = "--zonder-aanvullend" in sys.argv
counts = ["inwoners", "herkomst_buiten_europa", "jongeren_jeugdzorg_in_natura", "wmo_clienten", "personen_bijstand",
          "personen_ao_uitkering", "personen_ww_uitkering"]
ratios = {"herkomst_buiten_europa_pct": ("herkomst_buiten_europa", "inwoners", 100), "bijstand_per_1000": ("personen_bijstand", "inwoners", 1000),
          "wmo_per_1000": ("wmo_clienten", "inwoners", 1000), "ao_per_1000": ("personen_ao_uitkering", "inwoners", 1000),
          "ww_per_1000": ("personen_ww_uitkering", "inwoners", 1000), "jeugdzorg_per_1000_inwoners": ("jongeren_jeugdzorg_in_natura", "inwoners", 1000)}
levels = ["buurt", "wijk", "gemeente", "provincie", "ggdregio", "land"]

def published(indicator):
    rows = {}
    for level in levels:
        data = urllib.request.urlopen(f"{base}/export/{indicator}?niveau={level}&periode={period}&formaat=csv", timeout=120).read().decode()
        for r in csv.DictReader(io.StringIO(data)):
            rows[r["gebied"]] = (r["status"], float(r["waarde"]) if r["waarde"] else None)
    return rows

db = sqlite3.connect(database)
parents = {}
for child, parent in db.execute("SELECT child, parent FROM area_parents"):
    parents.setdefault(child, []).append(parent)
equations = {}
for child, ps in parents.items():
    for p in ps:
        if (child[:2], p[:2]) in {("BU", "WK"), ("WK", "GM"), ("GM", "PV"), ("GM", "GG")}:
            equations.setdefault(p, []).append(child)
gemeenten = [c for c, ps in parents.items() if c.startswith("GM") and any(p.startswith("PV") for p in ps)]
equations["NL01"] = gemeenten

def truth(indicator):
    t = {}
    for area, value in db.execute("SELECT area_code, value FROM observations WHERE indicator=? AND period=? AND value IS NOT NULL", (indicator, period)):
        t.setdefault(area, []).append(value)
    return t

leaks, hidden_total, solved_total = 0, 0, 0
figures = {name: published(name) for name in counts + list(ratios)}
for name in counts:
    shown = figures[name]
    real = truth(name)
    if without_complements:
        for (area,) in db.execute("SELECT area_code FROM disclosure_hidden WHERE indicator=? AND period=? AND reason='aanvullend'", (name, period)):
            if area in real: shown[area] = ("waarde", real[area][-1])
    known = {a: v for a, (s, v) in shown.items() if s == "waarde"}
    hidden = {a for a, (s, v) in shown.items() if s == "geheim"}
    hidden_total += len(hidden)
    # 1. ratio x denominator
    for rname, (num, den, factor) in ratios.items():
        if num != name: continue
        for area, (s, v) in figures[rname].items():
            d = figures[den].get(area)
            if s == "waarde" and v is not None and d and d[0] == "waarde" and area in hidden:
                guess = v * d[1] / factor
                solved_total += 1
                if any(abs(guess - x) < 1 for x in real.get(area, [])):
                    leaks += 1; print("LEK (verhouding)", name, area, guess)
    # 2. the hierarchy, repeatedly
    values = dict(known)
    progress = True
    while progress:
        progress = False
        for whole, parts in equations.items():
            present = [p for p in parts if p in shown]
            if whole not in shown or not present: continue
            unknown = [m for m in [whole] + present if m not in values]
            if len(unknown) != 1: continue
            target = unknown[0]
            s = sum(values.get(p, 0) for p in present if p != target)
            values[target] = s if target == whole else values[whole] - s
            progress = True
            if target in hidden:
                solved_total += 1
                if any(abs(values[target] - x) < 1 for x in real.get(target, [])):
                    leaks += 1; print("LEK (optelling)", name, target, values[target])
print(f"periode {period}: {hidden_total} verborgen aantallen; {solved_total} pogingen tot terugrekenen; {leaks} lekken")
sys.exit(1 if leaks else 0)
