"""The gazetteer of the entity readers: known places, titles, role words, parties, stop words.

Data only: :mod:`archive.entities` holds the logic that reads names with these lists, and
:mod:`archive.dates` takes :data:`PLACES` to name the place of a dated opening sentence.
The lists are kept by hand. Places, role words and the capitalised words that are not names
come from the site's own posts (the seed texts in ``tests/fixtures/seeds`` and the
replicated pages), filled up with common ones (see the comment at each list); titles,
parties and legal forms are the usual German ones. Every reader that uses a list changes
with it, so add an entry only where the text marks a name clearly (precision over recall).
"""

from __future__ import annotations

# Thüringen towns and districts seen in the seeds, common ones, and the other places the
# site names. The Länder are left out on purpose: "Thüringen" is in nearly every post.
PLACES: tuple[str, ...] = (
    # kreisfreie Städte and towns
    "Erfurt", "Jena", "Weimar", "Gera", "Gotha", "Suhl", "Eisenach", "Altenburg", "Apolda",
    "Nordhausen", "Sömmerda", "Kölleda", "Arnstadt", "Ilmenau", "Rudolstadt", "Saalfeld",
    "Meiningen", "Mühlhausen", "Sondershausen", "Greiz", "Pößneck", "Schmalkalden",
    "Sonneberg", "Hildburghausen", "Heilbad Heiligenstadt", "Bad Langensalza", "Zeulenroda",
    "Leinefelde-Worbis", "Bad Salzungen", "Schleiz", "Eisenberg", "Stadtroda", "Artern",
    # Landkreise
    "Altenburger Land", "Weimarer Land", "Wartburgkreis", "Kyffhäuserkreis",
    "Saale-Orla-Kreis", "Saale-Holzland-Kreis", "Schmalkalden-Meiningen", "Ilmkreis",
    "Ilm-Kreis", "Saalfeld-Rudolstadt", "Unstrut-Hainich-Kreis", "Eichsfeld",
    # elsewhere
    "Nürnberg", "Warschau", "Hamburg", "Berlin", "Leipzig", "Dresden", "Magdeburg",
    "Halle (Saale)", "Zürich", "Emscherregion", "Rudolstadt-Schwarza",
)  # fmt: skip

# Places that are also common words ("Essen"): taken only after "in", "nach", "aus" or a
# comma ("Auftraggeber: Emschergenossenschaft, Essen").
AMBIGUOUS_PLACES: tuple[str, ...] = ("Essen",)

TITLES = (
    r"Prof\.", r"Dr\.", r"PD", r"Jun\.-Prof\.", r"apl\.", r"Hon\.-Prof\.", r"em\.",
    r"Dr\.-Ing\.", r"phil\.", r"rer\.\s?(?:pol|nat|soc|oec)\.", r"med\.", r"jur\.", r"h\.\s?c\.",
    r"habil\.", r"Dipl\.-[\wÄÖÜäöü.]+(?:\s?\(FH\))?", r"M\.\s?(?:A|Sc|Ed)\.", r"B\.\s?(?:A|Sc)\.",
    r"MBA", r"LL\.\s?M\.", r"Mag\.", r"Herr", r"Frau",
)  # fmt: skip

# Role words before a name ("Sozialministerin Heike Werner"); a feminine -in is allowed.
ROLES_BEFORE = (
    "Prozessberater", "Prozessbegleiter", "Sozialminister", "Minister", "Staatssekretär",
    "Landrat", "Landrätin", "Oberbürgermeister", "Bürgermeister", "Programmleiter",
    "Projektleiter", "Institutsleiter", "Sozialplaner", "Referent", "Referatsleiter",
    "Moderator", "Geschäftsführer", "Schirmherr", "Professor", "Dezernent", "Sozialdezernent",
    "Amtsleiter", "Jugendamtsleiter", "Koordinator", "Projektkoordinator", "Kollege",
    "Landesbeauftragter", "Landesbeauftragte", "Beigeordnete", "Beigeordneter",
)  # fmt: skip
# Role words after a name and a comma ("Markus Büchel, Referent für ...").
ROLES_AFTER = ROLES_BEFORE + (
    "Vorsitzender", "Vorsitzende", "Leiter", "Leiterin", "Mitarbeiter", "Mitarbeiterin",
    "Institutsleitung", "Projektleitung", "Programmleitung", "Sprecher", "Sprecherin",
)  # fmt: skip
ROLE_ADJECTIVES = r"(?:wissenschaftliche[r]?|stellvertretende[r]?|stellv\.|ehemalige[r]?)"

# Labels of contact lines whose value is a list of names.
CONTACT_LABELS = (
    r"Ansprechpartner(?:in|innen|\*innen|:innen)?", r"Ansprechperson(?:en)?",
    r"Kontaktperson(?:en)?", r"Projektleitung", r"Projektleiter(?:in)?", r"Programmleitung",
    r"Leitung", r"Moderation", r"Referent(?:in|innen|\*innen)?", r"Autor(?:in|en|innen)?",
)  # fmt: skip

PARTIES = (
    "CDU", "CSU", "SPD", "FDP", "AfD", "DIE LINKE", "Die Linke", "LINKE", "GRÜNE", "Grüne",
    "BÜNDNIS 90/DIE GRÜNEN", "Bündnis 90/Die Grünen", "BSW", "parteilos",
)  # fmt: skip

# Capitalised words that are not parts of names (sentence openers, nouns, adjectives).
NOT_NAME_WORDS = frozenset(
    {
        "Der", "Die", "Das", "Des", "Dem", "Den", "Ein", "Eine", "Im", "Am", "An", "Auf", "Aus",
        "Bei", "Mit", "Von", "Vom", "Zum", "Zur", "Für", "Nach", "Und", "Oder", "Auch", "Zudem",
        "Dazu", "Dann", "Heute", "Laut", "Sowie", "So", "Wie", "Als", "Herr", "Frau", "Team",
        "Thüringer", "Thüringen", "Ministerium", "Institut", "Instituts", "Stadt", "Landkreis",
        "Freistaat", "Land", "Bund", "Projekt", "Programm", "Leiter", "Leiterin", "Leitung",
        "Referent", "Referentin", "Kontakt", "Telefon", "E-Mail", "Fotos", "Foto", "Bild",
        "Mitte", "Links", "Rechts", "Fachtag", "Prozessbegleitung", "Hochschule", "University",
        "College", "Universität", "Fakultät", "Stiftung", "Verein", "Vorstand", "Deutschland",
        "Europa", "Kommune", "Kommunen", "Anger", "Zuständigkeiten", "Sozialplanung",
    }
)  # fmt: skip

# Organisation markers and the small words a name may contain.
LEGAL_FORMS = r"e\.\s?V\.|gGmbH|GmbH"
ORG_CONNECTORS = frozenset({"für", "und", "zur", "zum", "im", "in", "am", "mit", "&", "an", "der"})
ORG_STOP_WORDS = frozenset(
    {"der", "des", "die", "dem", "den", "das", "ein", "eine", "einer", "eines", "vom", "von",
     "beim", "bei", "durch", "sowie", "oder"}
)  # fmt: skip
# Capitalised words that open a sentence rather than a name ("Die Lebenshilfe e.V.").
ORG_LEADING_STOP = frozenset(
    {"der", "die", "das", "des", "dem", "den", "im", "in", "am", "an", "mit", "von", "vom",
     "zum", "zur", "für", "auch", "und", "dazu", "zudem", "sowie", "heute", "bei", "beim"}
)  # fmt: skip


__all__ = [
    "PLACES",
    "AMBIGUOUS_PLACES",
    "TITLES",
    "ROLES_BEFORE",
    "ROLES_AFTER",
    "ROLE_ADJECTIVES",
    "CONTACT_LABELS",
    "PARTIES",
    "NOT_NAME_WORDS",
    "LEGAL_FORMS",
    "ORG_CONNECTORS",
    "ORG_STOP_WORDS",
    "ORG_LEADING_STOP",
]
