"""When the sources answer a question, and what a practitioner reads when they do not.

Answered when the support score reaches the threshold, or every word of the question is known
and one of the top two paragraphs has all the corpus ones, or the handbook's glossary / duties register
defines what a definition question asks about. Refused, whatever the scores, when the question's
key concept is one the sources cannot cover:

- a timescale ("how long", "deadline", "within how many days") and none of the top paragraphs
  gives a time: the sources are a consultation response and local briefings, not procedures;
- a date ("when does recruitment close?", "what date…") and none of the top paragraphs gives a month,
  a year or "TBC";
- another UK nation (Scotland, Wales, Northern Ireland) that none of the top paragraphs mentions:
  the guidance is England's.
- a name or an acronym ("Plymouth", "MARAC", "GIRFEC") that neither the sources nor the glossary
  know: the sources never mention it; one they give only in a long name list ("Cumbria", among the
  organisations that responded) when the question is not about that list: they say nothing else about it;
- a bare "what is X?" whose term has a word that neither the sources nor the glossary know ("what
  is contextual safeguarding?": the sources never use "contextual"), unless the glossary defines X;
- a form, template or link ("is there a form?", "the SharePoint link") that no top paragraph mentions;
- who holds a post now or in a named place ("who is the independent scrutineer for Devon?", "who's the
  DSP chair at the moment?") and no top paragraph names a person: the sources name roles, not post-holders;
- contact details ("the LADO's phone number") that no top paragraph gives for what the question
  names (Devon's Front Door number does not answer for the LADO, or for Cornwall); when one does,
  the question is answered whatever its support score;
- an amount for each area or body ("how much RIIA grant does each region get?", "is the £6m per local
  authority?") and no top paragraph has a figure with "each", "per", "split" or "allocated" beside it;
- a count ("how many social workers are there in Devon?") and none of the top paragraphs gives a
  number for the thing counted ("35 questions", "ten different services"): the sources are not
  statistics. Counting people or organisations is answered by counts of responses.

Between the hedge threshold and the threshold, when the top paragraph shares the question's words, the
answer gives the closest sentences under a hedge (``hedged``): the sources may not answer it exactly.
Refused below that, or when no top paragraph shares the question's words.

The refusal speaks to a practitioner: it says what the sources are, where such questions are
answered instead, and lists only paragraphs that share the question's own words (or none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wtkb.qa.compose import MONTHS, QUESTION_TYPES, SEASONS, AnswerConfig
from wtkb.qa.counting import counted_nouns, counts
from wtkb.qa.knowledge import DEFINITION_WORDS, defined_term, is_definition
from wtkb.retrieve import Expansion, Hit, Retriever, Scores, is_yes_no
from wtkb.text import STOPWORDS, spelled_out, tokenize

UNSUPPORTED = "The sources in this handbook do not answer this question."
HEDGE = ("The sources may not answer this exactly. These are the closest sentences they have; check them against "
         "your question before you act on them.")
SCOPE = ("They are the government's 2023 response to the consultation on Working Together to Safeguard Children "
         "(what it decided and what respondents said), two Devon partnership documents, a local consultation "
         "notice and a commentary on the draft guidance.")
LOCAL_HINT = ("For procedures, timescales and how to make a referral where you work, see your local safeguarding "
              "children partnership's procedures; if a child is in immediate danger, call 999.")
RELATED = "The paragraphs listed below are the closest the sources come; they may not answer it."
NONE_RELATED = "No paragraph of the sources is close enough to list."
# a timescale as the answer to "how long / by when": "within 15 working days", "3 months", "until December 2024"
ASKS_TIMESCALE = re.compile(r"\bhow long\b|\btimescales?\b|\btime ?frames?\b|\bdeadlines?\b|\bby when\b|"
                            r"\bhow (?:soon|quickly)\b|\bwithin how\b|\bhow many (?:working )?(?:days|weeks|months)\b",
                            re.I)
TIMESCALE = re.compile(r"\b\d+\s*(?:working\s+)?(?:days?|weeks?|months?|hours?)\b|"
                       r"\bwithin (?:one|two|three|four|five|six|a|an) (?:working )?(?:day|week|month|hour)s?\b|"
                       r"\b(?:by|until|before|no later than|from) (?:the end of )?(?:\d{1,2}(?:st|nd|rd|th)? )?"
                       rf"(?:(?:{MONTHS}|{SEASONS}) )?20\d\d\b", re.I)
# a date as the answer to "when will / when is … due / what date": "19 September", "early 2024", "Date TBC"
# ("when does a baby go into an MBU" asks in what circumstances: only "when" with a verb of time asks a date)
ASKS_DATE = re.compile(r"\bwhen (?:will|did|was|were)\b|\b(?:what|which|exact) dates?\b|\bdates? (?:for|of) the\b|"
                       r"\bwhen(?:'s|’s| is| are| does| do)\b.{0,60}?\b(?:due|clos\w*|open\w*|start\w*|end|ends|"
                       r"publish\w*|report|launch\w*|come out|coming out|review(?:ed)?|updated?)\b", re.I)
DATE = re.compile(rf"\b(?:{MONTHS})\b|\b(?:{SEASONS}) 20\d\d\b|\b(?:19|20)\d\d\b|\bTBC\b|"
                  r"\b(?:next|this|last) (?:year|month|week)\b|\bcoming (?:months|weeks|year)\b", re.I)
# words that only ask for a time or a date ("when is the … due", "what date", "how long")
TIME_WORDS = frozenset(tokenize("when what date dates exact exactly time timescale timescales timeframe deadline due "
                                "long soon quickly start starts end ends open opens close closes"))
# an amount for each area or body: "how much RIIA grant does each region get", "is the £6m per local authority",
# "how is it split between areas"; answered only by a figure with "each", "per", "split" or "allocated" beside it
ASKS_PER_UNIT = re.compile(r"\bhow (?:much|many)\b.{0,60}?\b(?:each|per|every)\b|\bper (?:local authority|la|region|"
                           r"area|partnership|council|school)\b|\bsplit (?:between|across|among)\b", re.I)
PER_UNIT_FIGURE = re.compile(r"(?:£\s?\d[\d,.]*\s*(?:m|k|million|bn)?|\b\d[\d,.]*\b).{0,40}?\b(?:each|per(?!\s?cent)|"
                             r"split|allocated|a year|annually)\b|\b(?:each|per(?!\s?cent))\b.{0,40}?£\s?\d", re.I)
# contact details: "what's the LADO's phone number?", "email for the front door"
ASKS_CONTACT = re.compile(r"\b(?:phone|telephone|tel|mobile|helpline|email|e-mail)\b|"
                          r"\b(?:contact|email) (?:details|address)\b|"
                          r"\b(?:what|whats|what's|what is) the (?:\w+ ){0,4}number\b(?! of)|"
                          r"\bnumber (?:for|of) (?:the )?(?:\w+ ){0,3}(?:lado|front door|mash|team|service|partnership|"
                          r"police|duty)\b", re.I)
CONTACT = re.compile(r"\b0\d{3,4}[\s-]?\d{3}[\s-]?\d{3,4}\b|@[\w-]+\.|https?://|www\.", re.I)  # not 999
CONTACT_WORDS = frozenset(tokenize("phone telephone tel mobile helpline contact details email e-mail address number "
                                   "call ring what whats"))
# a name or an acronym as typed: "Plymouth", "MARAC", "FGCs", "Kent's"
NAME_WORD = re.compile(r"(?<![\w'’])(?:[A-Z][a-z]+|[A-Z]{2,}[a-z]?s?)(?=(?:['’]s)?(?![\w'’]))")  # "Kent's" names Kent
# a question asking who holds a post: "who is the independent scrutineer for Devon?", "who's the DSP chair at the
# moment", "who is Devon's DCS", "name of the chief constable" ("who is the PCC" asks what the post is)
POST = (r"(?:chair(?:s|man|woman|person)?|scrutineers?|constables?|directors?|chief executives?|commissioners?|"
        r"heads?|managers?|officers?|leaders?|ministers?|secretar(?:y|ies)|DSL|LADO|DCS|designated (?:doctor|nurse))")
WHO_IS = r"\bwho(?:'s|’s| is| are)\s+(?:currently\s+)?(?:the\s+|our\s+)?(?:current\s+|new\s+)?"
ASKS_POST = re.compile(rf"{WHO_IS}(?P<owner>[\w'’]+?(?:'s|’s)\s+)?(?:[\w'’-]+\s+){{0,4}}?{POST}\b(?P<tail>.*)|"
                       r"\bwho (?:chairs|heads)\b(?P<body>(?:\s+the)?\s+[\w'’]+.*)|"
                       rf"\bnames? of (?:the |our )?(?:current )?(?:[\w'’-]+\s+){{0,4}}?{POST}\b", re.I)
NOW = re.compile(r"\bat the moment\b|\bcurrently\b|\bright now\b|\bthese days\b|\bcurrent\b|\bname of\b", re.I)
OF_PLACE = re.compile(r"\b(?:for|of|in|at)\s+(?:the\s+)?([\w'’]+)", re.I)
# a person as the sources would name one: "The Rt Hon Andrea Leadsom MP", "Professor …"
PERSON = re.compile(r"\b(?:Professor|Prof|Dr|Mr|Mrs|Ms|Miss|Sir|Dame|Lord|Lady|Baroness|Cllr|Councillor|Rt Hon)\.? "
                    r"[A-Z][a-z]+|\b[A-Z][a-z]+ [A-Z][a-z]+ MP\b")
NATIONS = re.compile(r"\b(scotland|scottish|wales|welsh|northern ireland|girfec)\b|(?-i:\bNI\b)", re.I)
NATION_NAMES = {"scottish": "Scotland", "girfec": "Scotland", "welsh": "Wales", "ni": "Northern Ireland"}
# a question about a name list itself: "did Cumbria respond?", "is Barnardo's on the list of respondents?"
NAME_LIST_Q = re.compile(r"\b(?:respond\w*|list\w*|named|name|took part|take part|participat\w*)\b", re.I)
# a question that starts with the acronym it asks about: "MATs = ?", "ipsea?? saw it in the list"
ACRONYM_FIRST = re.compile(r"^\W*[A-Za-z]{2,9}\s*(?:\?|=|-|–|:)")
# "what qualifications does a DSCO need?": asks for something about the acronym, not what it stands for
ASKS_OTHER = re.compile(r"\b(?:what|which)\s+(?!is\b|are\b|was\b|does\b|do\b|did\b|an?\b|the\b)[a-z]+\s+"
                        r"(?:does|do|did|is|are|was|were|will|should|can|must)\b", re.I)
ACRONYM_WORD = re.compile(r"(?<![\w'’])[A-Za-z]{2,9}(?![\w'’])")
# words that only attribute a question to the source it names ("according to Bond Solon", "what does Devon say")
ATTRIBUTION_WORDS = frozenset(tokenize("according say says said think thinks thought view views"))


@dataclass(frozen=True)
class Verdict:
    supported: bool
    reason: str = ""  # why a question is refused, in a practitioner's words ("" when answered)
    hedged: bool = False  # answered with the closest sentences, under a hedge: the sources may not answer it
    spelled: tuple[tuple[str, Hit, int, int], ...] = ()  # acronyms a top paragraph spells out (spelled_acronyms)


class Refusal:
    """Decides support and writes the refusal, from a :class:`Retriever`'s public evidence API."""

    def __init__(self, retriever: Retriever, config: AnswerConfig):
        self.retriever = retriever
        self.config = config

    def support(self, s: Scores, hits: list[Hit], config: AnswerConfig | None = None) -> float:
        """How well the sources cover the question (answered when ``>= threshold``)."""
        c = config or self.config
        if not hits:
            return float("-inf")
        vocab = self.retriever.vocabulary_share(s)
        best_sentence = float(s.sentence.max(initial=-1.0))
        return c.w_dense * float(s.dense.max()) + c.w_sentence * best_sentence + c.w_vocab * (vocab - 1)

    def top_hit_has_all_terms(self, s: Scores, hits: list[Hit]) -> bool:
        """Every word of the question is known and one of the top two paragraphs contains all the corpus ones.

        A short, specific question ("what is OASys", "NICCO?", "sudc and JAR - what do these stand
        for?") embeds weakly, so its support score is low even when the top paragraph is plainly
        about it; this parameter-free test answers it. Words that only make it a definition
        question ("stand for", "mean") do not count, nor, when the question names the publisher of
        the top paragraph's source, the words that only attribute it ("according to Bond Solon",
        "what does Devon say").
        """
        if not hits:
            return False
        r = self.retriever
        attributed = r.names_publisher_of(s.query, hits[0].record)  # "according to Bond Solon"
        ignore = DEFINITION_WORDS | (ATTRIBUTION_WORDS if attributed else frozenset())
        toks = [t for t in r.content_tokens(s.query) if t not in ignore]
        known = s.expansion.known_tokens
        if not toks or any(not r.knows(t) and t not in known for t in toks):
            return False
        in_corpus = [t for t in toks if r.knows(t)]
        for t in toks:  # an acronym read off the corpus's names: the name's words must be there
            in_corpus += [w for w in tokenize(s.expansion.acronyms.get(t, "")) if r.knows(w)]
        return bool(in_corpus) and any(r.has_terms(h.record, list(dict.fromkeys(in_corpus))) for h in hits[:2])

    def verdict(self, s: Scores, hits: list[Hit], defined: bool = False,
                config: AnswerConfig | None = None) -> Verdict:
        c = config or self.config
        spelled = tuple(self.spelled_acronyms(s.query, hits))
        names = {w.lower() for w, *_ in spelled}
        uncovered = self.uncovered(s.query, hits, s.expansion, names) or \
            ("" if defined or spelled else self.unknown_term(s))
        if uncovered:
            return Verdict(False, uncovered)
        support = self.support(s, hits, c)
        if defined or spelled or support >= c.threshold or self.top_hit_has_all_terms(s, hits) \
                or self.answers_by_rule(s.query, hits):
            return Verdict(True, spelled=spelled)
        if support >= c.hedge_threshold and self.related(s, hits[:1]):
            return Verdict(True, hedged=True)
        return Verdict(False)

    def answers_by_rule(self, question: str, hits: list[Hit]) -> bool:
        """The question asks for contact details and a top paragraph gives them for what it names (a phone
        number embeds weakly, so the support score alone would refuse "the Devon front door number?")."""
        return bool(ASKS_CONTACT.search(question)) and self.gives_contact(question, hits[:3])

    def spelled_acronyms(self, question: str, hits: list[Hit]) -> list[tuple[str, Hit, int, int]]:
        """For a question about an acronym ("what's ECPAT", "adcs stnds for?", "MATs = ?", "ipsea??"), each acronym
        one of the top three paragraphs spells out ("Association of Directors of Children's Services (ADCS)"): the
        acronym as typed, the paragraph and where it spells it out. A yes/no question asks something else."""
        words = ACRONYM_WORD.findall(question)
        asks = is_definition(question) or bool(ACRONYM_FIRST.match(question)) or len(words) <= 4
        if not asks or is_yes_no(question) or ASKS_OTHER.search(question):
            return []
        content = set(self.retriever.content_tokens(question)) - DEFINITION_WORDS
        out = []
        for w in dict.fromkeys(words):
            if w.lower() in STOPWORDS or set(tokenize(w)) <= DEFINITION_WORDS or len(content - set(tokenize(w))) > 2:
                continue  # "what is the timescale for CSC to complete an MBU suitability assessment" asks about more
            for h in hits[:3]:
                span = spelled_out(w, h.record.text)
                caps = re.escape(re.sub(r"(?<=\w\w)[sS]$", "", w).upper())  # "MATs", "adcs": as the source writes it
                if span and re.search(rf"\b{caps}S?s?\b", h.record.text[span[0]:span[1]]):
                    out.append((w, h, *span))
                    break
        return out

    def uncovered(self, question: str, hits: list[Hit], expansion: Expansion | None = None,
                  spelled: set[str] | frozenset[str] = frozenset()) -> str:
        """Why the question's key concept is outside the sources ("" if it is not); an acronym in ``spelled``
        (spelled out in a top paragraph) is a name the sources explain, wherever they give it."""
        top = hits[:3]
        nation = NATIONS.search(question)
        if nation and not any(NATIONS.search(h.record.text) for h in top):
            name = NATION_NAMES.get(nation.group(0).lower(), nation.group(0).title())
            return (f"The sources are about England's guidance; they say nothing about {name}. "
                    "Each UK nation has its own child protection guidance.")
        names = [w for w in self.unknown_names(question, expansion) if w.lower() not in spelled]
        if names:
            return f"The sources never mention {' or '.join(names)}."
        listed = self.only_listed(question, expansion)
        if listed and listed[0].lower() not in spelled:
            return f"The sources name {listed[0]} only in a list (“{listed[1]}”); they say nothing else about it."
        if self.asks_post_holder(question) and not any(PERSON.search(h.record.text) for h in top):
            return ("The sources do not name who holds a post; your local safeguarding children partnership's "
                    "website lists who holds its posts now.")
        if ASKS_CONTACT.search(question) and not self.gives_contact(question, top):
            return "The sources give no contact details for this."
        asks_form, form = QUESTION_TYPES["form"]
        if asks_form.search(question) and not any(form.search(h.record.text) for h in top):
            return "The sources give no form, template or link for this."
        if ASKS_TIMESCALE.search(question) and not self.gives_near(question, top, TIMESCALE):
            return "The sources do not set out timescales for this."
        if ASKS_DATE.search(question) and not self.gives_near(question, top, DATE):
            return "The sources give no date for this."
        counted = counted_nouns(question)
        if counted and not any(counts(h.record.text, counted) for h in top):
            return "The sources give no figure for this."
        per_unit = ASKS_PER_UNIT.search(question)  # not "who decides how much each…", another question
        if per_unit and not any(QUESTION_TYPES[t][0].search(question[:per_unit.start()]) for t in ("who", "why")) \
                and not any(PER_UNIT_FIGURE.search(h.record.text) for h in top):
            return "The sources give no figure for each area or body; they give totals only where they give any."
        return ""

    def asks_post_holder(self, question: str) -> bool:
        """The question asks who holds a post now ("currently", "at the moment") or in a named place or body
        ("for Devon", "of devon and cornwall police", "Devon's DCS", "who chairs the Devon CDOP"), not what the post
        is ("who is the PCC", "who chairs the partnership")."""
        m = ASKS_POST.search(question)
        if not m:
            return False
        tail = m.group("tail") if m.group("tail") is not None else m.group("body")
        if tail is None or NOW.search(question):  # "name of the …", "who is the current …"
            return True
        owner = (m.group("owner") or "").strip()
        places = [re.sub(r"(?:'s|’s)$", "", owner)] if owner else []
        if m.group("body"):  # "who chairs the Devon CDOP"
            places += re.findall(r"^(?:\s+the)?\s+([\w'’]+)", m.group("body"))
        places += OF_PLACE.findall(tail)
        return any(w[:1].isupper() or self.retriever.is_proper_noun(w) for w in places)

    def gives_near(self, question: str, hits: list[Hit], pattern: re.Pattern[str]) -> bool:
        """A sentence of one of ``hits`` has ``pattern`` (a time, a date) and a word of the question's own: a
        year elsewhere in the paragraph is not the date of what the question asks about."""
        words = set(self.retriever.content_tokens(question)) - TIME_WORDS
        for h in hits:
            text = h.record.text
            for a, b in self.retriever.sentences(h.record) or [(0, len(text))]:
                if pattern.search(text[a:b]) and (not words or words & set(tokenize(text[a:b]))):
                    return True
        return False

    def unknown_term(self, s: Scores) -> str:
        """Why a bare definition question is outside the sources: its term has a word they never use."""
        term = defined_term(s.query)
        known = s.expansion.known_tokens
        if term and any(not self.retriever.knows(t) and t not in known for t in self.retriever.content_tokens(term)):
            return f"The sources never use the term “{term}”."
        return ""

    def gives_contact(self, question: str, hits: list[Hit]) -> bool:
        """A paragraph gives a phone number, email or web address for what the question names: "the LADO's
        phone number in Devon" is not answered by Devon's Front Door number."""
        what = set(self.retriever.content_tokens(question)) - CONTACT_WORDS - self.retriever.publisher_words()
        names = {t for w in self.names(question) for t in tokenize(w)} - CONTACT_WORDS  # "Cornwall", "Devon"
        for h in hits:
            if CONTACT.search(h.record.text):
                src = self.retriever.source(h.record.document)
                words = set(tokenize(" ".join([h.record.text, *h.record.section, src.publisher if src else ""])))
                if (not what or what & words) and names <= words:
                    return True
        return False

    def unknown_names(self, question: str, expansion: Expansion | None = None) -> list[str]:
        """Names and acronyms in the question ("Plymouth", "MARAC", "GIRFEC") that neither the sources nor the
        glossary know: a question about something the sources never mention. A capital that only starts the
        question is not a name."""
        known = (expansion or self.retriever.expand(question)).known_tokens
        out = []
        for word in self.names(question):
            toks = tokenize(word)
            if toks and not any(self.retriever.knows(t) or t in known for t in (toks[0], toks[0].rstrip("s"))):
                out.append(word)
        return out

    def only_listed(self, question: str, expansion: Expansion | None = None) -> tuple[str, str] | None:
        """A name in the question ("Cumbria") that the sources give only in a long name list, with that list's
        heading; None when the question asks about the list itself ("did Cumbria respond?") or the glossary
        knows the name ("DA")."""
        if NAME_LIST_Q.search(question):
            return None
        known = (expansion or self.retriever.expand(question)).known_tokens
        for word in self.names(question):
            toks = tokenize(word)
            heading = self.retriever.only_listed_in(toks[0]) if toks and toks[0] not in known else ""
            if heading:
                return word, heading
        return None

    @staticmethod
    def names(question: str) -> list[str]:
        """The names and acronyms as typed ("Cornwall", "LADO"); a capital that only starts the question is not one."""
        out = []
        for m in NAME_WORD.finditer(question):
            if question[:m.start()].strip(" \"'‘“(") or m.group(0).isupper():
                out.append(m.group(0))
        return list(dict.fromkeys(out))

    def related(self, s: Scores, hits: list[Hit], strict: bool = False) -> list[Hit]:
        """The retrieved paragraphs that share a content word with the question (glossary expansions count);
        two words when the question has four or more, or is ``strict`` (refused by a rule on its key concept)."""
        q = set(self.retriever.content_tokens(s.query)) - DEFINITION_WORDS
        q |= set(tokenize(" ".join(s.expansion.phrases)))
        out = []
        for h in hits:
            words = set(tokenize(h.record.text + " " + " ".join(h.record.section)))
            if len(q & words) >= (2 if strict or len(q) >= 4 else 1):
                out.append(h)
        return out

    @staticmethod
    def text(reason: str, any_related: bool) -> str:
        """The refusal a practitioner reads."""
        parts = [UNSUPPORTED, reason, SCOPE, LOCAL_HINT, RELATED if any_related else NONE_RELATED]
        return " ".join(p for p in parts if p)
