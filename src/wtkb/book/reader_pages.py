"""Pages a reader of GOV.UK guidance or a procedures manual expects: "Your role" and "Local procedures".

- ``generated/roles/<n>-<id>``: one page per role of ``roles.yaml`` (schools, health, police,
  children's social care, the voluntary sector), listing the duties of the register that bind
  that kind of agency (from each duty's "who it binds") and the topic chapters that refer to them;
  ``generated/your-role`` is the list of those pages, included by the home page.
- ``generated/local``: the operator's local procedures and contacts (``WTKB_LOCAL_FILE``), or,
  when there are none, who to ask.
"""

from __future__ import annotations

import re
from pathlib import Path

from wtkb.reference.duties import Duty, load_duties
from wtkb.reference.local import LocalInfo, load_local
from wtkb.reference.roles import Role, load_roles, role_duties
from wtkb.settings import Settings

LOCAL_PAGE = "generated/local"
ROLE_LIST = "generated/your-role"
_DUTY_REF = re.compile(r"\{duty\}`(?:[^`<]*<)?([a-z0-9-]+)>?`")
_TITLE = re.compile(r"^#\s+(.+)$", re.MULTILINE)


def _md(text: str) -> str:
    from wtkb.book.pages import md

    return md(text)


def _plain(text: str) -> str:
    """Text for the title of a {doc} link (no backticks or angle brackets)."""
    return re.sub(r"[`<>]", "", " ".join(text.split()))


def role_page_name(order: int, role: Role) -> str:
    return f"generated/roles/{order + 1}-{role.id}"


def topic_duties(book_dir: Path) -> dict[str, tuple[str, set[str]]]:
    """Topic chapter name (``01-lead-practitioner``) -> (its title, the duty IDs it refers to)."""
    out: dict[str, tuple[str, set[str]]] = {}
    for path in sorted((book_dir / "topics").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        title = _TITLE.search(text)
        out[path.stem] = (title.group(1).strip() if title else path.stem, set(_DUTY_REF.findall(text)))
    return out


def _duty_lines(duties: list[Duty]) -> list[str]:
    return [f"- {{duty}}`{d.id}`: {_md(d.title)}. *Binds:* {_md(d.binds)}." for d in duties]


def role_page(role: Role, own: list[Duty], shared: list[Duty], topics: dict[str, tuple[str, set[str]]]) -> str:
    from wtkb.book.pages import header

    ids = {d.id for d in own}
    chapters = [name for name, (_, refs) in topics.items() if name in role.topics or refs & ids]
    lines = [header("src/wtkb/reference/data/roles.yaml and duties.yaml"), f"# {_md(role.title)}", ""]
    if role.note:
        lines += [_md(role.note), ""]
    lines += ["The duties below are the ones in the {doc}`/duties/index` whose “who it binds” names your kind of "
              "organisation; the topic chapters are the ones that discuss those duties or your sector. "
              "The summaries are ours, not the text of the law.", ""]
    lines += ["## Topics for you", ""]
    lines += [f"- {{doc}}`/topics/{name}`" for name in chapters] or ["No topic chapter is about these duties yet."]
    lines += ["", "## Duties that bind you", ""]
    lines += _duty_lines(own) or ["No provision in the register names your kind of organisation directly."]
    if shared:
        lines += ["", "## Duties that bind every organisation", ""] + _duty_lines(shared)
    lines += ["", "## In your area", "",
              "For how to refer a child, who to contact and your local procedures, see "
              f"{{doc}}`/{LOCAL_PAGE}`. For anything about a particular child, follow your organisation's "
              "safeguarding policy and talk to your designated safeguarding lead or manager.", ""]
    return "\n".join(lines)


def role_pages(book_dir: Path) -> dict[str, str]:
    """The role pages and the list the home page includes; page name -> MyST."""
    from wtkb.book.pages import header

    roles = load_roles()
    duties = load_duties()
    topics = topic_duties(book_dir)
    pages: dict[str, str] = {}
    items = []
    for order, role in enumerate(roles.roles):
        own, shared = role_duties(role, roles, duties)
        name = role_page_name(order, role)
        pages[name] = role_page(role, own, shared, topics)
        items.append(f"- {{doc}}`{_plain(role.phrase)} </{name}>`")
    pages[ROLE_LIST] = (header("src/wtkb/reference/data/roles.yaml") + "````{rst-class} wtkb-roles\n" +
                        "\n".join(items) + "\n````\n")
    return pages


# --------------------------------------------------------------------------- local procedures


def _link(title: str, url: str) -> str:
    return f"[{_md(title)}](<{url}>)"


def _contact(c) -> list[str]:
    lines = [f"### {_md(c.name)}", ""]
    if c.purpose:
        lines += [_md(c.purpose), ""]
    facts = []
    if c.phone:
        facts.append(f"- **Phone:** {_md(c.phone)}")
    if c.email:
        facts.append(f"- **Email:** {_link(c.email, 'mailto:' + c.email)}")
    if c.url:
        facts.append(f"- **Web:** {_link(c.url, c.url)}")
    if c.hours:
        facts.append(f"- **When:** {_md(c.hours)}")
    return lines + facts + [""]


EMPTY_LOCAL = (
    "This copy of the handbook has not been given any local details. For how to make a referral, your "
    "local front door or multi-agency safeguarding hub (MASH), the local authority designated officer (LADO) "
    "and out-of-hours contacts, use **your local safeguarding partnership's procedures**, and ask your "
    "designated safeguarding lead or your manager.")


def local_page(settings: Settings, info: LocalInfo | None = None) -> str:
    from wtkb.book.pages import header

    info = info if info is not None else load_local(settings)
    lines = [header("the local procedures and contacts file (WTKB_LOCAL_FILE)"), "# Local procedures and contacts",
             "", "```{important}", "If a child is in immediate danger, call 999.", "```", ""]
    if info.empty:
        lines += [EMPTY_LOCAL, ""]
        return "\n".join(lines)
    if info.partnership:
        lines += [f"These are the procedures and contacts of **{_md(info.partnership)}**. They apply in that "
                  "area only; the rest of this handbook is about the national guidance.", ""]
    if info.intro:
        lines += [_md(info.intro), ""]
    if info.procedures:
        lines += ["## Procedures", "", f"- {_link(info.procedures.title, info.procedures.url)}", ""]
    if info.contacts:
        lines += ["## Contacts", ""]
        for c in info.contacts:
            lines += _contact(c)
    if info.updated:
        lines += [f"*These local details were last checked in {_md(info.updated)}.*", ""]
    return "\n".join(lines)
