#!/usr/bin/env python3
"""Calibrate the abstention rule "abstain when unknown >= U or coverage < C",
and check the ranking weights leave one corpus out.

Runs `QUARRY ask --corpus DIR --explain` once per question set (questions on
standard input, one JSON object per line out) and prints:
  (a) per set, precision and recall of abstention for the given (U, C), the
      binary's own decision, and a small grid around (U, C);
  (b) leave one corpus out: (U, C) fitted on two sets (abstain >= 0.75 and
      false_abstain <= 0.10 on both, then fewest false abstentions), scored
      on the third;
  (c) leave one corpus out for the ranking: the feature weights fitted on
      two sets (coordinate ascent from the shipped weights, on hit@1 plus
      half hit@3 over the candidates --explain lists), hit@1/hit@3 on the
      third, beside the shipped weights' own.
A question without evidence (null) counts as abstained.

  python3 scripts/calibrate.py target/release/quarry [-U 0.45] [-C 0.25]
Standard library only, and the shared score.py for what counts as a hit.
Relative paths are read from the repository root.
"""
import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVAL = "../shared/eval"


def pydocs_html():
    """The html folder of Debian's python3.11-doc."""
    try:
        files = subprocess.run(["dpkg", "-L", "python3.11-doc"], capture_output=True, text=True).stdout
    except OSError:
        files = ""
    return next((f for f in files.splitlines() if f.endswith("/html")), "/usr/share/doc/python3.11/html")


def explain(binary, corpus, questions):
    """One --explain record per question, in order."""
    stdin = "".join(q["question"] + "\n" for q in questions)
    p = subprocess.run([binary, "ask", "--corpus", corpus, "--explain"], input=stdin,
                       capture_output=True, text=True, cwd=ROOT)
    if p.returncode != 0:
        sys.exit(f"{binary} failed ({p.returncode}) on {corpus}:\n{p.stderr[-2000:]}")
    records = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
    if len(records) != len(questions):
        sys.exit(f"{corpus}: {len(records)} records for {len(questions)} questions")
    for q, r in zip(questions, records):
        if r.get("question") not in (None, q["question"]):
            sys.exit(f"{corpus}: records out of order at {q['question']!r}")
    return records


def load_set(binary, questions_path, corpus):
    with open(os.path.join(ROOT, questions_path), encoding="utf-8") as fh:
        qs = [json.loads(line) for line in fh if line.strip()]
    rows = []
    for q, r in zip(qs, explain(binary, os.path.join(ROOT, corpus), qs)):
        ev = r.get("evidence")
        rows.append({"unanswerable": bool(q.get("unanswerable")), "answered": bool(r.get("answered")),
                     "unknown": ev["unknown"] if ev else None, "coverage": ev["coverage"] if ev else None,
                     "question": q, "weights": r.get("weights"), "candidates": r.get("candidates", [])})
    return rows


def evaluation_script():
    """The shared score.py, whose `hit` is what hit@1 and hit@3 count."""
    sys.path.insert(0, os.path.join(ROOT, EVAL))
    import score
    return score


def ranked_hits(rows, weights):
    """hit@1 and hit@3 over the answerable questions when the candidates are
    ordered by `weights` (the same sentence counted once, as quotes are)."""
    h1 = h3 = n = 0
    for r in rows:
        if r["unanswerable"]:
            continue
        n += 1
        order = sorted(r["candidates"], key=lambda c: -sum(w * c["features"][f] for f, w in weights.items()))
        seen, top = set(), []
        for c in order:
            key = re.sub(r"\W", "", c["text"].lower())
            if key not in seen:
                seen.add(key)
                top.append(c)
            if len(top) == 3:
                break
        hits = [SCORE.hit(r["question"], c) for c in top]
        h1 += hits[:1] == [True]
        h3 += any(hits)
    return h1 / max(n, 1), h3 / max(n, 1)


SCORE = evaluation_script()

STEPS = (-1.0, -0.5, -0.3, -0.1, 0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0)


def fit_weights(sets, shipped):
    """Coordinate ascent on the sum of hit@1 + hit@3 / 2 over `sets`."""
    def objective(w):
        return sum(a + b / 2 for a, b in (ranked_hits(rows, w) for rows in sets))
    weights, best = dict(shipped), objective(shipped)
    for _ in range(2):
        for feature in shipped:
            for value in STEPS:
                trial = dict(weights, **{feature: value})
                score = objective(trial)
                if score > best + 1e-9:
                    weights, best = trial, score
    return weights


def abstains(row, u, c):
    return row["unknown"] is None or row["unknown"] >= u or row["coverage"] < c


def stats(rows, decide):
    """abstain (recall), false_abstain, precision of abstention, counts."""
    unans = [decide(r) for r in rows if r["unanswerable"]]
    ans = [decide(r) for r in rows if not r["unanswerable"]]
    hits, false = sum(unans), sum(ans)
    return {"recall": hits / len(unans) if unans else 1.0,
            "false_abstain": false / len(ans) if ans else 0.0,
            "precision": hits / (hits + false) if hits + false else None,
            "false": false, "hits": hits}


def fmt(s):
    p = "  -  " if s["precision"] is None else f"{s['precision']:.2f}"
    return f"P={p} R={s['recall']:.2f} FA={s['false_abstain']:.2f}"


def fit(sets, floor_abstain, ceil_false):
    """(U, C) on a 0.01 grid: floors met on every set, then fewest false
    abstentions, then most abstentions; of equals, the middle one."""
    steps = [i / 100 for i in range(102)]  # 1.01: never abstain for this reason
    scored = []
    for u in steps:
        for c in steps:
            ss = [stats(rows, lambda r: abstains(r, u, c)) for rows in sets]
            unmet = sum((s["recall"] < floor_abstain) + (s["false_abstain"] > ceil_false) for s in ss)
            scored.append(((unmet, sum(s["false"] for s in ss), -sum(s["hits"] for s in ss)), u, c))
    best = min(key for key, _, _ in scored)
    tied = [(u, c) for key, u, c in scored if key == best]
    mu, mc = (sorted(x)[len(x) // 2] for x in zip(*tied))
    u, c = min(tied, key=lambda p: abs(p[0] - mu) + abs(p[1] - mc))
    return u, c, best[0] == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("quarry", help="the quarry binary, e.g. target/release/quarry")
    ap.add_argument("-U", type=float, default=0.45, help="abstain when unknown >= U (0.45)")
    ap.add_argument("-C", type=float, default=0.25, help="abstain when coverage < C (0.25)")
    ap.add_argument("--set", nargs=2, action="append", metavar=("QUESTIONS", "CORPUS"),
                    help="a question set and its corpus (repeatable; default: the three ask dev sets)")
    ap.add_argument("--min-abstain", type=float, default=0.75)
    ap.add_argument("--max-false-abstain", type=float, default=0.10)
    a = ap.parse_args()
    pairs = a.set or [(f"{EVAL}/seed_dev.jsonl", "corpus"),
                      (f"{EVAL}/pydocs_dev.jsonl", pydocs_html()),
                      (f"{EVAL}/cargobook_dev.jsonl", f"{EVAL}/corpora/cargo-book")]
    binary = os.path.abspath(a.quarry)
    sets = {os.path.basename(q).removesuffix(".jsonl").removesuffix("_dev"): load_set(binary, q, c)
            for q, c in pairs}
    width = max(map(len, sets))

    print(f"(a) abstain when unknown >= {a.U:.2f} or coverage < {a.C:.2f}"
          "  (P precision, R recall = abstain, FA false_abstain)")
    for name, rows in sets.items():
        print(f"  {name:<{width}}  rule: {fmt(stats(rows, lambda r: abstains(r, a.U, a.C)))}"
              f"   binary: {fmt(stats(rows, lambda r: not r['answered']))}")
    print("  grid:")
    for du in (-0.10, -0.05, 0, 0.05, 0.10):
        for dc in (-0.10, -0.05, 0, 0.05, 0.10):
            u, c = round(a.U + du, 2), round(a.C + dc, 2)
            cells = "  ".join(f"{n} {fmt(stats(rows, lambda r: abstains(r, u, c)))}" for n, rows in sets.items())
            print(f"    U={u:.2f} C={c:.2f}  {cells}")

    print(f"(b) leave one corpus out (fit: abstain >= {a.min_abstain:.2f} and "
          f"false_abstain <= {a.max_false_abstain:.2f} on both, then fewest false abstentions)")
    for held, rows in sets.items():
        train = [r for n, r in sets.items() if n != held]
        u, c, ok = fit(train, a.min_abstain, a.max_false_abstain)
        s = stats(rows, lambda r: abstains(r, u, c))
        note = "" if ok else "  (floors not met on the training sets)"
        print(f"  held out {held:<{width}}  U={u:.2f} C={c:.2f}  "
              f"abstain={s['recall']:.2f} false_abstain={s['false_abstain']:.2f}{note}")

    shipped = next(r["weights"] for rows in sets.values() for r in rows if r["weights"])
    # `coverage` is what abstention reads; it does not rank, so it is not refitted.
    shipped = {f: w for f, w in shipped.items() if f != "coverage"}
    print("(c) ranking weights, leave one corpus out (hit@1 / hit@3 over --explain's candidates)")
    for held, rows in sets.items():
        fitted = fit_weights([r for n, r in sets.items() if n != held], shipped)
        changed = ", ".join(f"{f}={w:g}" for f, w in fitted.items() if w != shipped[f]) or "none"
        f1, f3 = ranked_hits(rows, fitted)
        s1, s3 = ranked_hits(rows, shipped)
        print(f"  held out {held:<{width}}  fitted {f1:.2f} / {f3:.2f}   shipped {s1:.2f} / {s3:.2f}"
              f"   (fitted changes: {changed})")


if __name__ == "__main__":
    main()
