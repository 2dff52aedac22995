"""Optional LLM answers through llama-index, held to the retrieved paragraphs.

Set ``WTKB_LLM_MODE=openai`` (any OpenAI-compatible server: vLLM, llama.cpp, LM Studio, …) or
``WTKB_LLM_MODE=ollama``, with ``WTKB_LLM_BASE_URL`` and ``WTKB_LLM_MODEL``. The model sees only
the retrieved paragraphs, each labelled with its ID, and must end every sentence with the IDs it
rests on in square brackets. :func:`ground` keeps a sentence only if every ID it cites is one of
those paragraphs; if nothing grounded is left (or the call fails) the caller falls back to the
extractive answer. No model ships with wtkb and none can be downloaded at run time: the mode is
off unless an operator points it at a server they run.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from wtkb.errors import WtkbError
from wtkb.retrieve import Hit
from wtkb.settings import Settings
from wtkb.text import split_sentences

log = logging.getLogger("wtkb.llm")

SYSTEM = (
    "You answer questions about England's 'Working Together to Safeguard Children 2023' guidance and its "
    "consultation, using ONLY the numbered paragraphs you are given. Write at most 5 short sentences. End every "
    "sentence with the ID(s) of the paragraph(s) it rests on in square brackets, exactly as given, e.g. "
    "[cr2023-early-help-p2]. Do not use any other knowledge. Each paragraph says whose words it is (a government "
    "decision, respondents' views, a respondent's quote, a local partnership's briefing, a commentary on the draft "
    "guidance): say so in your sentence, never present respondents' views or a local briefing as national policy. "
    "A paragraph marked 'a myth it lists, not advice' states a claim its source rejects: never give it as advice. "
    "If the paragraphs do not answer the question, reply with exactly: NOT IN SOURCES"
)

_CITE = re.compile(r"\[([^\[\]]+)\]")


def make_llm(settings: Settings) -> Any:
    """The llama-index LLM for ``settings.llm_mode`` ('openai' or 'ollama')."""
    mode = settings.llm_mode.lower()
    if mode in ("openai", "openai-like", "openai_like"):
        if not settings.llm_base_url or not settings.llm_model:
            raise WtkbError("LLM mode 'openai' needs a server URL and a model name",
                            "set WTKB_LLM_BASE_URL (e.g. http://127.0.0.1:8080/v1) and WTKB_LLM_MODEL, "
                            "or WTKB_LLM_MODE=off")
        from llama_index.llms.openai_like import OpenAILike

        return OpenAILike(model=settings.llm_model, api_base=settings.llm_base_url, api_key=settings.llm_api_key,
                          is_chat_model=True, is_function_calling_model=False, context_window=8192,
                          max_tokens=400, temperature=0.0, timeout=settings.llm_timeout, max_retries=0)
    if mode == "ollama":
        if not settings.llm_model:
            raise WtkbError("LLM mode 'ollama' needs a model name", "set WTKB_LLM_MODEL, or WTKB_LLM_MODE=off")
        from llama_index.llms.ollama import Ollama

        return Ollama(model=settings.llm_model, base_url=settings.llm_base_url or "http://localhost:11434",
                      request_timeout=settings.llm_timeout, temperature=0.0)
    raise WtkbError(f"unknown LLM mode '{settings.llm_mode}'", "set WTKB_LLM_MODE to off, openai or ollama")


def prompt(question: str, hits: list[Hit], voices: dict[str, str] | None = None) -> str:
    """The user message: each paragraph with its ID, its place and whose words it is (``voices``: ID -> label)."""
    voices = voices or {}
    context = "\n\n".join(f"[{h.record.id}] ({h.record.label}; {voices.get(h.record.id) or 'source text'})\n"
                           f"{h.record.text}" for h in hits)
    return f"Paragraphs:\n\n{context}\n\nQuestion: {question}\n\nAnswer (every sentence ends with [ID]):"


def ground(text: str, hits: list[Hit]) -> list[tuple[str, list[Hit]]]:
    """Sentences of ``text`` that cite only paragraphs in ``hits``, with those paragraphs.

    A sentence with no citation, or citing any ID that is not in the context, is dropped.
    """
    by_id = {h.record.id: h for h in hits}
    out: list[tuple[str, list[Hit]]] = []
    text = text.strip()
    if not text or "NOT IN SOURCES" in text:
        return out
    text = _move_citations_inside(text)
    for a, b in split_sentences(text):
        sentence = text[a:b]
        ids = [i.strip() for m in _CITE.finditer(sentence) for i in re.split(r"[,;]\s*|\s+", m.group(1)) if i.strip()]
        body = _CITE.sub("", sentence).strip()
        body = re.sub(r"\s+([.,;:!?])", r"\1", body)
        if not ids or not body or any(i not in by_id for i in ids):
            continue
        cited = [by_id[i] for i in dict.fromkeys(ids)]
        out.append((body, cited))
    return out[:5]


def _move_citations_inside(text: str) -> str:
    """'… social worker. [id]' -> '… social worker [id].' so sentence splitting keeps a sentence's IDs."""
    return re.sub(r"([.!?])\s*((?:\[[^\[\]]+\]\s*)+)", lambda m: " " + m.group(2).strip() + m.group(1) + " ", text)


def grounded_answer(llm: Any, question: str, hits: list[Hit], settings: Settings,
                    voices: dict[str, str] | None = None) -> list[tuple[str, list[Hit]]]:
    """Ask the LLM; return only grounded sentences (empty on failure, so the caller falls back)."""
    from llama_index.core.llms import ChatMessage

    try:
        resp = llm.chat([ChatMessage(role="system", content=SYSTEM),
                         ChatMessage(role="user", content=prompt(question, hits, voices))])
        text = resp.message.content or ""
    except Exception as exc:  # noqa: BLE001 - any failure of the model server means: use extractive
        log.warning("LLM call failed (%s); using the extractive answer", type(exc).__name__)
        return []
    kept = ground(text, hits)
    if not kept:
        log.info("LLM answer had no grounded sentence; using the extractive answer")
    return kept
