"""`make eval` / ``python -m wtkb.dev.evaluate``: answer, retrieval and abstention quality, with baselines.

Questions come from ``tests/eval/questions.yaml`` (schema: :mod:`wtkb.dev.eval_questions`). Tune
:mod:`wtkb.retrieve` and :mod:`wtkb.qa` on ``dev`` only; ``test`` is the held-out check.

The first table scores what a practitioner reads: every question goes through the real
:meth:`wtkb.qa.QA.ask` (the same decision and sentences as ``POST /ask``), and the answer text and
citations are checked for the gold text, per split and per question type (see
:mod:`wtkb.dev.eval_answers`). ``--show-failures`` lists the dev questions an answer fails on.

Retrieval table, over answerable questions with gold records: hit@1, hit@5, MRR (of the first gold
paragraph in the top 10). Abstention accuracy is over all questions of the split: the method
answers exactly the answerable ones. "cites gold" (wtkb only) is the share of those questions whose
answer is supported and cites a gold paragraph. Baselines, in the same run and on the same questions:

* ``bm25``: BM25 alone (the same bm25s index);
* ``dense``: the dense index alone (Chroma vectors, same model);
* ``rrf``: plain reciprocal-rank fusion (k=60) of those two;
* ``llama-index default``: ``VectorStoreIndex`` with llama-index's default chunking
  (``SentenceSplitter``) over the raw ``sources/*.txt`` and the same embedding model; a chunk
  counts as a gold hit when it contains the gold paragraph's text (its first or last 60
  letters and digits, or all of it when shorter).

A baseline's abstention uses a threshold on its top score calibrated on dev (best balanced
accuracy), applied unchanged to test.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from wtkb.api.app import AskRequest
from wtkb.atomic import write_json
from wtkb.dev import eval_answers, eval_questions
from wtkb.dev.eval_questions import Question, load_questions
from wtkb.errors import WtkbError
from wtkb.settings import Settings, get_settings
from wtkb.text import alnum

ASK_TOP_K: int = AskRequest.model_fields["top_k"].default  # what POST /ask uses when not told
EMBED_BATCH = 32


def questions_path(settings: Settings) -> Path:
    return eval_questions.questions_path(settings.root)


@dataclass
class Result:
    """One method's outcome for one question."""

    ids: list[str]  # ranked record IDs (top 10)
    top: float  # the score its abstention is decided on
    supported: bool | None = None  # None: decided later by a calibrated threshold
    cites: list[str] | None = None  # IDs the answer cites (wtkb only)
    answer: object = field(default=None, repr=False)  # the wtkb.qa.Answer (wtkb only)


@dataclass
class Row:
    method: str
    split: str
    n: int
    hit1: float
    hit5: float
    mrr: float
    abstain_acc: float
    abstain_balanced: float
    cites_gold: float | None = None


def rank_of(ids: list[str], gold: set[str]) -> int | None:
    return next((i + 1 for i, r in enumerate(ids) if r in gold), None)


def score_rows(name: str, qs: list[Question], res: dict[str, Result]) -> list[Row]:
    rows = []
    for split in ("dev", "test"):
        sq = [q for q in qs if q.split == split]
        ans = [q for q in sq if q.answerable]
        if not sq:
            continue
        ret = [q for q in ans if q.retrievable]  # rank metrics need gold records
        ranks = [rank_of(res[q.q].ids, set(q.gold)) for q in ret]
        h1 = np.mean([r == 1 for r in ranks]) if ret else 0.0
        h5 = np.mean([bool(r and r <= 5) for r in ranks]) if ret else 0.0
        mrr = np.mean([1 / r if r else 0.0 for r in ranks]) if ret else 0.0
        ok = [res[q.q].supported == q.answerable for q in sq]
        ra = np.mean([res[q.q].supported for q in ans]) if ans else 1.0
        un = [q for q in sq if not q.answerable]
        ru = np.mean([not res[q.q].supported for q in un]) if un else 1.0
        cites = None
        if res[sq[0].q].cites is not None and ans:
            cites = float(np.mean([bool(res[q.q].supported and set(res[q.q].cites or []) & set(q.gold))
                                   for q in ret])) if ret else None
        rows.append(Row(name, split, len(ret), float(h1), float(h5), float(mrr), float(np.mean(ok)),
                        float((ra + ru) / 2), cites))
    return rows


def calibrate(qs: list[Question], res: dict[str, Result]) -> float:
    """The threshold on ``top`` with the best balanced abstention accuracy on dev."""
    dev = [q for q in qs if q.split == "dev"]
    cands = sorted({res[q.q].top for q in dev})
    best, best_t = -1.0, float("-inf")
    for i, t in enumerate(cands):
        t = (t + cands[i - 1]) / 2 if i else t - 1e-6
        ra = np.mean([res[q.q].top >= t for q in dev if q.answerable] or [1.0])
        ru = np.mean([res[q.q].top < t for q in dev if not q.answerable] or [1.0])
        if (ra + ru) / 2 > best:
            best, best_t = (ra + ru) / 2, t
    return best_t


def apply_threshold(res: dict[str, Result], t: float) -> None:
    for r in res.values():
        if r.supported is None:
            r.supported = r.top >= t


# --- methods ----------------------------------------------------------------------------------

class Runner:
    def __init__(self, settings: Settings, qs: list[Question]):
        from wtkb.qa import QA
        from wtkb.retrieve import Retriever

        self.settings = settings
        self.qs = qs
        self.retriever = Retriever(settings)
        self.qa = QA(settings, self.retriever)
        self._vecs: dict[str, np.ndarray] = {}

    def qvec(self, text: str) -> np.ndarray:
        if text not in self._vecs:
            self._vecs[text] = self.retriever.embed(text)
        return self._vecs[text]

    def prefetch(self, texts: list[str], batch: int = EMBED_BATCH) -> None:
        """Embed ``texts`` in batches (as the API's batcher does): one forward pass per question is what
        made the run slow; the vectors are the same up to float rounding."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._vecs))
        for i in range(0, len(todo), batch):
            chunk = todo[i:i + batch]
            self._vecs.update(zip(chunk, self.retriever.embed_many(chunk), strict=True))

    def retrieval(self, config) -> dict[str, Result]:
        r = self.retriever
        out = {}
        self.prefetch([r.query_text(q.q, config) for q in self.qs])
        for q in self.qs:
            s = r.score(q.q, config, self.qvec(r.query_text(q.q, config)))
            hits = r.rank(s, 10)
            top = {"dense": hits[0].dense, "bm25": hits[0].bm25}.get(config.fusion, hits[0].score) if hits else 0.0
            out[q.q] = Result([h.record.id for h in hits], top)
        return out

    def wtkb(self) -> dict[str, Result]:
        """The shipped pipeline, decided by the real :meth:`QA.ask` (the same decision as ``/ask``)."""
        r, qa = self.retriever, self.qa
        out = {}
        self.prefetch([r.query_text(q.q) for q in self.qs])
        for q in self.qs:
            qvec = self.qvec(r.query_text(q.q))
            s = r.score(q.q, qvec=qvec)
            hits = r.rank(s, max(10, qa.config.paragraphs))
            answer = qa.ask(q.q, ASK_TOP_K, qvec=qvec)
            out[q.q] = Result([h.record.id for h in hits[:10]], qa.support(s, hits), bool(answer.supported),
                              [c.id for c in answer.citations] if answer.supported else [], answer)
        return out

    def outcomes(self, res: dict[str, Result]) -> list[eval_answers.Outcome]:
        """What a practitioner reads, scored per question (see :mod:`wtkb.dev.eval_answers`)."""
        from wtkb.reference.duties import load_duties
        from wtkb.reference.glossary import load_glossary

        glossary = {e.term: e for e in load_glossary()}
        duties = {d.id: d for d in load_duties()}
        by_id = {x.id: x for x in self.retriever.records}
        return [eval_answers.outcome(q, res[q.q].answer, res[q.q].ids, by_id,
                                     eval_answers.gold_strings(q, glossary, duties)) for q in self.qs]

    def llama_default(self) -> tuple[dict[str, Result], float]:
        """llama-index's out-of-the-box pipeline over the raw source files."""
        from llama_index.core import QueryBundle, SimpleDirectoryReader, VectorStoreIndex
        from llama_index.core import Settings as LlamaSettings

        from wtkb.index import llama_embedder

        files = sorted(p for p in self.settings.sources_dir.glob("*.txt") if not p.name.startswith("UPSTREAM"))
        docs = SimpleDirectoryReader(input_files=[str(p) for p in files]).load_data()
        LlamaSettings.llm = None
        index = VectorStoreIndex.from_documents(docs, embed_model=llama_embedder())
        retriever = index.as_retriever(similarity_top_k=10)
        probes = {r.id: _probes(r.text) for r in self.retriever.records}
        out = {}
        found = set()
        self.prefetch([q.q for q in self.qs])  # the same model and normalisation as llama_embedder's
        for q in self.qs:
            nodes = retriever.retrieve(QueryBundle(q.q, embedding=self.qvec(q.q).tolist()))
            chunks = [alnum(n.node.get_content()) for n in nodes]
            gold = set(q.gold)
            ids = []
            for c in chunks:  # a chunk stands for the gold paragraphs it contains, else for nothing
                hit = [g for g in gold if any(p in c for p in probes.get(g, ()))]
                ids.append(hit[0] if hit else f"chunk-{len(ids)}")
                found.update(hit)
            out[q.q] = Result(ids, float(nodes[0].score or 0.0) if nodes else 0.0)
        all_chunks = [alnum(n.get_content()) for n in index.docstore.docs.values()]
        golds = {g for q in self.qs for g in q.gold}
        findable = sum(1 for g in golds if any(p in c for c in all_chunks for p in probes.get(g, ())))
        return out, findable / max(1, len(golds))


def _probes(text: str, n: int = 60) -> tuple[str, ...]:
    t = alnum(text)
    return (t,) if len(t) <= n else (t[:n], t[-n:])


# --- report -----------------------------------------------------------------------------------

def run(settings: Settings, qs: list[Question], llama: bool = True, ablations: bool = False,
        progress: Callable[[str], None] = lambda _: None, cv: bool = False) -> dict:
    """Every table of the report; ``per_question`` keeps each question's answer outcome."""
    from wtkb.retrieve import DEFAULT_CONFIG

    phase = _Phases(progress)
    phase("loading the index and the model")
    runner = Runner(settings, qs)
    rows: list[Row] = []
    phase("wtkb (hybrid): asking every question")
    wt = runner.wtkb()
    rows += score_rows("wtkb hybrid", qs, wt)
    outs = runner.outcomes(wt)
    thresholds = {}
    notes = {}
    baselines = [("bm25 only", replace(DEFAULT_CONFIG, fusion="bm25")),
                 ("dense only", replace(DEFAULT_CONFIG, fusion="dense")),
                 ("plain RRF", replace(DEFAULT_CONFIG, fusion="rrf"))]
    for name, cfg in baselines:
        phase(name)
        res = runner.retrieval(cfg)
        thresholds[name] = calibrate(qs, res)
        apply_threshold(res, thresholds[name])
        rows += score_rows(name, qs, res)
    if llama:
        phase("llama-index default")
        res, findable = runner.llama_default()
        thresholds["llama-index default"] = calibrate(qs, res)
        apply_threshold(res, thresholds["llama-index default"])
        rows += score_rows("llama-index default", qs, res)
        notes["llama_gold_findable"] = findable
    ablation_rows: list[Row] = []
    if ablations:
        for name, changes in ABLATIONS:
            phase(f"ablation: {name}")
            res = runner.retrieval(replace(DEFAULT_CONFIG, **changes))
            for r in res.values():
                r.supported = True
            ablation_rows += score_rows(name, qs, res)
    out: dict = {"answers": [asdict(r) for r in eval_answers.answer_rows(outs)],
                 "per_question": eval_answers.outcome_dicts(outs),
                 "rows": [asdict(r) for r in rows], "ablations": [asdict(r) for r in ablation_rows],
                 "baseline_thresholds": thresholds, "wtkb_threshold": runner.qa.config.threshold,
                 "wtkb_dev_best_threshold": calibrate(qs, wt), "notes": notes,
                 "questions": {s: sum(1 for q in qs if q.split == s) for s in ("dev", "test")}}
    if cv:
        phase("cross-validation on dev")
        out["cv"] = cross_validate(runner)
    out["seconds"] = phase.done()
    return out


class _Phases:
    """Wall-clock seconds per phase of a run (reported, so a slow phase is visible)."""

    def __init__(self, progress: Callable[[str], None]):
        self.progress, self.seconds, self._name, self._t = progress, {}, None, time.perf_counter()

    def __call__(self, name: str) -> None:
        self.done()
        self._name, self._t = name, time.perf_counter()
        self.progress(name)

    def done(self) -> dict[str, float]:
        if self._name is not None:
            self.seconds[self._name] = round(time.perf_counter() - self._t, 1)
            self._name = None
        return self.seconds


# --- cross-validation (dev only) ---------------------------------------------------------------
#
# The shipped weights and threshold were chosen on the whole dev split, so the dev rows above are
# in-sample. ``--cv`` estimates what that tuning procedure gives on questions it has not seen:
# the RetrievalConfig weights are re-tuned by coordinate search on the training folds (from
# CV_START, over CV_GRID) and scored on the held-out fold; the abstention threshold of
# QA.supported is refitted on the training folds. The test split is never touched.

CV_GRID: dict[str, tuple[float, ...]] = {
    "w_sentence": (0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0), "w_bm25": (0, 0.1, 0.2, 0.3, 0.4, 0.6),
    "w_section_dense": (0, 0.05, 0.1, 0.2), "w_section_bm25": (0, 0.05, 0.1, 0.2, 0.3),
    "w_quantity": (0, 0.05, 0.1, 0.15, 0.25), "w_response": (0, 0.01, 0.02, 0.04, 0.08),
    "w_response_yes_no": (0, 0.01, 0.02, 0.04, 0.08), "w_directory": (0, -0.05, -0.1, -0.2),
    "w_length": (0, 0.025, 0.05, 0.1), "bm25_norm": (0, 0.25, 0.5, 1.0, 2.0)}
# the search starts from a neutral point, not from the shipped values it is meant to re-find
CV_START = {"w_sentence": 0.25, "w_bm25": 0.25, "w_section_dense": 0.0, "w_section_bm25": 0.0, "w_quantity": 0.0,
            "w_response": 0.0, "w_response_yes_no": 0.0, "w_directory": 0.0, "w_length": 0.0}
CV_SEED_RETRIEVAL, CV_SEED_ABSTENTION = 0, 1
CV_REPEATS, CV_FOLDS = 5, 5  # retrieval: 5 x 5-fold over the answerable dev questions
AB_REPEATS, AB_FOLDS = 20, 4  # abstention: 20 x stratified 4-fold over all dev questions


class _Signals:
    """Every retrieval signal of every dev question, computed once; any hybrid config is then a dot product.

    Columns: dense, best sentence, raw BM25, section-max dense, section-max raw BM25, response,
    directory, length, figures (quantity questions only), response (yes/no questions only). The BM25
    normalisation is a positive per-question scale, so it commutes with the section max and is applied
    through the weights. Rows are grouped by canonical record, so duplicate collapse is one reduceat.
    """

    def __init__(self, runner: Runner, qs: list[Question]):
        from wtkb.retrieve import DEFAULT_CONFIG, QUANTITY_Q, is_yes_no
        from wtkb.text import tokenize

        r = runner.retriever
        order = np.argsort(r.canon, kind="stable")
        canon = r.canon[order]
        self.starts = np.flatnonzero(np.r_[True, canon[1:] != canon[:-1]])
        group_of = {int(c): g for g, c in enumerate(canon[self.starts])}
        x, self.top, self.ntok, self.gold = [], [], [], []
        for q in qs:
            s = r.score(q.q, DEFAULT_CONFIG, runner.qvec(r.query_text(q.q, DEFAULT_CONFIG)))
            raw = s.bm25_raw.astype(np.float64)
            quant, yn = bool(QUANTITY_Q.search(q.q)), is_yes_no(q.q)
            cols = [s.dense, r.best_sentence(s.sentence, s.dense), raw, r.section_max(s.dense), r.section_max(raw),
                    r.response, r.directory, r.length, r.figures * quant, r.response * yn]
            x.append(np.stack([np.asarray(c, np.float64) for c in cols], 1)[order])
            self.top.append(float(raw.max(initial=0.0)))
            self.ntok.append(max(1, len(tokenize(q.q))))
            # as in score_rows: only a gold record that ranking can return (a canonical one) counts
            self.gold.append([group_of[r.row_of[g]] for g in q.gold
                              if g in r.row_of and int(r.canon[r.row_of[g]]) == r.row_of[g]])
        self.x = np.stack(x)
        self.top_a, self.ntok_a = np.array(self.top), np.array(self.ntok, np.float64)

    def ranks(self, c: dict, idx: np.ndarray) -> np.ndarray:
        """Rank of the best gold record per question (ties count in the gold's favour; inf: no gold)."""
        den = np.where(self.top_a[idx] > 0, self.top_a[idx] + c["bm25_norm"] * self.ntok_a[idx], 1.0)
        w = np.tile([c["w_dense"], c["w_sentence"], c["w_bm25"], c["w_section_dense"], c["w_section_bm25"],
                     c["w_response"], c["w_directory"], c["w_length"], c["w_quantity"], c["w_response_yes_no"]],
                    (len(idx), 1))
        w[:, 2] /= den
        w[:, 4] /= den
        agg = np.maximum.reduceat(np.einsum("qrk,qk->qr", self.x[idx], w), self.starts, axis=1)
        out = np.full(len(idx), np.inf)
        for j, i in enumerate(idx):
            if self.gold[i]:
                out[j] = (agg[j] > agg[j, self.gold[i]].max()).sum() + 1
        return out

    def metrics(self, c: dict, idx: np.ndarray) -> dict[str, float]:
        r = self.ranks(c, idx)
        return {"hit1": float(np.mean(r == 1)), "hit5": float(np.mean(r <= 5)),
                "mrr": float(np.mean(np.where(r <= 10, 1 / r, 0.0)))}


def _tune(sig: _Signals, start: dict, idx: np.ndarray, passes: int = 3) -> dict:
    """Coordinate search over CV_GRID maximising MRR + 0.25 * hit@5 on ``idx``."""
    def obj(c: dict) -> float:
        m = sig.metrics(c, idx)
        return m["mrr"] + 0.25 * m["hit5"]

    c, best = dict(start), obj(start)
    for _ in range(passes):
        changed = False
        for p, grid in CV_GRID.items():
            for v in grid:
                t = {**c, p: v}
                s = obj(t)
                if s > best + 1e-9:
                    best, c, changed = s, t, True
        if not changed:
            break
    return c


def _balanced(pred: np.ndarray, y: np.ndarray) -> float:
    return float((pred[y].mean() + (~pred[~y]).mean()) / 2)


def _fit_threshold(s: np.ndarray, y: np.ndarray) -> float:
    """The threshold on the support score with the best balanced accuracy (as :func:`calibrate`)."""
    cands = np.unique(s)
    best, best_t = -1.0, float("-inf")
    for i, t in enumerate(cands):
        t = (t + cands[i - 1]) / 2 if i else t - 1e-6
        b = _balanced(s >= t, y)
        if b > best:
            best, best_t = b, float(t)
    return best_t


def cross_validate(runner: Runner) -> dict:
    """Cross-validated retrieval and abstention on the dev split only (deterministic: fixed seeds)."""
    from wtkb.retrieve import DEFAULT_CONFIG

    r, qa = runner.retriever, runner.qa
    dev = [q for q in runner.qs if q.split == "dev"]
    if not dev:
        raise WtkbError("--cv needs dev questions", "mark some questions split: dev")
    sig = _Signals(runner, dev)
    weights = {k: getattr(DEFAULT_CONFIG, k) for k in ("w_dense", *CV_GRID)}
    shipped = dict(weights)
    start = {**weights, **CV_START}
    ans = np.array([i for i, q in enumerate(dev) if q.retrievable])
    rng = np.random.default_rng(CV_SEED_RETRIEVAL)
    folds = []
    for _ in range(CV_REPEATS):
        p = rng.permutation(ans)
        for k in range(CV_FOLDS):
            te = np.sort(p[k::CV_FOLDS])
            folds.append(sig.metrics(_tune(sig, start, np.setdiff1d(ans, te)), te))
    keys = ("hit1", "hit5", "mrr")
    res = np.array([[f[k] for k in keys] for f in folds])
    refit = _tune(sig, start, ans)
    retrieval = {
        "n": len(ans), "repeats": CV_REPEATS, "folds": CV_FOLDS, "seed": CV_SEED_RETRIEVAL,
        "free": list(CV_GRID), "start": start,
        "in_sample_shipped": sig.metrics(shipped, ans),
        "cv_mean": dict(zip(keys, map(float, res.mean(0)), strict=True)),
        "cv_fold_sd": dict(zip(keys, map(float, res.std(0)), strict=True)),
        "refit_all_dev": {"weights": refit, **sig.metrics(refit, ans)}}

    # abstention: QA.supported = support >= threshold or the top hit has all the question's terms;
    # the threshold is fitted on the support score of the training folds, the term rule has no parameter
    support, all_terms = [], []
    for q in dev:
        s = r.score(q.q, qvec=runner.qvec(r.query_text(q.q)))
        hits = r.rank(s, max(10, qa.config.paragraphs))
        support.append(qa.support(s, hits))
        all_terms.append(qa.top_hit_has_all_terms(s, hits))
    sup, rule = np.array(support), np.array(all_terms)
    y = np.array([q.answerable for q in dev])
    abstention: dict = {"n": len(dev), "answerable": int(y.sum()), "repeats": AB_REPEATS, "folds": AB_FOLDS,
                        "seed": CV_SEED_ABSTENTION}
    shipped_pred = (sup >= qa.config.threshold) | rule
    abstention["in_sample_shipped"] = {"threshold": qa.config.threshold, "balanced": _balanced(shipped_pred, y),
                                       "answerable_refused": float(1 - shipped_pred[y].mean())}
    if y.all() or not y.any():
        return {"retrieval": retrieval, "abstention": abstention}
    rng = np.random.default_rng(CV_SEED_ABSTENTION)
    pos, neg = np.flatnonzero(y), np.flatnonzero(~y)
    bal, refused, ts = [], [], []
    for _ in range(AB_REPEATS):
        pp, nn = rng.permutation(pos), rng.permutation(neg)
        pred = np.zeros(len(y), bool)
        for k in range(AB_FOLDS):
            te = np.concatenate([pp[k::AB_FOLDS], nn[k::AB_FOLDS]])
            tr = np.setdiff1d(np.arange(len(y)), te)
            t = _fit_threshold(sup[tr], y[tr])
            ts.append(t)
            pred[te] = (sup[te] >= t) | rule[te]
        bal.append(_balanced(pred, y))
        refused.append(float(1 - pred[y].mean()))
    abstention["cv"] = {"balanced": float(np.mean(bal)), "balanced_sd": float(np.std(bal)),
                        "answerable_refused": float(np.mean(refused)), "threshold_mean": float(np.mean(ts)),
                        "threshold_sd": float(np.std(ts))}
    return {"retrieval": retrieval, "abstention": abstention}


def cv_table(cv: dict):
    from rich.table import Table

    rt, ab = cv["retrieval"], cv["abstention"]
    t = Table(title=f"cross-validated estimate (dev only: {rt['n']} answerable / {ab['n']} questions)")
    for col in ("estimate", "hit@1", "hit@5", "MRR", "abstain bal.", "answerable refused"):
        t.add_column(col, justify="left" if col == "estimate" else "right", no_wrap=True)

    def cells(m: dict) -> list[str]:
        return [f"{m[k]:.3f}" for k in ("hit1", "hit5", "mrr")]

    a = ab["in_sample_shipped"]
    t.add_row("shipped config and threshold, in-sample dev", *cells(rt["in_sample_shipped"]),
              f"{a['balanced']:.3f}", f"{a['answerable_refused']:.3f}")
    c = ab.get("cv")
    t.add_row(f"refitted per fold: weights {rt['repeats']}x{rt['folds']}-fold, "
              f"threshold {ab['repeats']}x{ab['folds']}-fold", *cells(rt["cv_mean"]),
              f"{c['balanced']:.3f}" if c else "", f"{c['answerable_refused']:.3f}" if c else "")
    t.add_row("  s.d. over folds (abstention: over repeats)", *cells(rt["cv_fold_sd"]),
              f"{c['balanced_sd']:.3f}" if c else "", "")
    return t


ABLATIONS: list[tuple[str, dict]] = [
    ("wtkb hybrid (all)", {}),
    ("- glossary expansion", {"expansion_weight": 0.0, "expand_dense": False}),
    ("- best-sentence signal", {"w_sentence": 0.0}),
    ("- section boosts", {"w_section_dense": 0.0, "w_section_bm25": 0.0}),
    ("- quantity boost", {"w_quantity": 0.0}),
    ("- response-heading prior", {"w_response": 0.0, "w_response_yes_no": 0.0}),
    ("- directory/length priors", {"w_directory": 0.0, "w_length": 0.0}),
    ("- BM25", {"w_bm25": 0.0, "w_section_bm25": 0.0}),
]


def table(rows: list[dict], title: str, abstention: bool = True):
    from rich.table import Table

    t = Table(title=title)
    cols = ["method", "split", "n", "hit@1", "hit@5", "MRR"]
    if abstention:
        cols += ["abstain acc", "abstain bal.", "cites gold"]
    for col in cols:
        t.add_column(col, justify="left" if col in ("method", "split") else "right", no_wrap=True)
    for r in rows:
        cells = [r["method"], r["split"], str(r["n"]), f"{r['hit1']:.3f}", f"{r['hit5']:.3f}", f"{r['mrr']:.3f}"]
        if abstention:
            cells += [f"{r['abstain_acc']:.3f}", f"{r['abstain_balanced']:.3f}",
                      "" if r["cites_gold"] is None else f"{r['cites_gold']:.3f}"]
        t.add_row(*cells)
    return t


def ensure_index(settings: Settings, say: Callable[[str], None]) -> None:
    from wtkb.corpus import build_corpus
    from wtkb.index import IndexMeta, build_index, check_meta

    corpus = build_corpus(settings.sources_dir)
    try:
        check_meta(IndexMeta.read(settings.index), corpus.hash, settings.index)
    except WtkbError as exc:
        say(f"{exc.what}: building the index now")
        build_index(settings, corpus)


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console

    ap = argparse.ArgumentParser(prog="python -m wtkb.dev.evaluate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--questions", type=Path, help="question file (default tests/eval/questions.yaml)")
    ap.add_argument("--no-llama", action="store_true", help="skip the llama-index default baseline")
    ap.add_argument("--ablations", action="store_true", help="also report the hybrid with each signal removed")
    ap.add_argument("--cv", action="store_true",
                    help="also report a cross-validated estimate on dev (weights and threshold refitted per fold)")
    ap.add_argument("--json", type=Path, help="write the results here (default _build/eval/results.json)")
    ap.add_argument("--show-failures", action="store_true",
                    help="list the dev questions whose answer fails a check (never test: do not tune on it)")
    args = ap.parse_args(argv)
    out, err = Console(width=max(120, Console().width)), Console(stderr=True)
    settings = get_settings()
    try:
        qs = load_questions(args.questions or questions_path(settings))
        ensure_index(settings, lambda m: err.print(f"[yellow]{m}[/]"))
        t0 = time.perf_counter()
        with err.status("evaluating…") as status:
            result = run(settings, qs, llama=not args.no_llama, ablations=args.ablations,
                         progress=lambda m: status.update(f"evaluating: {m}"), cv=args.cv)
    except WtkbError as exc:
        err.print(f"[bold red]error:[/] {exc.what}\n  [bold]what to do:[/] {exc.fix}")
        return 2
    n = result["questions"]
    out.print(eval_answers.answer_table(result["answers"], f"answers as a practitioner reads them ({n['dev']} dev / "
                                        f"{n['test']} test questions; POST /ask top_k={ASK_TOP_K})"))
    if args.show_failures:
        out.print(eval_answers.failures_table(result["per_question"], "dev"))
    out.print(table(result["rows"], f"retrieval and abstention ({result['questions']['dev']} dev / "
                                    f"{result['questions']['test']} test questions; tuned on dev)"))
    if result["ablations"]:
        out.print(table(result["ablations"], "ablations: the hybrid with one signal removed", abstention=False))
    if "cv" in result:
        out.print(cv_table(result["cv"]))
    notes = result["notes"]
    if "llama_gold_findable" in notes:
        out.print(f"llama-index default: {notes['llama_gold_findable']:.0%} of gold paragraphs can be matched "
                  "in its raw-text chunks at all")
    out.print(f"wtkb abstention threshold {result['wtkb_threshold']:.3f} (dev-best on this run: "
              f"{result['wtkb_dev_best_threshold']:.3f}); baseline thresholds (dev-calibrated): "
              + ", ".join(f"{k} {v:.3f}" for k, v in result["baseline_thresholds"].items()))
    phases = ", ".join(f"{k} {v:.1f}s" for k, v in result["seconds"].items())
    out.print(f"[dim]{time.perf_counter() - t0:.1f}s ({phases})[/]")
    path = write_json(args.json or settings.build / "eval" / "results.json", result)
    out.print(f"[dim]results written to {path}[/]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
