"""Generate realistic German posts for benchmarks (``replica serve --synthetic N``).

The posts are built from sentence patterns and vocabulary of the seed texts, with
datelines in the site's formats, so a crawl and an index see text like the real site's.
Generation is deterministic: the same ``count`` always gives the same posts.
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import datetime, timedelta

from replica.content import Entry

FIRST_ID = 50_000
SYNTHETIC_SOURCE = "generated (synthetic)"

PLACES = [
    "Erfurt", "Jena", "Weimar", "Gera", "Gotha", "Altenburg", "Apolda", "Nordhausen",
    "Sömmerda", "Kölleda", "Eisenach", "Suhl", "Arnstadt", "Rudolstadt", "Saalfeld",
    "Meiningen", "Mühlhausen", "Sondershausen", "Ilmenau", "Greiz",
]  # fmt: skip
DISTRICTS = [
    "Landkreis Altenburger Land", "Wartburgkreis", "Kyffhäuserkreis", "Saale-Orla-Kreis",
    "Landkreis Schmalkalden-Meiningen", "Landkreis Weimarer Land", "Ilm-Kreis",
    "Landkreis Sömmerda", "Landkreis Nordhausen", "Landkreis Saalfeld-Rudolstadt",
]  # fmt: skip
TOPICS = [
    "Sozialplanung", "Armutsprävention", "Präventionsketten", "Jugendhilfeplanung",
    "Altenhilfeplanung", "Inklusion", "Wohnungslosigkeit", "Beteiligung", "Sozialraumorientierung",
    "Integrationsmanagement", "Familienpolitik", "Wirkungsorientierung", "Bedarfsanalyse",
    "Qualitätsentwicklung", "Beschäftigungsförderung", "Datenmanagement", "Netzwerkarbeit",
]  # fmt: skip
PEOPLE = [
    "Dr. Stefan Huber", "Prof. Dr. Jörg Fischer", "Dr. Theresa Hilse-Carstensen",
    "Dr. Rainer Vock", "Andreas Blume-Strotzer", "Dr. Heike Schaarschmidt",
    "Josefine Elisabeth Strüning", "Dr. Gernot Herzer", "Inga Döbel", "Julia Bäring",
]  # fmt: skip
FORMATS = [
    "Fachtag",
    "Arbeitskreis",
    "Workshop",
    "Fachgespräch",
    "Werkstattgespräch",
    "Qualifizierung",
]
MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
    "Oktober", "November", "Dezember",
]  # fmt: skip
TITLES = [
    "{format} zur {topic} in {place}",
    "{topic}: Ergebnisse der Befragung im {district} vorgestellt",
    "IKPE begleitet {district} bei der {topic}",
    "Neues Projekt zur {topic} gestartet",
    "{format} „{topic} vor Ort“ – Rückblick",
]
SENTENCES = [
    "Das Institut für kommunale Planung und Entwicklung (IKPE) war mit einem Beitrag zur {topic} "
    "vertreten.",
    "Im Mittelpunkt stand die Frage, wie Kommunen die {topic} strategisch und dialogisch "
    "weiterentwickeln können.",
    "{person} stellte erste Ergebnisse aus dem {district} vor und diskutierte sie mit den "
    "Teilnehmenden.",
    "Vertreter*innen aus Verwaltung, freien Trägern und Politik tauschten sich über ihre "
    "Erfahrungen aus.",
    "Die Veranstaltung fand in Kooperation mit dem Thüringer Ministerium für Arbeit, Soziales, "
    "Gesundheit, Frauen und Familie statt.",
    "In Workshops wurden Handlungsempfehlungen für die Praxis der kommunalen {topic} erarbeitet.",
    "Mehr als {count} Fachkräfte aus Thüringer Landkreisen und kreisfreien Städten nahmen teil.",
    "Die Ergebnisse fließen in die weitere Prozessbegleitung der Kommunen ein.",
    "Eine Dokumentation der Beiträge wird in Kürze auf der Website veröffentlicht.",
    "Die nächste Sitzung ist für {month} {year} in {place} geplant.",
]


def _slugify(title: str) -> str:
    ascii_title = (
        title.lower()
        .replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    )  # fmt: skip
    ascii_title = unicodedata.normalize("NFKD", ascii_title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")[:80]


def _dateline(rng: random.Random, place: str, day: datetime) -> str:
    forms = [
        f"{place}/{day:%d.%m.%Y}.",
        f"{place}, {day:%d.%m.%Y}",
        f"{place}/{day:%d.%m.%Y}",
        f"Pressemitteilung, {day:%d.%m.%Y}",
    ]
    return rng.choice(forms)


def generate_posts(count: int, seed: int = 2024) -> tuple[Entry, ...]:
    """Return ``count`` generated posts with ids from ``FIRST_ID`` and unique slugs."""
    rng = random.Random(seed)
    start = datetime(2012, 1, 2, 9, 0)
    span_days = (datetime(2025, 6, 30) - start).days
    used_slugs: dict[str, int] = {}
    posts = []
    for index in range(count):
        fill = {
            "topic": rng.choice(TOPICS),
            "place": rng.choice(PLACES),
            "district": rng.choice(DISTRICTS),
            "format": rng.choice(FORMATS),
            "person": rng.choice(PEOPLE),
            "count": rng.randint(20, 150),
        }
        posted = start + timedelta(days=rng.randrange(span_days), minutes=rng.randrange(600))
        event_day = posted - timedelta(days=rng.randint(0, 3))
        fill["month"] = MONTHS[(posted.month + 1) % 12]
        fill["year"] = posted.year + (1 if posted.month >= 11 else 0)
        title = rng.choice(TITLES).format(**fill)
        slug = _slugify(title)
        used_slugs[slug] = used_slugs.get(slug, 0) + 1
        if used_slugs[slug] > 1:
            slug = f"{slug}-{used_slugs[slug]}"
        kind = rng.choices(["news", "press_release", "event"], weights=[7, 2, 2])[0]
        paragraphs = []
        if kind == "event":
            event_day = posted + timedelta(days=rng.randint(14, 60))
            times = rng.choice(["09:30 bis 15:30 Uhr", "13:00 bis 14:30 Uhr"])
            where = rng.choice(["online", fill["place"]])
            paragraphs.append(f"{event_day:%d.%m.%Y} | {times} | {where}")
        elif kind == "press_release":
            paragraphs.append(f"Pressemitteilung, {event_day:%d.%m.%Y}")
        elif posted.year not in (2019, 2020):
            paragraphs.append(_dateline(rng, fill["place"], event_day))
        for _ in range(rng.randint(3, 6)):
            sentences = rng.sample(SENTENCES, k=rng.randint(2, 4))
            fill["person"] = rng.choice(PEOPLE)
            paragraphs.append(" ".join(s.format(**fill) for s in sentences))
        body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
        categories = {
            "news": ("willkommen", "news_archiv"),
            "press_release": ("willkommen", "pressemitteilungen"),
            "event": ("veranstaltungen",),
        }[kind]
        posts.append(
            Entry(
                id=FIRST_ID + index,
                slug=slug,
                title=title,
                posted=posted,
                modified=posted + timedelta(hours=rng.randint(0, 48)),
                body=body,
                kind=kind,
                type=kind,
                source=SYNTHETIC_SOURCE,
                categories=categories,
                expect={"event_start": f"{event_day:%Y-%m-%d}"} if kind == "event" else {},
            )
        )
    return tuple(posts)
