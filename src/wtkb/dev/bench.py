"""`make bench` / ``python -m wtkb.dev.bench``: how fast the build and the API are, on this machine.

Measured in one run (numbers, not pass/fail):

* index build time (into a temporary folder; ``index/`` is not touched), model load included;
* server ready time: from starting ``uvicorn wtkb.api:create_app`` in a subprocess to the first
  ``GET /health`` that answers 200 (index loaded, first forward pass done);
* one bare query embedding (``SentenceTransformer.encode`` of the raw question, in this process),
  median over the question set — no cache anywhere;
* ``POST /ask`` latency p50/p95 with one client, and requests/s, p50 and p95 with 8 and 16
  concurrent keep-alive clients on loopback for a bounded time, counting errors;
* the ratio of the single-client ``/ask`` p50 to the bare embedding;
* briefing packs: the time to build each built-in topic's pack (content + .pptx, in this process,
  best of 3), one free-text topic (retrieval), and ``POST /briefings`` for a .pptx over HTTP.

The questions are those of ``tests/eval/questions.yaml`` (answerable and not), cycled.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wtkb.atomic import write_json
from wtkb.dev.load import Client, load, percentile
from wtkb.dev.procs import free_port, served
from wtkb.settings import Settings, get_settings


async def _load(host: str, port: int, questions: list[str], clients: int, seconds: float) -> dict:
    r = await load(host, port, questions, clients, seconds)
    return {"clients": clients, "requests": r.requests, "errors": r.errors, "seconds": round(r.wall, 2),
            "rps": r.rps, "p50_ms": r.ms(50, 2), "p95_ms": r.ms(95, 2)}


async def _ask_with_packs(host: str, port: int, questions: list[str], topics: list[str], seconds: float,
                          builders: int = 8) -> dict:
    """``/ask`` p50 with one client alone, then while ``builders`` clients build .pptx packs non-stop."""
    alone = await _load(host, port, questions, 1, seconds)
    built = 0
    stop = time.perf_counter() + seconds + 2

    async def builder(i: int) -> None:
        nonlocal built
        c = Client(host, port)
        try:
            while time.perf_counter() < stop:
                status, _ = await c.post("/briefings", {"topic": topics[(i + built) % len(topics)], "format": "pptx"})
                built += status == 200
        finally:
            await c.close()

    tasks = [asyncio.create_task(builder(i)) for i in range(builders)]
    await asyncio.sleep(1.0)  # let every builder get going
    loaded = await _load(host, port, questions, 1, seconds)
    await asyncio.gather(*tasks)
    return {"builders": builders, "alone_p50_ms": alone["p50_ms"], "with_packs_p50_ms": loaded["p50_ms"],
            "with_packs_p95_ms": loaded["p95_ms"], "ratio": round(loaded["p50_ms"] / alone["p50_ms"], 2),
            "packs_built": built, "ask_errors": alone["errors"] + loaded["errors"]}


def _questions(settings: Settings) -> list[str]:
    from wtkb.dev.evaluate import load_questions, questions_path

    try:
        return [q.q for q in load_questions(questions_path(settings))]
    except Exception:  # noqa: BLE001 - fall back to a few fixed questions
        return ["can a DV worker be lead practitioner?", "who are the safeguarding partners?",
                "what is a family group conference?", "how do I bake bread?"]


def run(settings: Settings, workers: int = 1, seconds: float = 8.0, single: int = 300,
        threads: int | None = None, say=print) -> dict:
    from wtkb.corpus import build_corpus
    from wtkb.index import build_index, load_model

    questions = _questions(settings)
    result: dict = {"workers": workers, "cpus": os.cpu_count(), "questions": len(questions)}
    with tempfile.TemporaryDirectory(prefix="wtkb-bench-") as tmp:
        bench_settings = Settings(root=settings.root, build_dir=Path(tmp) / "_build", index_dir=Path(tmp) / "index")
        say("building the index into a temporary folder…")
        t0 = time.perf_counter()
        build_index(bench_settings, build_corpus(settings.sources_dir))
        result["build_s"] = round(time.perf_counter() - t0, 2)

        model = load_model()
        for q in questions[:20]:
            model.encode(q, normalize_embeddings=True, show_progress_bar=False)
        emb = []
        for q in questions * 2:
            t = time.perf_counter()
            model.encode(q, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
            emb.append(time.perf_counter() - t)
        result["embed_p50_ms"] = round(statistics.median(emb) * 1000, 2)

        env = {**os.environ, "WTKB_ROOT": str(settings.root), "WTKB_INDEX_DIR": str(bench_settings.index),
               "WTKB_BUILD_DIR": str(bench_settings.build), "WTKB_LOG_QUESTIONS": "false"}
        if threads:
            env["WTKB_TORCH_THREADS"] = str(threads)
        say(f"starting the server ({workers} worker{'s' if workers > 1 else ''})…")
        t0 = time.perf_counter()
        with _server(workers, env, Path(tmp) / "server.log") as port:
            result["ready_s"] = round(time.perf_counter() - t0, 2)
            _measure_server(result, bench_settings, port, questions, seconds, single, say)
    return result


@contextmanager
def _server(workers: int, env: dict[str, str], log: Path) -> Iterator[int]:
    """``uvicorn wtkb.api:create_app`` on a free port; yields the port once ``GET /health`` answers 200."""
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", "wtkb.api:create_app", "--factory", "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    with served(cmd, port, env, log, timeout=120, poll=0.02, stop_timeout=15):  # polled often: ready_s is a figure
        yield port


def _measure_server(result: dict, settings: Settings, port: int, questions: list[str], seconds: float,
                    single: int, say) -> None:
    """``/ask`` alone, under load and beside pack builds, and the briefing packs, into ``result``."""
    from wtkb.briefing import list_topics

    say("measuring /ask…")
    single_res = asyncio.run(_single(port, questions, single))
    result["ask_single"] = single_res
    result["ratio_p50_to_embedding"] = round(single_res["p50_ms"] / result["embed_p50_ms"], 2)
    result["concurrent"] = [asyncio.run(_load("127.0.0.1", port, questions, n, seconds)) for n in (8, 16)]
    say("measuring /ask while 8 clients build briefing packs…")
    slugs = [t.slug for t in list_topics(settings)]
    result["ask_with_packs"] = asyncio.run(_ask_with_packs("127.0.0.1", port, questions, slugs, seconds))
    say("measuring briefing packs…")
    result["briefings"] = _briefings(settings, port)


def _briefings(settings: Settings, port: int, repeat: int = 3) -> dict:
    """Seconds to build a pack: each built-in topic (.pptx, best of ``repeat``), a free-text one, and over HTTP."""
    from wtkb.briefing import build_pack, list_topics
    from wtkb.briefing.render import render
    from wtkb.corpus import build_corpus
    from wtkb.qa import load_qa

    corpus = build_corpus(settings.sources_dir)

    def best(fn) -> float:
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return round(min(times), 3)

    topics = {t.slug: best(lambda t=t: render(build_pack(settings, t.slug, corpus=corpus), "pptx"))
              for t in list_topics(settings)}
    qa = load_qa(settings)
    free = best(lambda: render(build_pack(settings, "family group conferences", qa=qa), "pptx"))
    http = []
    body = json.dumps({"topic": "01-lead-practitioner", "format": "pptx"}).encode()
    for _ in range(5):
        req = urllib.request.Request(f"http://127.0.0.1:{port}/briefings", data=body,
                                     headers={"Content-Type": "application/json"})
        t = time.perf_counter()
        with urllib.request.urlopen(req, timeout=60) as r:
            r.read()
        http.append(time.perf_counter() - t)
    return {"topics_s": topics, "free_text_s": free, "http_pptx_p50_s": round(statistics.median(http), 3)}


async def _single(port: int, questions: list[str], n: int) -> dict:
    c = Client("127.0.0.1", port)
    for q in questions[:10]:  # warm up
        await c.ask(q)
    lat, errors = [], 0
    for i in range(n):
        status, dt = await c.ask(questions[i % len(questions)])
        errors += status != 200
        lat.append(dt)
    await c.close()
    return {"requests": n, "errors": errors, "p50_ms": round(percentile(lat, 50) * 1000, 2),
            "p95_ms": round(percentile(lat, 95) * 1000, 2)}


def table(r: dict):
    from rich.table import Table

    t = Table(title=f"wtkb bench ({r['cpus']} CPUs, {r['workers']} uvicorn worker(s), {r['questions']} questions)")
    t.add_column("measure")
    t.add_column("value", justify="right")
    t.add_column("target", justify="right")
    s = r["ask_single"]
    t.add_row("index build (incl. model load)", f"{r['build_s']:.1f} s", "")
    t.add_row("server ready", f"{r['ready_s']:.2f} s", "≤ 8 s")
    t.add_row("bare query embedding p50", f"{r['embed_p50_ms']:.2f} ms", "")
    t.add_row("/ask p50, 1 client", f"{s['p50_ms']:.2f} ms", "")
    t.add_row("/ask p95, 1 client", f"{s['p95_ms']:.2f} ms", "")
    t.add_row("/ask p50 ÷ bare embedding", f"{r['ratio_p50_to_embedding']:.2f}×", "≤ 2×")
    for c in r["concurrent"]:
        t.add_row(f"{c['clients']} clients: req/s", f"{c['rps']:.1f}", "≥ 100 at 16" if c["clients"] == 16 else "")
        t.add_row(f"{c['clients']} clients: p50 / p95", f"{c['p50_ms']:.1f} / {c['p95_ms']:.1f} ms", "")
        t.add_row(f"{c['clients']} clients: errors", f"{c['errors']} of {c['requests']}", "0")
    t.add_row("errors, 1 client", f"{s['errors']} of {s['requests']}", "0")
    w = r.get("ask_with_packs")
    if w:
        t.add_row(f"/ask p50, 1 client, while {w['builders']} clients build packs",
                  f"{w['with_packs_p50_ms']:.1f} ms ({w['ratio']:.2f}× alone, {w['packs_built']} packs)", "≤ 2×")
    b = r.get("briefings")
    if b:
        times = b["topics_s"]
        slowest = max(times, key=times.get)
        t.add_row(f"briefing pack (.pptx), {len(times)} built-in topics: median",
                  f"{statistics.median(times.values()):.2f} s", "")
        t.add_row(f"briefing pack, slowest ({slowest})", f"{times[slowest]:.2f} s", "")
        t.add_row("briefing pack, free-text topic (retrieval)", f"{b['free_text_s']:.2f} s", "")
        t.add_row("POST /briefings (.pptx) p50", f"{b['http_pptx_p50_s']:.2f} s", "")
    return t


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console

    ap = argparse.ArgumentParser(prog="python -m wtkb.dev.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    ap.add_argument("--threads", type=int, default=None, help="torch threads per worker (WTKB_TORCH_THREADS)")
    ap.add_argument("--seconds", type=float, default=8.0, help="duration of each concurrent run")
    ap.add_argument("--json", type=Path, help="write the results here (default _build/bench/results.json)")
    args = ap.parse_args(argv)
    out, err = Console(width=max(100, Console().width)), Console(stderr=True)
    settings = get_settings()
    r = run(settings, workers=args.workers, seconds=args.seconds, threads=args.threads,
            say=lambda m: err.print(f"[dim]{m}[/]"))
    out.print(table(r))
    path = write_json(args.json or settings.build / "bench" / "results.json", r)
    out.print(f"[dim]results written to {path}[/]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
