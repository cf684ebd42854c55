"""The people of the demo community and the values its text templates are filled with."""

# One password for every demo account, printed by `python run.py` and in the README.
# It passes check_password_strength (the seed checks that before using it).
DEMO_PASSWORD = "passaparola-demo"

# (username, display name, role, locale, bio, languages they answer in). Nobody starts
# with points: they are earned in the replayed history through the ledger, which is how
# the top contributors reach the ranks that let them downvote and comment anywhere.
FIXED_MEMBERS = [
    ("admin", "Francesca (Admin)", "admin", "it", "Community manager di Passaparola.", ("it",)),
    ("supporto", "Giulia · Team Passaparola", "staff", "it", "Assistenza clienti Passaparola Mobile & Banca.", ("it",)),
    ("sarah.support", "Sarah · Passaparola Support", "staff", "en", "Passaparola customer support, English desk.", ("en",)),
    ("marco.ferri", "Marco Ferri", "member", "it",
     "Cliente dal 2016. Smartphone, reti e home banking: se posso aiuto volentieri.", ("it", "en")),
    ("lucia.tech", "Lucia T.", "member", "it", "Ingegnera delle telecomunicazioni, fan delle eSIM.", ("it",)),
    ("tom_in_milan", "Tom Harris", "member", "en", "British, living in Milan since 2015. Happy to help fellow expats.",
     ("en",)),
    ("chiara.rinaldi", "Chiara R.", "member", "it", None, ("it",)),
    ("emma.clarke", "Emma Clarke", "member", "en", None, ("en",)),
]
ADMIN, STAFF, STAFF_EN, TOP, TOP2, TOP_EN, MEMBER, MEMBER_EN = (m[0] for m in FIXED_MEMBERS)
TOP_CONTRIBUTORS = (TOP, TOP2, TOP_EN)

DEMO_LOGINS = [
    ("admin", ADMIN, DEMO_PASSWORD),
    ("staff", STAFF, DEMO_PASSWORD),
    ("top", TOP, DEMO_PASSWORD),
    ("member", MEMBER, DEMO_PASSWORD),
    ("member", MEMBER_EN, DEMO_PASSWORD),
]

# How many generated members speak each language; with FIXED_MEMBERS about 60 in all.
GENERATED_MEMBERS = {"it": 38, "en": 16}
# Generated members who answer often and so earn early the points to comment anywhere.
REGULARS = 8

FIRST_NAMES = {
    "it": """Giulia Marco Alessandro Francesca Luca Sara Matteo Martina Andrea Valentina Davide Elena
        Simone Federica Stefano Silvia Roberto Paola Giorgio Anna Lorenzo Laura Riccardo Alessia Fabio
        Ilaria Emanuele Serena Nicola Beatrice Gabriele Camilla Daniele Noemi Antonio Rosa Salvatore
        Marta Pietro Veronica Claudio Teresa Vincenzo Carmela Gennaro Rita""".split(),
    "en": """Oliver Sophie James Charlotte Hannah Daniel Amelia Jack Olivia Ryan Grace Liam Chloe Sam
        Lucy Ben Megan Noah Aisha Lukas Ana Pablo Mei Kofi""".split(),
}
LAST_NAMES = {
    "it": """Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti
        De_Luca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Caruso
        Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale Serra Coppola De_Santis D'Angelo
        Marchetti Sorrentino Pellegrini Cattaneo""".split(),
    "en": """Smith Jones Taylor Brown Wilson Evans Walker Wright Hughes Green Hall Wood Lewis Murphy
        O'Brien Kelly Fischer Novak Garcia Chen Mensah Schmidt Patel Kowalski""".split(),
}
NICKNAMES = {
    "it": ["tecnofede", "lupo_di_mare", "nonna.rosa", "ilbarese", "pendolare_mi", "sim_sala_bim",
           "zio_gigi", "lamponi.blu", "ciclista_to", "bradipo_digitale"],
    "en": ["nomad_dev", "pasta.lover", "erasmus_kat", "vespa_rider"],
}
BIOS = {
    "it": ["Cliente dal 2019.", "Pendolare Milano-Bergamo, sempre con il telefono in mano.",
           "Appassionata di viaggi (e di roaming che funziona).", "Piccolo commerciante, uso il conto per il negozio.",
           "Studente a Bologna.", "Pensionato curioso di tecnologia."],
    "en": ["Expat in Italy.", "Erasmus student in Bologna.", "Remote worker moving around Europe.",
           "Retired in Puglia, learning Italian slowly."],
}
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
CITY_NICKS = ("mi", "roma", "na", "to", "bo", "fi", "ba", "pa", "ve", "ge")

PHONES = ["iPhone 15", "iPhone 13 mini", "iPhone 12", "iPhone SE", "Samsung Galaxy S23", "Galaxy A54",
          "Galaxy A14", "Xiaomi Redmi Note 12", "Xiaomi 13T", "Pixel 8", "Pixel 7a", "Oppo A78",
          "Motorola Moto G84", "OnePlus Nord 3", "Huawei P30"]
OPERATORS = ["TIM", "Vodafone", "WindTre", "Iliad", "Fastweb", "ho. Mobile", "Kena", "Very Mobile",
             "PosteMobile", "CoopVoce"]
BANKS = ["Intesa Sanpaolo", "UniCredit", "BPER", "Banco BPM", "Poste Italiane", "Fineco", "ING",
         "Mediolanum", "N26", "Revolut"]
SYSTEMS = ["iOS 17.4", "iOS 18", "Android 14", "Android 13", "One UI 6", "HyperOS"]
APPS = ["WhatsApp", "Instagram", "YouTube", "Netflix", "Spotify", "Google Maps", "TikTok", "Teams"]
GIGA = ["50", "100", "150", "200"]
PLANS = ["Passaparola 150 Giga", "Giga Smart 50", "Start 10", "Family 200", "Young 100", "Estero Plus"]

SLOTS = {
    "it": {
        "city": ["Milano", "Roma", "Napoli", "Torino", "Bologna", "Firenze", "Bari", "Palermo", "Verona",
                 "Genova", "Padova", "Catania", "Trieste", "Cagliari", "Lecce", "Bergamo"],
        "country": ["Spagna", "Francia", "Grecia", "Croazia", "Svizzera", "Albania", "Portogallo",
                    "Germania", "Tunisia", "Turchia", "Egitto", "Giappone"],
        "when": ["da ieri sera", "da stamattina", "da tre giorni", "da lunedì", "da una settimana",
                 "dall'ultimo aggiornamento", "da quando sono tornato dalle ferie"],
        "past": ["ieri", "ieri sera", "lunedì", "tre giorni fa", "la settimana scorsa", "venerdì pomeriggio",
                 "stamattina"],
        "sim_error": ["SIM non valida", "Nessun servizio", "Solo chiamate di emergenza", "SIM non supportata",
                      "Nessuna SIM"],
        "app_error": ["Errore 403: operazione non consentita", "Codice errore PP-102",
                      "Servizio momentaneamente non disponibile", "Sessione scaduta, effettua di nuovo l'accesso",
                      "Errore di connessione, riprova più tardi"],
        "card_error": ["Transazione rifiutata (codice 05)", "Carta non abilitata", "Importo superiore al limite",
                       "Operazione non consentita"],
        "topup": ["5", "10", "15", "20", "25", "30", "50"],
        "amount": ["20", "35", "50", "80", "120", "250", "400", "1.200"],
        "price": ["6,99", "7,99", "9,99", "12,99", "14,99"],
        "month": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "settembre",
                  "ottobre", "novembre"],
    },
    "en": {
        "city": ["Milan", "Rome", "Naples", "Turin", "Bologna", "Florence", "Venice", "Bari", "Genoa",
                 "Palermo", "Verona", "Lecce"],
        "country": ["Spain", "France", "Greece", "Switzerland", "the UK", "the US", "Croatia", "Portugal",
                    "Germany", "Morocco", "Japan"],
        "when": ["since yesterday", "since this morning", "for three days now", "since Monday",
                 "for about a week", "since the last update", "since I got back from holiday"],
        "past": ["yesterday", "last night", "on Monday", "three days ago", "last week", "on Friday afternoon",
                 "this morning"],
        "sim_error": ["Invalid SIM", "No service", "Emergency calls only", "SIM not supported", "No SIM"],
        "app_error": ["Error 403: operation not allowed", "Error code PP-102", "Service temporarily unavailable",
                      "Session expired, please log in again", "Connection error, try again later"],
        "card_error": ["Transaction declined (code 05)", "Card not enabled", "Amount over limit",
                       "Operation not allowed"],
        "topup": ["5", "10", "15", "20", "25", "30", "50"],
        "amount": ["20", "35", "50", "80", "120", "250", "400", "1,200"],
        "price": ["6.99", "7.99", "9.99", "12.99", "14.99"],
        "month": ["January", "February", "March", "April", "May", "June", "July", "September", "October",
                  "November"],
    },
}
COMMON_SLOTS = {
    "phone": PHONES, "operator": OPERATORS, "bank": BANKS, "os": SYSTEMS, "app": APPS, "gb": GIGA, "plan": PLANS,
}
