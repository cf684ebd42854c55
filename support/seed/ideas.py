"""The demo's ideas board: proposals in Italian and English, votes, and the company's answers.

Replayed through the real services at past moments, like the rest of the seed, so votes,
follows, timelines, notifications and the delivered idea's points are all consistent.
"""

import random
from datetime import timedelta

from ..errors import ServiceError
from ..models.base import clock_at
from ..services import ideas
from .people import STAFF, STAFF_EN

DAY = 86400

# (language, title, body, tags, days ago, status or None, response)
IDEAS = [
    ("it", "Scambio SIM direttamente dall'app, senza andare in negozio",
     "Quando la SIM si rompe o passo all'eSIM devo andare in negozio. Sarebbe comodo poter richiedere lo "
     "scambio dall'app e attivare la nuova SIM con un codice.", ["sim", "esim", "app"], 80, "delivered",
     "Da oggi lo scambio SIM e il passaggio all'eSIM si fanno dall'app in **Profilo > SIM**. Grazie a chi l'ha proposto!"),
    ("it", "Avviso quando sto per finire i giga",
     "Vorrei una notifica quando resta il 10% dei dati, non solo quando sono finiti.", ["internet", "app"], 60,
     "in_progress", "Ci stiamo lavorando: la notifica al 10% arriverà con il prossimo aggiornamento dell'app."),
    ("it", "Bonifico istantaneo gratuito sopra i 1.000 euro", "Oggi il bonifico istantaneo è gratuito solo fino a "
     "1.000 euro. Molte banche lo offrono gratis senza limiti.", ["bonifico", "costi"], 50, "planned",
     "Abbiamo pianificato l'eliminazione del limite nel secondo trimestre, in linea con le nuove regole europee."),
    ("it", "Carta virtuale usa e getta per gli acquisti online", "Una carta virtuale che vale per un solo acquisto "
     "mi farebbe sentire più sicuro sui siti che non conosco.", ["carta", "sicurezza"], 40, "under_review",
     "Bella idea: il team prodotto la sta valutando insieme al reparto sicurezza. Vi aggiorniamo entro fine mese."),
    ("it", "Roaming incluso anche in Svizzera", "La Svizzera non è nell'UE ma per chi vive al confine sarebbe "
     "importante avere il roaming incluso.", ["roaming", "estero"], 35, "declined",
     "Per ora non possiamo includerla: le tariffe all'ingrosso con gli operatori svizzeri restano troppo alte. "
     "Abbiamo però abbassato il pacchetto Svizzera a 5 € a settimana."),
    ("it", "Modalità scura nell'app della banca", "L'app è molto luminosa la sera: una modalità scura sarebbe "
     "più riposante.", ["app"], 12, None, None),
    ("en", "Show my PUK in the app", "When my SIM locks I have to call to get the PUK. It could be in the app, "
     "behind the usual login.", ["pin-puk", "app"], 70, "delivered",
     "Done: your PUK is now under **Profile > SIM > Show PUK**, after logging in."),
    ("en", "English version of the monthly invoice", "The invoice PDF is only in Italian; a version in English "
     "would help expats.", ["billing", "expat"], 45, "under_review",
     "Thanks! We're checking with the billing team how to offer the invoice in more languages."),
    ("en", "Cheaper calls to the UK", "Many of us call family in the UK every week; a UK calling bundle would be great.",
     ["international", "costi"], 20, None, None),
    ("en", "Let me pick my top-up date", "Auto top-up happens on the day I joined; I'd like to choose it, e.g. right "
     "after payday.", ["top-up"], 8, None, None),
]
# A duplicate of the first idea, merged into it by staff.
DUPLICATE = ("it", "Cambio SIM online invece che in negozio", "Perché per cambiare SIM devo sempre andare in "
             "negozio? Fatelo fare online.", ["sim"], 78)


def seed_ideas(now, users, seed) -> None:
    rng = random.Random(seed * 31337 + 3)
    members = [u for u in users.values() if u.role == "member"]
    staff = {"it": users[STAFF], "en": users[STAFF_EN]}
    created = []
    for lang, title, body, tags, days_ago, status, response in IDEAS:
        author = rng.choice(members)
        with clock_at(now - timedelta(days=days_ago)):
            idea = ideas.post_idea(author, title, body, tags)
        created.append((idea, lang, days_ago, status, response))
        answered_ago = max(1, days_ago // 3)  # votes come before the company's answer
        for voter in rng.sample(members, min(len(members), rng.randrange(3, 18))):
            with clock_at(now - timedelta(days=days_ago, seconds=-rng.randrange(1, (days_ago - answered_ago) * DAY))):
                try:
                    ideas.vote(voter, idea.id)
                except ServiceError:  # own idea, or the voter's open votes are used up
                    pass
    lang, title, body, tags, days_ago = DUPLICATE
    with clock_at(now - timedelta(days=days_ago)):
        duplicate = ideas.post_idea(rng.choice(members), title, body, tags)
    with clock_at(now - timedelta(days=days_ago - 1)):
        ideas.merge(staff["it"], duplicate.id, created[0][0].id)
    for idea, lang, days_ago, status, response in created:
        if status:
            with clock_at(now - timedelta(days=max(1, days_ago // 3))):  # the same moment as above
                ideas.set_status(staff[lang], idea.id, status, response)
