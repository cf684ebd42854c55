"""What the support side of the demo says: escalation reasons, private staff notes, CSAT comments.

Seed content, not interface text: written in the thread's language, never translated.
"""

# What an asker writes when pressing "I still need help".
REASONS = {
    "it": [
        "Ho provato tutto quello che mi avete suggerito ma il problema c'è ancora.",
        "Mi serve una risposta ufficiale, la community non sa dirmi di più.",
        "È urgente: senza questo servizio non posso lavorare.",
        "Nessuna delle risposte risolve il mio caso, potete verificare voi?",
        "Ho bisogno che qualcuno controlli la mia utenza, da solo non ci riesco.",
    ],
    "en": [
        "I tried everything suggested here and it still does not work.",
        "I need an official answer, the community cannot tell me more.",
        "This is urgent: I cannot work without it.",
        "None of the answers fit my case, can support check my account?",
    ],
}

# Private staff notes, by the moment of the escalation they are written at.
NOTES = {
    "it": {
        "taken": [
            "Presa in carico. Verifico lo storico dell'utenza prima di rispondere.",
            "Me ne occupo io: controllo i log del provisioning della SIM.",
            "Presa in carico, il cliente è su offerta business: priorità alta.",
            "Vedo due ticket simili questa settimana, potrebbe essere lo stesso guasto.",
        ],
        "working": [
            "Ho chiamato il cliente: conferma il problema, gli ho chiesto uno screenshot dell'errore.",
            "In attesa del team rete: segnalazione aperta sulla cella della zona.",
            "Il cliente non risponde al telefono, riprovo nel pomeriggio.",
            "Inoltrato al back office pagamenti, tempi stimati 24 ore.",
            "Verificato: la SIM risulta attiva lato sistemi, il problema è sul terminale.",
            "Chiesto al team app se il codice errore PP-102 è noto: sì, fix nella prossima release.",
        ],
        "resolved": [
            "Risolto al telefono con il cliente, ha confermato che ora funziona.",
            "Chiuso: la risposta della community era corretta, l'ho verificata.",
            "Rimborso disposto dal back office, il cliente è stato avvisato via SMS.",
            "Il team rete ha sistemato la cella, il cliente conferma che la linea è tornata.",
        ],
    },
    "en": {
        "taken": [
            "Taking this one. Checking the account history before replying.",
            "On it: looking at the SIM provisioning logs.",
            "Taken. Customer is travelling, replying in English.",
        ],
        "working": [
            "Called the customer: confirmed the issue, asked for a screenshot of the error.",
            "Waiting for the network team: ticket open on the cell in that area.",
            "Customer did not pick up, will try again this afternoon.",
            "Passed to the payments back office, they say 24 hours.",
            "Checked: the SIM is active on our side, the problem is the handset settings.",
        ],
        "resolved": [
            "Sorted on the phone with the customer, confirmed working now.",
            "Closing: the community answer was right, I verified it.",
            "Refund issued by the back office, customer told by email.",
        ],
    },
}

# CSAT comments, by how it went: low (1-2), mid (3) and high (4-5).
CSAT_COMMENTS = {
    "it": {
        "low": ["Ci è voluto troppo tempo.", "Alla fine ho dovuto chiamare il servizio clienti.",
                "Risposta gentile ma il problema non è risolto davvero."],
        "mid": ["Risolto, ma ci sono voluti due giorni.", "Ok, anche se avrei preferito una risposta più chiara."],
        "high": ["Velocissimi, grazie!", "Risolto in pochi minuti, community fantastica.",
                 "Gentilissima Giulia, tutto chiaro.", "Finalmente una risposta precisa, grazie a tutti.",
                 "Perfetto, non pensavo fosse così semplice."],
    },
    "en": {
        "low": ["Took far too long.", "In the end I had to call the helpline."],
        "mid": ["Sorted, but it took two days.", "Fine, though the first answers were confusing."],
        "high": ["Super quick, thank you!", "Sorted in minutes, great community.",
                 "Sarah was really helpful.", "Clear answer at last, thanks everyone."],
    },
}
