"""Italian texts: the topics plus the phrases any thread may use (greetings, short replies, comments)."""

from .text_it_bank import TOPICS as BANK_TOPICS
from .text_it_mobile import TOPICS as MOBILE_TOPICS

TOPICS = MOBILE_TOPICS + BANK_TOPICS

OPENERS = ["Ciao a tutti,", "Buongiorno,", "Salve,", "Ciao community!", "", "", "Buonasera a tutti,", "Ciao,"]
CLOSERS = ["Grazie in anticipo!", "Qualcuno sa come fare?", "Grazie mille a chi risponde.", "", "Grazie!",
           "Qualcuno ha avuto lo stesso problema?", "Aiuto per favore 🙏", "Grazie per l'aiuto."]
# Said when a plain title is already taken, as people do when they ask again.
TITLE_VARIANTS = ["Aiuto: {title}", "{title} - {phone}", "{title} (urgente)", "{title}, succede anche a voi?"]
EXTRAS = {
    "mobile": ["Ho già provato a riavviare il telefono più volte.", "Ho già tolto e rimesso la SIM, niente.",
               "Il telefono è un {phone} con {os}.", "Sono a {city}, se può essere utile.",
               "Prima ero con {operator} e non mi era mai successo."],
    "bank": ["Ho già provato a uscire e rientrare nell'app.", "Ho l'ultima versione dell'app sul mio {phone}.",
             "Il conto l'ho aperto da un paio di mesi.", "Prima avevo il conto con {bank}, lì era più semplice."],
}
ANSWER_OPENERS = ["Ciao {asker}!", "Ciao,", "Mi è successo lo stesso il mese scorso.", "Ciao {asker}, provo ad aiutarti.",
                  "", "", ""]
ANSWER_CLOSERS = ["Fammi sapere se funziona!", "Spero di averti aiutato.", "In bocca al lupo!", "Facci sapere!", "", "", ""]
SHORT_ANSWERS = {
    "mobile": ["Prova a riavviare il telefono e ad attivare e disattivare la modalità aereo: a me spesso basta questo.",
               "Hai controllato che il credito non sia a zero? Se la linea è sospesa succede proprio questo.",
               "Scrivi all'assistenza dall'app, sezione **Aiuto > Contattaci**: di solito rispondono in giornata.",
               "Stessa cosa successa a me con un {phone}, il giorno dopo si è risolto da solo.",
               "Guarda sulla pagina dello stato della rete se c'è un guasto nella tua zona, ogni tanto capita.",
               "Hai provato la SIM in un altro telefono? Così capisci subito se il problema è la SIM o il telefono."],
    "bank": ["Controlla nell'app in **Conto > Movimenti**: se l'operazione è *in lavorazione* bisogna solo aspettare.",
             "A me era successo uguale, dopo 24 ore si è sistemato tutto senza fare niente.",
             "Prova ad aggiornare l'app: l'ultima versione ha corretto parecchi errori di questo tipo.",
             "Dal sito a volte funziona anche quando l'app no, prova da lì intanto.",
             "Io ho risolto con la chat dell'assistenza, sono stati veloci e gentili.",
             "Controlla che non ci sia un blocco di sicurezza attivo in **Profilo > Sicurezza**, a me era quello."],
}
# (wrong-ish answer, the comment that puts it right)
WRONG_ANSWERS = {
    "mobile": [("Secondo me devi per forza andare in un negozio, online non si può fare.",
                "Non è necessario andare in negozio, si fa tutto dall'app."),
               ("Io farei un reset di fabbrica del telefono, così si sistema tutto.",
                "Sconsiglio il reset di fabbrica: si perdono i dati e per questo problema non serve."),
               ("Cambia operatore e non ci pensi più 😅", "Per un problema così non serve cambiare operatore."),
               ("Mi sa che è un problema di {operator}, non di Passaparola.",
                "{operator} non c'entra, è una questione di impostazioni del telefono.")],
    "bank": [("Di sabato e domenica la banca è chiusa, non c'è niente da fare fino a lunedì.",
              "Non è così, dall'app si può fare anche nel weekend."),
             ("Io chiuderei il conto e ne aprirei un altro, fai prima.",
              "Chiudere il conto per questo è esagerato, si risolve in due minuti."),
             ("Per queste cose serve andare in filiale con un documento, dall'app non si può.",
              "Si fa anche dall'app, in filiale non serve andare.")],
}
STAFF_INTRO = ["Ciao {asker}, sono {staff} del team Passaparola.", "Ciao {asker}, grazie per la segnalazione.",
               "Buongiorno {asker}, ti rispondo dall'assistenza."]
STAFF_OUTRO = ["Se il problema resta, scrivici in privato da **Aiuto > Contattaci** e controlliamo la tua linea.",
               "Facci sapere se è tutto a posto!", "Un saluto dal team Passaparola."]
COMMENTS = {
    "asker_question": {
        "mobile": ["Aggiungo: il telefono è un {phone} aggiornato a {os}.", "Dimenticavo: ho l'offerta {plan}.",
                   "Per chi me lo ha chiesto: sono a {city}.", "Qualcuno? 🙏"],
        "bank": ["Aggiungo: uso l'app sul mio {phone} con {os}.", "Il conto è solo a mio nome, non cointestato.",
                 "Dimenticavo: prima avevo il conto con {bank}.", "Qualcuno? 🙏"],
    },
    "asker_thanks": ["Grazie, ha funzionato! 🙌", "Risolto seguendo i passaggi, grazie mille!",
                     "Perfetto, era proprio quello. Grazie!", "Grazie {answerer}, tutto a posto adesso."],
    "asker_reply": ["Grazie, provo stasera e vi faccio sapere.", "Avevo già provato, purtroppo non cambia nulla.",
                    "Non trovo quella voce nel menu, forse è cambiata?"],
    "peer": ["Confermo, anche a me ha funzionato così.", "Ottima spiegazione, la salvo nei preferiti.",
             "Anche a me succedeva la stessa cosa a {city}, risolto così.", "Grazie, utile anche per me!"],
    "staff": ["Ciao, ti abbiamo scritto in privato per verificare la linea.",
              "Grazie per la segnalazione, stiamo controllando e ti aggiorniamo qui.",
              "Ciao {asker}, ci mandi in privato il numero della pratica? Così verifichiamo."],
}
