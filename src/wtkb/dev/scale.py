"""`make bench-scale` / ``python -m wtkb.dev.scale``: the growth curve, measured; and the poison-pill load.

Growth (``--factors 1,10,100``): corpora of 1x, 10x and 100x the real one. Copy 0 is the real
five sources byte for byte; each further copy of a document is a synthetic Markdown document made
from the real one's paragraphs: its sections shuffled (seeded), each re-headed with a unique
heading, and each paragraph tagged "[set k]" so no two records are duplicates (unique IDs). For
each size, and for three modes (the embedded index; a Chroma server with every vector in each
worker, ``WTKB_DENSE=memory``; a Chroma server queried through its HNSW index, ``WTKB_DENSE=hnsw``),
it reports:

* build time and index size on disk (the server modes: local files + the server's data folder);
* worker start time and RSS per API worker once loaded;
* ``POST /ask`` p50/p95 with 1 and with 16 keep-alive clients (1 worker);
* throughput (requests/s) with 16 clients and 1, 2 and 4 workers;
* the dense scoring cost per query: a torch matrix product over every paragraph and sentence (memory)
  or the server's HNSW queries of :class:`wtkb.retrieve.dense.HnswDense` (hnsw).

Sizes above ``--embed-limit`` times (default 10) are not embedded (about 1 h on 2 cores at 100x):
each synthetic record reuses the vector of the real record it was made from plus small noise.
Everything else (corpus, BM25, Chroma inserts, publishing) is built and timed for real; the
embedding time is extrapolated from the measured per-text cost of the 1x build, and the table's
"build" column shows the two parts apart.

Poison (``--poison``): 16 clients send good questions for 30 s while one bad request per second
(a lone surrogate in a question or a topic, a blank query) goes to /ask, /search or /briefings; it reports
the good requests that failed (expected: 0) and how the bad ones were answered (expected: 422).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

import yaml

from wtkb.atomic import write_json
from wtkb.dev.load import load as ask_load
from wtkb.dev.procs import api_server, chroma_server, rss_mib, worker_pids
from wtkb.settings import Settings, get_settings

TAG = " [set {k}]"


# ---- synthetic corpora ----------------------------------------------------------------------

def make_project(real: Settings, dest: Path, factor: int, seed: int = 13) -> Settings:
    """A project at ``dest`` whose sources are the real ones plus ``factor - 1`` synthetic copies of each."""
    from wtkb.corpus import build_corpus

    src = dest / "sources"
    src.mkdir(parents=True)
    manifest = yaml.safe_load((real.sources_dir / "manifest.yaml").read_text(encoding="utf-8"))
    for entry in manifest["documents"]:
        shutil.copy2(real.sources_dir / entry["file"], src / entry["file"])
    corpus = build_corpus(real.sources_dir)
    docs = list(manifest["documents"])
    rng = random.Random(seed)
    for k in range(1, factor):
        for entry in docs:
            text = _synthetic_text(corpus, entry["id"], k, rng)
            name = f"synthetic-{entry['id']}-{k:03d}.md"
            (src / name).write_text(text, encoding="utf-8")
            manifest["documents"].append({
                "id": f"{entry['id']}s{k}", "title": f"{entry['title']} (synthetic set {k})",
                "short_title": f"{entry['short_title']} set {k}", "publisher": entry["publisher"],
                "date": str(entry["date"]), "kind": entry["kind"], "licence": entry["licence"], "file": name,
                "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "format": "markdown",
                "description": "Synthetic copy for the growth benchmark."})
    (src / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True),
                                       encoding="utf-8")
    return Settings(root=dest, build_dir=dest / "_build", index_dir=dest / "index")


def _synthetic_text(corpus, doc_id: str, k: int, rng: random.Random) -> str:
    sections: dict[tuple[str, ...], list[str]] = {}
    for r in corpus.records:
        if r.document == doc_id and r.kind != "footnote" and not r.duplicate_of:
            sections.setdefault(tuple(r.section), []).append(" ".join(r.text.replace("\t", " ").split()))
    order = list(sections)
    rng.shuffle(order)
    out = []
    for i, sec in enumerate(order, 1):
        last = sec[-1] if sec else "Introduction"
        out.append(f"# Part {i} {last.lstrip('#').strip()}\n")
        for text in sections[sec]:
            text = text.lstrip("#>*-+|0123456789. ") or "text"
            out.append(text.replace("<sup>", "").replace("</sup>", "") + TAG.format(k=k) + "\n")
    return "\n".join(out)


# ---- building: embedded (real), server (publish), or with reused vectors (large sizes) ---------

def build(settings: Settings, embed: bool, say=print) -> dict:
    """Build ``settings.index`` (embedded layout); returns build seconds and counts."""
    from wtkb.corpus import build_corpus
    from wtkb.index import build_index

    t0 = time.perf_counter()
    corpus = build_corpus(settings.sources_dir)
    ingest = time.perf_counter() - t0
    if embed:
        build_index(settings, corpus)
    else:
        _build_reusing_vectors(settings, corpus)
    meta = json.loads((settings.index / "meta.json").read_text())
    return {"records": len(corpus.records), "sentences": meta["sentences"], "ingest_s": round(ingest, 1),
            "build_s": round(time.perf_counter() - t0, 1)}


def _build_reusing_vectors(settings: Settings, corpus, noise: float = 0.02) -> None:
    """The index layout of :func:`wtkb.index.build_index`, vectors copied from the real records (no model)."""
    import numpy as np

    from wtkb.atomic import atomic_dir
    from wtkb.index import (
        INDEX_FORMAT,
        MODEL_NAME,
        MODEL_PACKAGE,
        PARAGRAPHS,
        SENTENCES,
        chroma_client,
        release_chroma,
        sentence_id,
    )
    from wtkb.index.build import build_keyword_index
    from wtkb.index.meta import IndexMeta
    from wtkb.text import alnum, split_sentences

    real = _real_vectors()
    rng = np.random.default_rng(7)
    fallback = np.stack(list(real.values()))
    with atomic_dir(settings.index) as tmp:
        client = chroma_client(tmp / "chroma")
        try:
            paras = client.get_or_create_collection(PARAGRAPHS, metadata={"hnsw:space": "cosine"})
            sents = client.get_or_create_collection(SENTENCES, metadata={"hnsw:space": "cosine"})
            step = client.get_max_batch_size()
            rows, srows = [], []
            for r in corpus.records:
                key = alnum(r.text.split(" [set ")[0])
                v = real.get(key, fallback[len(rows) % len(fallback)])
                v = v + rng.normal(0, noise, v.shape).astype(np.float32)
                v /= np.linalg.norm(v)
                rows.append((r.id, v, r.text, {"document": r.document}))
                if not r.duplicate_of:
                    for i, (s, e) in enumerate(split_sentences(r.text)):
                        srows.append((sentence_id(r.id, i), v, r.text[s:e], {"record": r.id, "start": s, "end": e}))
            for coll, items in ((paras, rows), (sents, srows)):
                for o in range(0, len(items), step):
                    chunk = items[o:o + step]
                    coll.add(ids=[c[0] for c in chunk], embeddings=[c[1].tolist() for c in chunk],
                             documents=[c[2] for c in chunk], metadatas=[c[3] for c in chunk])
        finally:
            release_chroma(client)
        build_keyword_index(tmp / "bm25", corpus)
        meta = IndexMeta(format=INDEX_FORMAT, corpus_hash=corpus.hash, model=MODEL_NAME, model_package=MODEL_PACKAGE,
                         dim=int(fallback.shape[1]), records=len(corpus.records), sentences=len(srows),
                         built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"), build_seconds=0.0)
        (tmp / "meta.json").write_text(json.dumps(meta.__dict__, indent=2) + "\n", encoding="utf-8")


_REAL: dict = {}


def _real_vectors() -> dict:
    """alnum(text) -> paragraph vector of the real corpus, from the 1x index built first."""
    if not _REAL:
        raise RuntimeError("build the 1x index first (its vectors seed the larger synthetic sizes)")
    return _REAL


def _remember_real(settings: Settings) -> None:
    import numpy as np

    from wtkb.corpus import build_corpus
    from wtkb.index import IndexMeta, load_vectors
    from wtkb.text import alnum

    corpus = build_corpus(settings.sources_dir)
    paras, _ = load_vectors(settings, IndexMeta.read(settings.index), settings.index)
    by_id = {r.id: r for r in corpus.records}
    for rid, v in zip(paras["ids"], paras["embeddings"], strict=True):
        _REAL[alnum(by_id[rid].text)] = np.asarray(v, dtype=np.float32)


def publish_copy(settings: Settings, url: str) -> tuple[Settings, float]:
    """The embedded index of ``settings`` published to the server: a server-mode index beside it."""
    from wtkb.index import PARAGRAPHS, SENTENCES, remote

    dest = settings.index.with_name("index-server")
    shutil.copytree(settings.index, dest)
    t0 = time.perf_counter()
    pub = remote.publish(url, dest / "chroma", (PARAGRAPHS, SENTENCES))
    shutil.rmtree(dest / "chroma")
    meta = json.loads((dest / "meta.json").read_text())
    meta["chroma"] = pub.to_dict()
    (dest / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    remote.switch(pub)
    return settings.model_copy(update={"index_dir": dest, "chroma_url": url}), time.perf_counter() - t0


def du_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20 if path.exists() else 0.0


# ---- measuring ------------------------------------------------------------------------------

BAD_REQUESTS = [  # (method, path, raw JSON body or query): each must get a 422, alone
    ("POST", "/ask", b'{"question": "who chairs \\ud800 the partnership?"}'),
    ("GET", "/search?q=%20%20%20", b""),
    ("POST", "/briefings", b'{"topic": "lead \\udfff practitioner"}'),
    ("POST", "/ask", b'{"question": "   "}'),
]


async def load(url: str, questions: list[str], clients: int, seconds: float, bad_per_s: float = 0) -> dict:
    """``clients`` keep-alive clients asking for ``seconds``; optionally ``bad_per_s`` bad requests a second."""
    host, port = url.split("//")[1].split(":")
    r = await ask_load(host, int(port), questions, clients, seconds, bad=BAD_REQUESTS, bad_per_s=bad_per_s)
    return {"clients": clients, "requests": r.requests, "failed": r.errors, "rps": r.rps,
            "p50_ms": r.ms(50, 1), "p95_ms": r.ms(95, 1),
            "bad_sent": len(r.bad_status), "bad_status": sorted(set(r.bad_status))}


def _questions() -> list[str]:
    """The evaluation questions (answerable and not) of this checkout, whatever WTKB_ROOT points at."""
    from wtkb.dev.evaluate import load_questions, questions_path

    checkout = Settings(root=Path(__file__).resolve().parents[3])
    return [q.q for q in load_questions(questions_path(checkout))]


def serve_numbers(settings: Settings, questions: list[str], seconds: float, workers: tuple[int, ...],
                  say=print) -> dict:
    """RSS per worker, p50/p95 at 1 and 16 clients (1 worker), requests/s at 16 clients per worker count."""
    out: dict = {"rps": {}}
    for w in workers:
        t0 = time.perf_counter()
        with api_server(settings, workers=w, timeout=1800) as srv:
            ready = time.perf_counter() - t0
            pids = worker_pids(srv.process.pid)
            rss = [rss_mib(p) for p in pids]
            asyncio.run(load(srv.url, questions, 4, 2))  # warm every worker
            if w == workers[0]:
                out.update(ready_s=round(ready, 1), rss_mib=round(statistics.mean(rss)),
                           one=asyncio.run(load(srv.url, questions, 1, seconds)))
            sixteen = asyncio.run(load(srv.url, questions, 16, seconds))
            if w == workers[0]:
                out["sixteen"] = sixteen
            out["rps"][w] = sixteen["rps"]
            out.setdefault("failed", 0)
            out["failed"] += sixteen["failed"]
            say(f"    {w} worker(s): ready {ready:.0f} s, RSS {statistics.mean(rss):.0f} MiB/worker, "
                f"16 clients {sixteen['rps']} req/s p50 {sixteen['p50_ms']} ms")
    return out


def scoring_costs(settings: Settings, repeats: int = 30) -> dict:
    """Per query: the dense scoring of this mode (a matrix product over every vector, or the HNSW queries)."""
    import numpy as np

    from wtkb.corpus import build_corpus
    from wtkb.index import IndexMeta, load_vectors
    from wtkb.retrieve.dense import dense_mode, open_dense

    meta = IndexMeta.read(settings.index)
    paras, _ = load_vectors(settings, meta, settings.index)  # query vectors: some of the stored paragraphs
    queries = np.asarray(paras["embeddings"][:repeats], dtype=np.float32)
    del paras
    pos = {r.id: i for i, r in enumerate(build_corpus(settings.sources_dir).records)}
    scorer = open_dense(settings, meta, settings.index, pos, threading.Lock())
    times = []
    for q in queries:
        t0 = time.perf_counter()
        dense, sent, exact = scorer.score_many(q[None])[0]
        if exact is not None:  # what a query completes before fusion: the dense top-N and BM25-like extras
            extra = np.random.default_rng(len(times)).choice(len(dense), min(100, len(dense)), replace=False)
            scorer.complete(_Probe(q, dense, sent, exact, extra))
        times.append(time.perf_counter() - t0)
    return {"dense_mode": dense_mode(settings, meta), "dense_ms": round(statistics.median(times) * 1000, 2),
            "held_mib": round(scorer.held_mib(), 1)}


class _Probe:
    """The fields of a :class:`wtkb.retrieve.Scores` that :meth:`HnswDense.complete` reads."""

    def __init__(self, qvec, dense, sentence, exact, bm25_rows):
        import numpy as np

        self.qvec, self.dense, self.sentence, self.exact = qvec, dense, sentence, exact
        self.bm25_raw = np.zeros(len(dense), np.float32)
        self.bm25_raw[bm25_rows] = 1.0


# ---- the growth table -----------------------------------------------------------------------

MODES = (("embedded", "memory", False), ("server+memory", "memory", True), ("server+hnsw", "hnsw", True))


def measure_size(real: Settings, base: Path, factor: int, chroma_url: str, chroma_data: Path, args,
                 say=print) -> list[dict]:
    """The three modes at one corpus size: one row each (a mode that fails gets a row saying why)."""
    settings = make_project(real, base / f"x{factor}", factor)
    embed = factor <= args.embed_limit
    say(f"{factor}x: building ({'embedding' if embed else 'reusing the 1x vectors, embedding extrapolated'})…")
    b = build(settings, embed)
    if factor == 1:
        _remember_real(settings)
        args.per_text_s = b["build_s"] / (b["records"] + b["sentences"])
    b["embed_est_s"] = 0.0 if embed else round(args.per_text_s * (b["records"] + b["sentences"]), 1)
    server_settings, publish_s = publish_copy(settings, chroma_url)
    say(f"  built in {b['build_s']} s (ingest {b['ingest_s']} s), published in {publish_s:.0f} s")
    rows = []
    for mode, dense, served in MODES:
        s = (server_settings if served else settings).model_copy(update={"dense": dense})
        say(f"  {mode}: serving ({b['records']} records)…")
        row = {"factor": factor, "mode": mode, "records": b["records"], "sentences": b["sentences"],
               "embedded_for_real": embed, "build_s": b["build_s"], "ingest_s": b["ingest_s"],
               "embed_est_s": b["embed_est_s"], "publish_s": round(publish_s, 1) if served else None,
               "disk_mib": round(du_mib(s.index) + (du_mib(chroma_data) if served else 0), 1)}
        try:
            row.update(serve_numbers(s, args.questions, args.seconds, tuple(args.workers), say))
            row.update(scoring_costs(s))
        except Exception as exc:  # noqa: BLE001 - one failing mode must not lose the others' numbers
            row["error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
            say(f"  {mode} failed: {row['error']}")
        rows.append(row)
    return rows


def table(rows: list[dict], workers: list[int]) -> str:
    head = ["size", "mode", "records (+sentences)", "build", "index on disk", "worker start", "RSS/worker",
            "/ask p50/p95, 1 client", "/ask p50/p95, 16 clients", *[f"req/s {w}w" for w in workers],
            "dense scoring/query (vectors held)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        build_s = f"{r['build_s']:.0f} s"
        if r.get("embed_est_s"):
            build_s += f" + ~{r['embed_est_s']:.0f} s embedding (est.)"
        if r["publish_s"] is not None:
            build_s += f" + publish {r['publish_s']:.0f} s"
        cells = [f"{r['factor']}x", r["mode"], f"{r['records']:,} (+{r['sentences']:,})", build_s,
                 f"{r['disk_mib']:.0f} MiB"]
        if "error" in r and "one" not in r:
            lines.append("| " + " | ".join(cells + [f"failed: {r['error'][:80]}"] + [""] * (len(head) - 6)) + " |")
            continue
        cells += [f"{r['ready_s']:.0f} s", f"{r['rss_mib']} MiB",
                  f"{r['one']['p50_ms']:.0f}/{r['one']['p95_ms']:.0f} ms",
                  f"{r['sixteen']['p50_ms']:.0f}/{r['sixteen']['p95_ms']:.0f} ms",
                  *[f"{r['rps'].get(w, r['rps'].get(str(w), float('nan')))}" for w in workers],  # str: from JSON
                  f"{r['dense_ms']} ms ({r['held_mib']} MiB)" if "dense_ms" in r else "—"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run_growth(args, say=print) -> list[dict]:
    real = get_settings()
    args.questions = _questions()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="wtkb-scale-") as tmp:
        base = Path(tmp)
        data = base / "chroma-data"
        with chroma_server(data) as chroma:
            for factor in args.factors:
                rows += measure_size(real, base, factor, chroma.url, data, args, say)
                say(table(rows, args.workers))
                write_json(args.json, {"rows": rows, "workers": args.workers, "seconds": args.seconds})
    return rows


def run_poison(args, say=print) -> dict:
    """16 clients for ``--seconds`` (default 30) with one bad request per second: 0 good requests may fail."""
    from wtkb.corpus import build_corpus
    from wtkb.index import build_index

    real = get_settings()
    with tempfile.TemporaryDirectory(prefix="wtkb-poison-") as tmp:
        s = Settings(root=real.root, build_dir=Path(tmp) / "_build", index_dir=Path(tmp) / "index")
        if args.prebuilt:  # the index of WTKB_INDEX_DIR / WTKB_ROOT as it is
            s = real
        else:
            say("building the index into a temporary folder…")
            build_index(s, build_corpus(s.sources_dir))
        with api_server(s, workers=args.workers[0]) as srv:
            asyncio.run(load(srv.url, _questions(), 4, 2))
            r = asyncio.run(load(srv.url, _questions(), 16, args.seconds, bad_per_s=1))
    say(f"16 clients, {args.seconds:.0f} s, one bad request a second: {r['requests']} good requests, "
        f"{r['failed']} failed; {r['bad_sent']} bad requests answered {r['bad_status']}; "
        f"{r['rps']} req/s, p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms")
    return r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m wtkb.dev.scale", description=__doc__.split("\n\n")[0])
    ap.add_argument("--factors", default="1,10,100", help="corpus sizes as multiples of the real one (1 first)")
    ap.add_argument("--workers", default="1,2,4", help="worker counts for the throughput columns")
    ap.add_argument("--seconds", type=float, default=None, help="each load run (default 10; --poison: 30)")
    ap.add_argument("--embed-limit", type=int, default=10, help="embed for real up to this factor")
    ap.add_argument("--poison", action="store_true", help="the poison-pill load instead of the growth table")
    ap.add_argument("--prebuilt", action="store_true", help="--poison: serve the configured index, do not build one")
    ap.add_argument("--json", type=Path, default=None, help="results file (default _build/bench/scale.json)")
    args = ap.parse_args(argv)
    args.factors = [int(x) for x in args.factors.split(",")]
    args.workers = [int(x) for x in args.workers.split(",")]
    if args.factors[0] != 1:
        ap.error("--factors must start with 1 (the real corpus seeds the synthetic vectors)")
    settings = get_settings()
    if args.poison:
        args.seconds = args.seconds or 30.0
        r = run_poison(args)
        write_json(args.json or settings.build / "bench" / "poison.json", r)
        return 0 if r["failed"] == 0 and r["bad_status"] == [422] else 1
    args.seconds = args.seconds or 10.0
    args.json = args.json or settings.build / "bench" / "scale.json"
    rows = run_growth(args, say=lambda m: print(m, flush=True))
    print(table(rows, args.workers))
    print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
