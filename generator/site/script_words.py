"""The words of the site's scripts (map.js, network.js, timeline.js), from the catalog.

Each script, as the site serves it (`assets/dossier/map.js`...), begins by setting
`window.dossierWords`, so that one catalog holds every word of the site:
`{language, words: {key: text}, plurals: {key: [one, other]}}`. A script picks a plural
form with `Intl.PluralRules(language)` (`one` for 0 and 1 in French, for 1 only in
English) and replaces `%(num)s` and `%(name)s`.
"""

from __future__ import annotations

from generator.site.i18n import N_, Nn_, Words

SCRIPT_WORDS = {
    "zoomIn": N_("Zoom avant"),
    "zoomOut": N_("Zoom arrière"),
    "showAll": N_("Tout voir"),
    "timeline": N_("Frise des événements"),
    "timelineHelp": N_(
        "Flèches : d'un événement à l'autre ; Début et Fin : le premier et le dernier ; "
        "+ et − : zoom ; Entrée : ouvrir."
    ),
    "map": N_("Carte des lieux"),
    "close": N_("Fermer"),
    "mapHelp": N_(
        "Flèches : déplacer la carte ; + et − : zoom ; Tab : d'un lieu à l'autre ; Entrée : "
        "son nom et son lien (une seconde fois : sa fiche) ; Échap : retour à la carte."
    ),
    "outlines": N_("Contours : Natural Earth"),
    "person": N_("personnes"),
    "organisation": N_("organisations"),
    "place": N_("lieux"),
    "show": N_("Afficher"),
    "minimum": N_("Paragraphes en commun, au moins"),
    "back": N_("Retour au réseau entier"),
    "open": N_("Ouvrir la fiche"),
    "network": N_("Réseau des entités"),
    "networkHelp": N_(
        "Flèches : d'une entité à l'autre ; Entrée : ses voisins (une seconde fois : sa "
        "fiche) ; Échap : retour ; + et − : zoom."
    ),
}
SCRIPT_PLURALS = {
    "events": Nn_("%(num)s événement", "%(num)s événements"),
    "places": Nn_("%(num)s lieu", "%(num)s lieux"),
    "mentions": Nn_("%(num)s mention", "%(num)s mentions"),
    "links": Nn_("%(num)s lien", "%(num)s liens"),
    "shown": Nn_("%(num)s entité affichée", "%(num)s entités affichées"),
    "neighbours": Nn_("%(name)s et %(num)s voisin", "%(name)s et %(num)s voisins"),
}


def script_words(words: Words) -> dict[str, object]:
    """`window.dossierWords` in `words`' language."""
    return {
        "language": words.language,
        "words": {key: words._(msgid) for key, msgid in SCRIPT_WORDS.items()},
        "plurals": {
            # both languages have two forms: what 1 takes (`one`) and what 2 takes
            key: [words.catalog.ngettext(one, many, n) for n in (1, 2)]
            for key, (one, many) in SCRIPT_PLURALS.items()
        },
    }
