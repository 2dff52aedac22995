"""Which sentences of the retrieved paragraphs answer the question, and in what order.

Every sentence is copied exactly from its paragraph. The choice follows what the question asks
(a few explainable rules, each a knob of :class:`AnswerConfig`):

- the retriever's top ``anchor`` (2) paragraphs always give their best sentence (not one that is itself a
  question: "how might the changes look in practice?" answers nothing): the ranking is
  better evidence than one sentence's cosine, which often prefers a sentence that restates the
  question over the one that answers it (measured on dev: gold text in the answer 0.73 -> 0.80);
- a sentence scores by its cosine to the question, its word overlap, its paragraph's rank;
- a sentence that restates the question (nearly all its words are the question's) or asks a
  question itself scores less; the sentence after it can carry the answer, so a sentence may
  ride on the relevance of the one before it (``w_continue``);
- a question of a *type* (how many / what %, why, who, how long, what changed, is there a form) prefers
  sentences with what that type needs: a figure (for the group asked about; a percentage when it asks
  "what %"; a day of the month is not a figure), a reason, a named body, a time, a change, a form or link;
- for a yes/no or "do we have to" question the government's decision comes before respondents'
  views and quotes, with the sentences that carry its conditions ("where…", "if…", "unless…");
- more than one sentence may come from one paragraph when it carries the answer;
- a list item keeps its lead-in ("Following your feedback, we will:" before "…name the…");
- a myth the source lists in order to reject it ("Consent is needed to share personal information") is
  labelled as one and quoted only for a question about myths, or last, once, for a yes/no question that it
  matches as well as the best answer sentence (whether a claim holds: the source's answer is that it is
  a myth).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wtkb.corpus.voice import asks_about_myths
from wtkb.qa.counting import counted_nouns, counts
from wtkb.retrieve import YES_NO_Q, Hit, Retriever, Scores, is_yes_no
from wtkb.text import tokenize


@dataclass(frozen=True)
class AnswerConfig:
    """Abstention and sentence choice (chosen on the dev split; see ``python -m wtkb.dev.evaluate``)."""

    # support = w_dense * best paragraph cosine + w_sentence * best sentence cosine
    #           + w_vocab * (share of the question's words that the corpus or the glossary knows - 1)
    # answered when support >= threshold; chosen for the best balanced accuracy on dev
    w_dense: float = 0.5
    w_sentence: float = 1.0
    w_vocab: float = 0.5
    threshold: float = 0.806
    # below the threshold but at least this, and a top paragraph shares the question's words: the answer gives
    # the closest sentences under a hedge ("may not answer this exactly"), not as an answer (chosen on dev)
    hedge_threshold: float = 0.70
    paragraphs: int = 4  # sentences are drawn from this many top paragraphs
    max_sentences: int = 3  # 5 for yes/no questions, which need their conditions
    margin: float = 0.15  # keep sentences scoring within this of the best one
    condition_margin: float = 0.3  # yes/no: conditional sentences within this of the best
    # sentence score = cosine + w_overlap * word overlap + w_rank * paragraph score / best paragraph score
    #                  - w_position * paragraph rank + w_response * (under a "Government response" heading)
    #                  + w_same_verb * (yes/no question and the sentence has its verb: "can", "must" …)
    w_overlap: float = 0.3
    w_expansion: float = 0.25  # an expansion word counts this much of a question word in the overlap
    w_rank: float = 0.3
    w_position: float = 0.03
    w_response: float = 0.05
    w_same_verb: float = 0.05
    w_question: float = 0.5  # a sentence that is itself a question is used only when nothing else fits
    w_quote: float = 0.25  # answer from the sources' own statements before respondents' quoted views
    # -- what the question asks (compose.py) --
    w_feature: float = 0.12  # the sentence has what the question type needs (figure, reason, name, time, change)
    w_group: float = 0.08  # number question: the sentence also names the group asked about
    w_restate: float = 0.15  # the sentence only restates the question
    w_continue: float = 0.08  # a sentence may score as its predecessor minus this (the answer continues)
    w_decision: float = 0.08  # yes/no / "do we have to": a government decision ...
    w_views: float = 0.08  # ... and less for respondents' views, unless the question asks for views
    max_per_paragraph: int = 2
    list_items: int = 5  # a sentence ending "…:" brings the list items it introduces
    w_attribution: float = 0.3  # "what did NASS say…": the quote attributed to whom the question names
    deep: int = 8  # a typed question also draws on paragraphs down to this rank that have what it needs
    topic_hits: int = 3  # the consultation topics of this many top paragraphs lend their decision / figures
    topic_share: float = 0.95  # ... at this share of the paragraph's score
    anchor: int = 2  # the best sentence of each of this many top paragraphs is always taken first


DEFAULT_ANSWER_CONFIG = AnswerConfig()
QUESTION_END = re.compile(r"\?[\W_]*$")
CONDITION = re.compile(r"\b(where|if|unless|only|provided|except|as long as|whether|must|should not|cannot)\b", re.I)

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
SEASONS = "spring|summer|autumn|winter"
# what a question of each type asks for, and the sentences that have it
QUESTION_TYPES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "number": (re.compile(r"\b(?:how many|how much|what percent(?:age)?|percentage|proportion|number of|what share|"
                          r"what (?:was|is) the split)\b|%", re.I),
               # a figure: a percentage or a count, not a section number, a year, a day of the month or a
               # telephone number ("call 999", "0345 155 1071")
               re.compile(r"\d+(?:\.\d+)? ?%|\bper ?cent\b|(?<!section )(?<!\bs)(?<!\d )\b(?!(?:19|20)\d\d\b)"
                          r"(?!999\b)(?!0\d{3})\d{2,}\b"
                          rf"(?!(?:st|nd|rd|th)?\s+(?:{MONTHS})\b)|"
                          r"\b(?:half|third|quarter|majority|minority)\b", re.I)),
    "why": (re.compile(r"\bwhy\b|\breasons?\b|\bhow come\b|\brationale\b", re.I),
            re.compile(r"\b(?:because|so that|in order to|to ensure|due to|as a result|reasons?|therefore|"
                       r"given that|since|based on|aims? to|aimed to|intended to|to allow|to help|to enable|to avoid|"
                       r"until|"
                       r"while|delay(?:ed)?|more time|depends?|requires?|issues|concerns?|however|which means|"
                       r"meaning)\b", re.I)),
    "who": (re.compile(r"^\W*who\b|\bwho (?:decides|chairs|developed|leads|is|are|will|should|can)\b|"
                       r"\bwhich (?:agency|agencies|organisation|body|bodies|person|partner)", re.I),
            re.compile(r"\b(?:by|with) (?:the )?[A-Z][a-z]|\b(?:led|developed|chaired|decided|written|produced|"
                       r"commissioned) by\b|\bwill be for\b|\bresponsib|\b(?:decide|decides|determine|choose)\b|"
                       r"\bbest placed\b|"
                       r"[A-Z][a-z]+ (?:and|&) [A-Z]")),
    "time": (re.compile(r"\bhow long\b|\btimescales?\b|\btime ?frames?\b|\bdeadlines?\b|\bby when\b|\bhow soon\b|"
                        r"\bhow quickly\b|\bwithin how\b|\bwhen (?:will|does|do|is|are|did|was)\b", re.I),
             re.compile(r"\b\d+\s*(?:working\s+)?(?:days?|weeks?|months?|hours?|years?)\b|\bwithin\b|"
                        rf"\b(?:by|in|from|until|since) (?:\d|(?:early |late |the end of )?(?:{MONTHS}|{SEASONS}))"
                        r"|\b20\d\d\b", re.I)),
    "change": (re.compile(r"\bwhat(?:'s|’s| has| have| is| are)? (?:changed?|changes|new|different)\b|\bchanged?\b|"
                          r"\bno longer\b|\bany more\b|\banymore\b", re.I),
               re.compile(r"\b(?:will|now|new|changed?|removed?|introduc\w*|updated?|replac\w*|amend\w*|strengthen\w*|"
                          r"clarif\w*|no longer|instead|added)\b", re.I)),
    # "is there a form?", "the SharePoint link for the slides": a sentence that names a form, template or link
    # (a noun only: "how do we link with probation" asks no link, "forms of abuse" no form)
    "form": (re.compile(r"\b(?:a|an|the|any|which|what|this|that)\s+(?:\w+\s+){0,2}?(?:forms?|templates?|links?)\b"
                        r"(?!\s+(?:of|between|with)\b)|\btemplates?\b|\bsharepoint\b|\bdownload\b", re.I),
             re.compile(r"\b(?:form|template)\b(?!\s+of)|SharePoint|\bdownload|https?://|www\.", re.I)),
}
FEATURE_FIRST: tuple[str, ...] = ("form",)
# "what percentage / what % / what proportion" is answered by a percentage when the paragraphs have one
PERCENT_Q = re.compile(r"\bper ?cent(?:age)?s?\b|%|\bproportion\b|\bwhat share\b", re.I)
PERCENT = re.compile(r"\d+(?:\.\d+)? ?%|\bper ?cent\b", re.I)
# "what % supported / agreed / opposed…" asks for the figure of a stance, not of who responded
STANCE = re.compile(r"\b(?:support\w*|agree\w*|disagree\w*|back(?:ed|ing)?|favou?r\w*|oppos\w*|against|"
                    r"welcom\w*|yes|no)\b", re.I)
# the respondent groups the consultation reports figures for: "what % of health respondents…" wants that group's
RESPONDENT_GROUPS = frozenset(tokenize("health education police parents carers schools vcse voluntary individuals "
                                       "organisations authorities"))
# "what are the four principles / the 3 levels": the sentence that announces that many says the point
COUNT_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
LIST_COUNT_Q = re.compile(rf"\b(?:the|are|were|what)\s+({'|'.join(COUNT_WORDS)}|[2-9]|10)\s+(?:[\w'’-]+\s+){{0,2}}?"
                          r"[a-z][\w'’-]*s\b", re.I)
# "what are the…", "which…", "key points", "what does Devon's early help team offer": the answer is a list
LIST_Q = re.compile(r"^\W*(?:what|which)\s+(?:are|were)\b|\b(?:list|examples?|key points|main points)\b|"
                    r"\bwhat (?:does|do|did|will) [\w'’ -]+ (?:offer|include|cover|recommend)\b", re.I)


def asks_list(question: str) -> bool:
    """The question asks for the items of a list (a short list found in the sources is then given whole)."""
    return LIST_Q.search(question) is not None


REQUIREMENT_Q = re.compile(r"\b(?:have to|has to|must|required?|requirements?|mandatory|statutory|obliged|duty|"
                           r"need to|needs to|needed|allowed|legal(?:ly)?|"
                           # "who decides / who is responsible / how should X decide": asks what is required
                           r"who (?:decides|chairs|leads|holds|is responsible|are responsible|should|must|has to|will|"
                           r"can)|"
                           r"decide[sd]?)\b", re.I)
# "why did the government / DfE keep…", "what did they change after the consultation": the government's own
# reasons and decisions ("they" asking what was said is a views question: VIEWS_Q)
GOVERNMENT_Q = re.compile(r"\b(?:why|what|how) (?:did|does|has|have|is|was|will|would) (?:the )?(?:government|dfe|"
                          r"department|ministers?|they)\b(?!\s+(?:say|said|think|thought|feel|felt|want|wanted)\b)",
                          re.I)
VIEWS_Q = re.compile(r"\b(?:respondents?|responses?|views?|feedback|agreed?|support(?:ed)?|percentage|%|said|"
                     r"think|thought|felt|opinions?|concerns?|quotes?|consultation (?:find|found|say|said))\b", re.I)
# "what did NASS say / the Panel's take / Ofsted's view": a question about what someone said
SAYS_Q = re.compile(r"\b(?:say|said|says|think|thought|views?|take|comments?|position|argue[ds]?|wanted|felt)\b", re.I)
GENERIC = frozenset(tokenize("respondent response percentage per cent agree support said think change question "
                             "many much proportion number share majority practitioner worker local authority "
                             "partnership children safeguarding"))


@dataclass
class Sentence:
    """A sentence of a retrieved paragraph: ``hit.record.text[start:end]``, with its score."""

    hit: Hit
    start: int
    end: int
    score: float
    index: int = 0  # position among the paragraph's sentences

    @property
    def text(self) -> str:
        return self.hit.record.text[self.start:self.end]

    @property
    def key(self) -> str:
        return re.sub(r"\W+", " ", self.text.lower()).strip()


def list_count(question: str) -> re.Pattern[str] | None:
    """For "what are the four / 4 X" the count as a sentence would word it ("four" or "4"), else None."""
    m = LIST_COUNT_Q.search(question)
    if not m or is_yes_no(question):  # "are ICBs one of the 3 partners?" asks yes or no, not for the list
        return None
    n = m.group(1).lower()
    word = n if n in COUNT_WORDS else COUNT_WORDS[int(n) - 2]
    return re.compile(rf"\b(?:{word}|{COUNT_WORDS.index(word) + 2})\b", re.I)


def question_types(question: str) -> list[str]:
    return [k for k, (q, _) in QUESTION_TYPES.items() if q.search(question)]


def asks_figure(question: str) -> bool:
    """The question asks for a figure first: "how many…", "what % …", not "who decides how much…"."""
    found = {k: m.start() for k, (q, _) in QUESTION_TYPES.items() if (m := q.search(question))}
    return "number" in found and found["number"] <= min(found.get("who", 10**6), found.get("why", 10**6))


def figure_preferences(question: str) -> list:
    """For a "how many / what %" question, the tests an answer sentence should pass, best first: it counts what
    the question counts with a figure ("1269 formal responses"), or in words ("ten different services"); it
    has the kind of figure asked for (a percentage for "what %") for the respondent group the question names
    ("33% (education)" for "education respondents - what %…"); with a stance when the question asks for one
    ("36% said yes" for "what % supported"); it has that figure; it has any figure."""
    any_figure = QUESTION_TYPES["number"][1]
    figures = PERCENT if PERCENT_Q.search(question) else any_figure
    counted = counted_nouns(question)  # "how many services…"
    stance = STANCE.search(question) is not None
    groups = set(tokenize(question)) & RESPONDENT_GROUPS  # "education respondents - what % said no…"
    prefs = [lambda t: counts(t, counted) and bool(figures.search(t)), lambda t: counts(t, counted)] if counted else []
    if groups:
        prefs.append(lambda t: bool(figures.search(t) and groups & set(tokenize(t))))
    if stance:
        prefs.append(lambda t: bool(figures.search(t) and STANCE.search(t)))
    return [*prefs, lambda t: bool(figures.search(t)), lambda t: bool(any_figure.search(t))]


MODAL_Q = frozenset({"can", "could", "must", "should", "may", "shall", "do", "does", "will", "would"})


def asks_requirement(question: str) -> bool:
    """A "can / must / do we have to / is it statutory" question, or one asking what or why the government
    decided ("why did DfE keep…", "what did they change…"), not one asking what respondents said: the
    government's decision answers it."""
    modal = is_yes_no(question) and _aux(question) in MODAL_Q
    asks = modal or bool(REQUIREMENT_Q.search(question)) or bool(GOVERNMENT_Q.search(question))
    return asks and not VIEWS_Q.search(question)


class Composer:
    """Chooses answer sentences from a :class:`Retriever`'s hits (public evidence API only)."""

    def __init__(self, retriever: Retriever, config: AnswerConfig = DEFAULT_ANSWER_CONFIG):
        self.retriever = retriever
        self.config = config

    def candidates(self, s: Scores, hits: list[Hit], c: AnswerConfig) -> list[Sentence]:
        """Every sentence of the top paragraphs, scored for this question."""
        q_tokens = set(tokenize(s.query))
        x_tokens = set(tokenize(" ".join(s.expansion.phrases))) - q_tokens
        group = q_tokens - GENERIC
        types = question_types(s.query)
        needs = [QUESTION_TYPES[t][1] for t in types]
        yes_no, requirement = is_yes_no(s.query), asks_requirement(s.query)
        says = bool(SAYS_Q.search(s.query))
        aux = re.compile(rf"\b{re.escape(_aux(s.query))}\b", re.I) if yes_no else None
        top_score = max((h.score for h in hits), default=1.0)
        out: list[Sentence] = []
        for h in hits:
            rel = h.score / top_score if top_score > 0 else 0.0
            prior = c.w_rank * rel - c.w_position * (h.rank - 1) + c.w_response * self.retriever.in_response(h.record)
            voice = h.record.voice
            named = bool(says and h.record.attribution and (set(tokenize(h.record.attribution)) - GENERIC) & q_tokens)
            if named:  # the question names who is quoted
                prior += c.w_attribution
            elif h.record.kind == "quote" or voice == "quote":  # a respondent's view is not what the source says
                prior -= c.w_quote
            if requirement:
                prior += c.w_decision if voice == "decision" else -c.w_views if voice in ("respondents", "quote") else 0
            base: list[float] = []
            raw: list[float] = []  # before the penalties for asking or restating: what the next sentence answers
            spans = self.retriever.scored_sentences(s, h.record)
            for a, b, sim in spans:
                text = h.record.text[a:b]
                toks = set(tokenize(text))
                lex = (len(toks & q_tokens) + c.w_expansion * len(toks & x_tokens)) / max(1, len(q_tokens))
                score = sim + c.w_overlap * lex + prior
                if aux is not None and aux.search(text):  # "can a … be …?" -> "… can be …"
                    score += c.w_same_verb
                raw.append(score)
                if QUESTION_END.search(text):  # "We also asked, '…?'" restates a question, it answers nothing
                    score -= c.w_question
                if len(toks & q_tokens) >= 3 and len(toks - q_tokens - x_tokens) <= 2:  # adds nothing to the question
                    score -= c.w_restate
                base.append(score)
            for j, (a, b, _) in enumerate(spans):
                text = h.record.text[a:b]
                score = base[j]
                if j and not QUESTION_END.search(text):  # the answer continues after its best match (or after
                    score = max(score, raw[j - 1] - c.w_continue)  # the consultation question it answers)
                if needs and any(n.search(text) for n in needs):
                    score += c.w_feature
                    if "number" in types and group & set(tokenize(text)):
                        score += c.w_group
                out.append(Sentence(h, a, b, score, j))
        return out

    def pool(self, s: Scores, hits: list[Hit], config: AnswerConfig | None = None) -> list[Hit]:
        """The paragraphs to draw sentences from: the top ones; for a typed question also lower-ranked
        ones with what it needs; for a yes/no or "do we have to" question the government's decision on
        the same consultation topic; for a number question that topic's paragraphs with figures."""
        c = config or self.config
        pool = list(hits[:c.paragraphs])
        have = {h.record.id for h in pool}

        def add(h: Hit) -> None:
            if h.record.id not in have and not h.record.duplicate_of:
                have.add(h.record.id)
                pool.append(h)

        types = question_types(s.query)
        needs = [QUESTION_TYPES[t][1] for t in types]
        q_tokens = set(tokenize(s.query))
        for h in self.retriever.rank(s, c.deep):
            if needs and any(n.search(h.record.text) for n in needs):
                add(h)
            elif SAYS_Q.search(s.query) and h.record.attribution and \
                    (set(tokenize(h.record.attribution)) - GENERIC) & q_tokens:
                add(h)  # "what did NASS say…": the quote of whom the question names
        requirement, number = asks_requirement(s.query), "number" in types
        if requirement or number:
            figures = QUESTION_TYPES["number"][1]
            for h in hits[:c.topic_hits]:
                for r in self.retriever.topic_records(h.record):
                    if (requirement and r.voice == "decision") or (number and figures.search(r.text)
                                                                   and r.voice == "respondents"):
                        add(Hit(r, h.score * c.topic_share, h.dense, h.bm25, h.rank + 1))
        return pool

    def pick(self, s: Scores, hits: list[Hit], config: AnswerConfig | None = None) -> list[Sentence]:
        """1–5 sentences, the decision first for a yes/no question, else in paragraph rank and reading order."""
        c = config or self.config
        cands = self.candidates(s, hits, c)
        myths = [] if asks_about_myths(s.query) else [x for x in cands if x.hit.record.myth]
        cands = [x for x in cands if not x.hit.record.myth] if myths else cands
        if asks_figure(s.query):  # "how many / what %" is answered by a figure: the first preference any sentence meets
            cands = next((kept for ok in figure_preferences(s.query) if (kept := [x for x in cands if ok(x.text)])),
                         cands)
        if not cands:
            return []
        best = max(x.score for x in cands)
        ranked = sorted(cands, key=lambda x: -x.score)
        yes_no = is_yes_no(s.query)
        limit = 5 if yes_no else c.max_sentences
        picked: list[Sentence] = []
        seen: set[str] = set()
        per: dict[str, int] = {}

        def take(x: Sentence, cap: int) -> None:
            rid = x.hit.record.id
            if x.key not in seen and len(picked) < cap and per.get(rid, 0) < c.max_per_paragraph:
                seen.add(x.key)
                per[rid] = per.get(rid, 0) + 1
                picked.append(x)

        count = list_count(s.query)
        announced = next((x for x in ranked if count.search(x.text)), None) if count else None
        if announced is not None:  # "The expectations are split in to three levels…" says the point
            take(announced, c.max_sentences)
        top_ids = [h.record.id for h in sorted(hits, key=lambda h: h.rank)[:c.anchor]]
        for rid in top_ids:  # the top paragraph is the retriever's best evidence: its best sentence leads
            best_of = next((x for x in ranked if x.hit.record.id == rid and not QUESTION_END.search(x.text)), None)
            if best_of is not None:
                take(best_of, c.max_sentences)
        for x in ranked:  # the best sentence of each paragraph first, so the answer draws on several
            if x.score >= best - c.margin and x.hit.record.id not in per:
                take(x, c.max_sentences)
        for x in ranked:  # then a second sentence of a paragraph that carries the answer
            if x.score >= best - c.margin / 2:
                take(x, c.max_sentences)
        if yes_no:  # the conditions that decide the answer ("where there are child protection concerns…")
            for x in ranked:
                if x.score >= best - c.condition_margin and CONDITION.search(x.text) and x.hit.rank <= 3:
                    take(x, limit)
        decision_first = asks_requirement(s.query)
        needs = [QUESTION_TYPES[t][1] for t in question_types(s.query) if t in FEATURE_FIRST]
        picked.sort(key=lambda x: (x is not announced, decision_first and x.hit.record.voice != "decision",
                                   bool(needs) and not any(n.search(x.text) for n in needs), x.hit.rank, x.start))
        myth = max(myths, key=lambda x: x.score, default=None)
        if yes_no and myth is not None and myth.score >= best - c.margin:  # "is consent needed?": the source
            picked.append(myth)  # calls it a myth; labelled as one, after what the sources advise
        return picked


def _aux(question: str) -> str:
    m = YES_NO_Q.search(question)
    return m.group(1).lower() if m else ""
