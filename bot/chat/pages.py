"""The views of a story (brief, quotes, sources, lists) as JSON-ready data and as Replies.

Pure functions of model objects: the command layer loads, these format.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from bot.chat.reply import Button, Line, Reply, Span, bold, italic, line, link, para, text
from summarizer.models import Article, Briefing, BriefSentence, Story, StoryQuote
from summarizer.read.dates import date_iso, zone_label

VIEWS = ("brief", "quotes", "sources")


def age(when: datetime | None, now: datetime) -> str:
    """'5m', '3h', '2d' since a time ('' if unknown)."""
    if when is None:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    secs = max(0, int((now - when).total_seconds()))
    if secs < 3600:
        return f"{max(1, secs // 60)}m"
    if secs < 86400:
        return f"{secs // 3600}h"
    return f"{secs // 86400}d"


def iso(when: datetime | None) -> str | None:
    """ISO-8601 (no offset when the zone is unknown: never shown as UTC), or None."""
    return date_iso(when)


def view_buttons(story_id: int, current: str) -> tuple[tuple[Button, ...], ...]:
    """Brief / Quotes / Sources buttons that switch the same message between views."""
    row = tuple(
        Button(("• " if v == current else "") + v.capitalize(), f"/{v} {story_id}") for v in VIEWS
    )
    return (row,)


def _outlet_spans(
    outlets: Sequence[str], ids: Sequence[int], arts: Mapping[int, Article]
) -> list[Span]:
    """Outlet names, each linked to its article when the URL is known."""
    url_of: dict[str, str] = {}
    for aid in ids:
        a = arts.get(aid)
        if a and a.outlet and a.url and a.outlet not in url_of:
            url_of[a.outlet] = a.url
    spans: list[Span] = []
    for i, o in enumerate(outlets):
        if i:
            spans.append(italic(", "))
        spans.append(Span(o, italic=True, url=url_of.get(o, "")))
    return spans


def _credit_spans(s: BriefSentence, arts: Mapping[int, Article]) -> list[Span]:
    """"— A, B, C"; when the sentence quotes someone, whose words they are:
    "— wording: A; also reported by B, C" (no outlet is credited with words it did not print)."""
    others = [o for o in s.outlets if o != s.wording]
    if not s.wording or s.wording not in s.outlets:
        return [italic("— "), *_outlet_spans(s.outlets, s.article_ids, arts)]
    spans = [italic("— wording: "), *_outlet_spans([s.wording], s.article_ids, arts)]
    if others:
        spans += [italic("; also reported by "), *_outlet_spans(others, s.article_ids, arts)]
    return spans


def _header(story: Story, now: datetime) -> tuple[Line, ...]:
    n_out = len(story.outlets)
    meta = f"{n_out} outlet{'s' if n_out != 1 else ''} · {len(story.article_ids)} article"
    meta += "s" if len(story.article_ids) != 1 else ""
    when = age(story.last_published or story.updated_at, now)
    if when:
        meta += f" · {when} ago"
    return (line(bold(story.title or f"Story {story.id}")), line(italic(f"#{story.id} · {meta}")))


# --- brief -----------------------------------------------------------------------------------


def brief_data(briefing: Briefing) -> dict[str, object]:
    """The ``brief --json`` shape."""
    return {
        "story_id": briefing.story_id,
        "title": briefing.title,
        "sentences": [
            {
                "text": s.text,
                "article_ids": list(s.article_ids),
                "outlets": list(s.outlets),
                "wording": s.wording,
            }
            for s in briefing.sentences
        ],
        "framings": [
            {"outlet": f.outlet, "article_id": f.article_id, "title": f.title}
            for f in briefing.framings
        ],
        "only_one_outlet": [
            {"text": s.text, "article_ids": list(s.article_ids), "outlets": list(s.outlets)}
            for s in briefing.exclusives
        ],
    }


def brief_reply(
    story: Story, briefing: Briefing, arts: Mapping[int, Article], now: datetime
) -> Reply:
    """The briefing: sentences with their outlets, framings side by side, single-outlet facts."""
    paras: list[tuple[Line, ...]] = [_header(story, now)]
    if not briefing.sentences:
        paras.append(para(line("No briefing yet: this story has no usable article text.")))
    for s in briefing.sentences:
        paras.append(para(line(text("• " + s.text + " "), *_credit_spans(s, arts))))
    if len(briefing.framings) > 1:
        lines = [line(bold("How each outlet framed it"))]
        for f in briefing.framings:
            a = arts.get(f.article_id)
            lines.append(
                line(
                    text(f"{f.outlet or 'Unknown outlet'}: "),
                    link(f"“{f.title}”", a.url if a else ""),
                )
            )
        paras.append(tuple(lines))
    if briefing.exclusives:
        lines = [line(bold("Reported by one outlet only"))]
        for s in briefing.exclusives:
            lines.append(
                line(italic(f"Only {s.outlets[0] if s.outlets else 'one outlet'}: "), text(s.text))
            )
        paras.append(tuple(lines))
    follow = (Button("🔔 Follow", f"/follow {story.id}"),)
    return Reply(
        paragraphs=tuple(paras),
        buttons=(*view_buttons(story.id, "brief"), follow),
        data=brief_data(briefing),
    )


# --- quotes ----------------------------------------------------------------------------------


def quotes_data(story_id: int, quotes: Sequence[StoryQuote]) -> dict[str, object]:
    """The ``quotes --json`` shape."""
    return {
        "story_id": story_id,
        "quotes": [
            {
                "text": q.text,
                "speaker": q.speaker,
                "role": q.role,
                "article_ids": list(q.article_ids),
                "outlets": list(q.outlets),
                "context": q.context,
                "variants": [
                    {"text": v.text, "article_ids": list(v.article_ids), "outlets": list(v.outlets)}
                    for v in q.variants
                ],
            }
            for q in quotes
        ],
    }


def quotes_by_speaker(quotes: Sequence[StoryQuote], name: str) -> list[StoryQuote]:
    """The quotes whose speaker is ``name`` (a full name, a surname, any spelling variant)."""
    from summarizer.quotes.speakers import name_key, same_person

    wanted = name_key(name).split()
    if not wanted:
        return list(quotes)
    return [
        q for q in quotes
        if q.speaker and (same_person(q.speaker, name) or set(wanted) <= set(name_key(q.speaker).split()))
    ]


def quotes_reply(
    story: Story, quotes: Sequence[StoryQuote], arts: Mapping[int, Article], now: datetime,
    speaker: str = "",
) -> Reply:
    """Who said what, grouped by speaker, with wording variants side by side."""
    paras: list[tuple[Line, ...]] = [_header(story, now)]
    if speaker:
        paras.append(para(line(italic(f"Only quotes by {speaker}."))))
    if not quotes:
        paras.append(para(line("No direct quotes found in this story's articles.")))
    current: str | None = None
    block: list[Line] = []
    for q in quotes:
        speaker = q.speaker or "Unattributed"
        if speaker != current:
            if block:
                paras.append(tuple(block))
            head = [bold(speaker)]
            if q.role:
                head.append(italic(f", {q.role}"))
            block = [line(*head)]
            current = speaker
        if len(q.variants) > 1:
            block.append(line(text("• Worded differently by different outlets:")))
            for v in q.variants:
                block.append(
                    line(
                        text(f"   “{v.text}” "),
                        italic("— "),
                        *_outlet_spans(v.outlets, v.article_ids, arts),
                    )
                )
        else:
            block.append(
                line(
                    text(f"• “{q.text}” "),
                    italic("— "),
                    *_outlet_spans(q.outlets, q.article_ids, arts),
                )
            )
    if block:
        paras.append(tuple(block))
    return Reply(
        paragraphs=tuple(paras),
        buttons=view_buttons(story.id, "quotes"),
        data=quotes_data(story.id, quotes),
    )


# --- sources ---------------------------------------------------------------------------------


def sources_data(
    story: Story, arts: Sequence[Article], briefing: Briefing | None
) -> dict[str, object]:
    """The ``sources --json`` shape: coverage plus which briefing sentences each article supports."""
    support: dict[int, list[int]] = {a.id: [] for a in arts}
    if briefing:
        for i, s in enumerate(briefing.sentences, start=1):
            for aid in s.article_ids:
                support.setdefault(aid, []).append(i)
    return {
        "story_id": story.id,
        "sources": [
            {
                "article_id": a.id,
                "outlet": a.outlet,
                "title": a.title,
                "url": a.url,
                "published": date_iso(a.published),
                "published_zone": zone_label(a.published),
                "author": a.author,
                "supports_sentences": support.get(a.id, []),
            }
            for a in arts
        ],
    }


def sources_reply(
    story: Story, arts: Sequence[Article], briefing: Briefing | None, now: datetime
) -> Reply:
    """The coverage: outlet, linked title, time, and the briefing sentences each supports."""
    data = sources_data(story, arts, briefing)
    paras: list[tuple[Line, ...]] = [_header(story, now)]
    for src, a in zip(data["sources"], arts, strict=True):  # type: ignore[call-overload]
        lines = [
            line(
                bold(a.outlet or "Unknown outlet"),
                text(" · "),
                link(a.title or a.url or f"article {a.id}", a.url),
            )
        ]
        meta = []
        if a.author:
            meta.append(f"by {a.author}")
        if a.published:
            meta.append(a.published.strftime("%d %b %Y %H:%M %Z").strip())
        sup = src["supports_sentences"]
        meta.append(
            f"supports briefing sentences {', '.join(map(str, sup))}"
            if sup
            else "no briefing sentence"
        )
        lines.append(line(italic(" · ".join(meta))))
        paras.append(tuple(lines))
    return Reply(paragraphs=tuple(paras), buttons=view_buttons(story.id, "sources"), data=data)


# --- lists -----------------------------------------------------------------------------------


def story_list_reply(
    heading: str, stories: Sequence[Story], now: datetime, extra_buttons: Sequence[Button] = ()
) -> Reply:
    """A numbered list of stories with a button per story."""
    lines: list[Line] = [line(bold(heading))]
    buttons: list[tuple[Button, ...]] = []
    for s in stories:
        n = len(s.outlets)
        when = age(s.last_published or s.updated_at, now)
        lines.append(
            line(
                text(f"#{s.id} "),
                bold(s.title or f"Story {s.id}"),
                italic(
                    f" · {n} outlet{'s' if n != 1 else ''}" + (f" · {when} ago" if when else "")
                ),
            )
        )
        label = s.title if len(s.title) <= 40 else s.title[:39] + "…"
        buttons.append((Button(f"#{s.id} {label}", f"/brief {s.id}"),))
    if extra_buttons:
        buttons.append(tuple(extra_buttons))
    data: dict[str, object] = {
        "stories": [
            {
                "id": s.id,
                "title": s.title,
                "article_ids": list(s.article_ids),
                "outlets": list(s.outlets),
            }
            for s in stories
        ]
    }
    return Reply(paragraphs=(tuple(lines),), buttons=tuple(buttons), data=data)


def article_data(a: Article, quotes: Sequence[object]) -> dict[str, object]:
    """The ``article --json`` shape."""
    return {
        "id": a.id,
        "title": a.title,
        "outlet": a.outlet,
        "author": a.author,
        "published": date_iso(a.published),
        "published_zone": zone_label(a.published),
        "url": a.url,
        "story_id": a.story_id,
        "images": list(a.images),
        "text": a.text,
        "quotes": quotes,
    }
