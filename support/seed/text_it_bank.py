"""Italian threads about the bank account, cards and digital identity (same shape as text_it_mobile)."""

TOPICS = [
    {"tags": ["bonifico", "conto"], "kind": "bank", "cases": [
        {"titles": ["Bonifico di {amount}€ partito ma il destinatario non l'ha ricevuto",
                    "Bonifico verso {bank}: quanto ci mette ad arrivare?"],
         "bodies": ["Ho fatto un bonifico ordinario di {amount}€ verso un conto {bank} {past}. Nei movimenti risulta "
                    "eseguito, ma il destinatario dice che non gli è arrivato nulla. Devo preoccuparmi?"],
         "answers": ["Un bonifico **ordinario** arriva in 1 giorno lavorativo, ma se l'hai fatto dopo le 16 o nel weekend "
                     "parte il giorno lavorativo successivo. Nel dettaglio del movimento trovi il **CRO/TRN**: dallo al "
                     "destinatario, così la sua banca può rintracciarlo.",
                     "Se l'hai fatto di venerdì pomeriggio arriva lunedì, i bonifici ordinari non viaggiano nel weekend. "
                     "Se ti serve che arrivi subito, la prossima volta usa l'**istantaneo**."]},
        {"titles": ["Bonifico istantaneo rifiutato con \"{app_error}\"", "Non riesco a fare un bonifico istantaneo"],
         "bodies": ["Provo a fare un bonifico istantaneo di {amount}€ dall'app ma dopo la conferma con il codice compare "
                    "\"{app_error}\". Il saldo c'è, non capisco perché non parta."],
         "answers": ["Il bonifico istantaneo ha dei limiti giornalieri che puoi cambiare:\n\n"
                     "1. apri l'app e vai in **Conto > Limiti**;\n2. alza il limite per i bonifici istantanei;\n"
                     "3. conferma con l'impronta o il PIN.\n\nSe la banca del destinatario non aderisce all'istantaneo, "
                     "devi fare un ordinario.",
                     "A me succedeva con i conti appena aperti: per il primo mese il limite dell'istantaneo è basso. "
                     "Dopo 30 giorni si alza da solo, intanto fai un ordinario."]},
        {"titles": ["Come annullo un bonifico programmato?", "Bonifico ricorrente per l'affitto: come lo fermo?"],
         "bodies": ["Ho impostato un bonifico ricorrente per l'affitto ma ho cambiato casa e non mi serve più. Non trovo "
                    "il tasto per annullarlo, qualcuno sa dove si trova?"],
         "answers": ["I bonifici programmati si gestiscono da **Pagamenti > Bonifici > Programmati**: apri quello che ti "
                     "interessa e scegli **Revoca**. Si può fare fino al giorno lavorativo prima dell'esecuzione. Guida: "
                     "[bonifici programmati](https://example.com/aiuto/bonifici)."]},
        {"titles": ["Ho sbagliato l'IBAN in un bonifico, cosa posso fare?"],
         "bodies": ["Ho fatto un bonifico da {amount}€ {past} e mi sono accorto di aver sbagliato due cifre dell'IBAN. "
                    "Il bonifico risulta eseguito. Si può bloccare?"],
         "answers": ["Se l'IBAN non esiste, il bonifico torna indietro da solo in qualche giorno. Se invece è finito sul "
                     "conto di un'altra persona, chiedi il **richiamo del bonifico** dal dettaglio del movimento: la "
                     "banca del destinatario chiede a lui il consenso a restituirlo."]},
    ]},
    {"tags": ["app", "accesso"], "kind": "bank", "cases": [
        {"titles": ["L'app si chiude appena la apro sul mio {phone}", "Dopo l'aggiornamento a {os} l'app non parte"],
         "bodies": ["L'app si chiude subito dopo il logo {when}, sul mio {phone} con {os}. Ho già provato a reinstallarla ma "
                    "non cambia niente. Devo fare un pagamento, qualcuno ha lo stesso problema?"],
         "answers": ["Prova così, ha funzionato a più persone:\n\n1. **svuota la cache** dell'app (Android: Impostazioni > "
                     "App > Passaparola > Memoria);\n2. aggiorna l'app all'ultima versione;\n3. riavvia il telefono.\n\n"
                     "Se ancora si chiude, è un problema noto con {os}: trovi gli aggiornamenti sulla pagina "
                     "[stato dei servizi](https://example.com/stato).",
                     "Stesso problema sul mio {phone}. Si è risolto con l'aggiornamento dell'app uscito due giorni dopo: "
                     "controlla sullo store se c'è una versione nuova."]},
        {"titles": ["Non riesco a fare il login nell'app: \"{app_error}\"", "Login dall'app impossibile, dal sito funziona"],
         "bodies": ["Inserisco utente e password corretti ma compare \"{app_error}\". Dal sito invece riesco a entrare. "
                    "Sono l'unico?"],
         "answers": ["Quell'errore compare spesso quando l'ora del telefono non è automatica. Vai nelle impostazioni di "
                     "data e ora, attiva **Imposta automaticamente** e riprova il login.",
                     "Prova a **disinstallare e reinstallare** l'app: al primo accesso ti chiede di associare di nuovo "
                     "il telefono con un codice SMS e di solito l'errore sparisce."]},
        {"titles": ["L'impronta digitale non funziona più per entrare nell'app", "Face ID non va più dopo il cambio telefono"],
         "bodies": ["Da quando ho cambiato telefono (ora ho un {phone}) l'accesso con l'impronta non funziona più e devo "
                    "scrivere ogni volta la password. Come si riattiva?"],
         "answers": ["Dopo un cambio telefono bisogna **registrare di nuovo il dispositivo**: entra con la password, vai in "
                     "**Profilo > Sicurezza > Dispositivi** e attiva l'accesso biometrico. Il vecchio telefono lo puoi "
                     "rimuovere dalla stessa pagina."]},
        {"titles": ["L'app chiede sempre il codice SMS ad ogni accesso"],
         "bodies": ["Ogni volta che apro l'app mi chiede il codice via SMS, anche se entro dallo stesso telefono. È "
                    "normale? È scomodissimo."],
         "answers": ["Non è normale: vuol dire che il telefono non risulta **dispositivo di fiducia**. Vai in **Profilo > "
                     "Sicurezza > Dispositivi** e imposta questo telefono come principale; da lì in poi basta l'impronta "
                     "o il PIN."]},
    ]},
    {"tags": ["carta", "pagamenti"], "kind": "bank", "cases": [
        {"titles": ["Carta rifiutata: \"{card_error}\"", "La carta non passa al supermercato"],
         "bodies": ["Ieri al supermercato a {city} la carta che finisce con {last4} è stata rifiutata con "
                    "\"{card_error}\". Il saldo c'è e fino alla settimana scorsa funzionava."],
         "answers": ["Spesso è il **limite di spesa** o un blocco di sicurezza. Nell'app vai in **Carte > Gestisci > "
                     "Limiti e blocchi** e verifica che i pagamenti nei negozi siano attivi e che il limite mensile non "
                     "sia stato raggiunto.",
                     "A me succedeva con i pagamenti sopra i 50€ in contactless: quando il POS chiede di inserire la "
                     "carta, va inserita nel lettore e va digitato il PIN, altrimenti viene rifiutata."]},
        {"titles": ["Carta bloccata dopo tre PIN sbagliati", "Ho sbagliato il PIN del bancomat tre volte"],
         "bodies": ["Ho sbagliato il PIN tre volte al bancomat e adesso la carta risulta bloccata. Devo chiederne una "
                    "nuova o si può sbloccare?"],
         "answers": ["Dopo tre PIN sbagliati la carta si blocca per sicurezza, ma non serve cambiarla:\n\n"
                     "1. **Carte > Gestisci > Sblocca PIN**;\n2. conferma con il codice dell'app;\n"
                     "3. fai un'operazione a un ATM con il PIN giusto entro 24 ore.\n\n"
                     "Se non ricordi il PIN, puoi vederlo da **Carte > Mostra PIN**."]},
        {"titles": ["Pagamento contactless con lo smartphone non funziona", "Google Pay non funziona al POS"],
         "bodies": ["Ho aggiunto la carta a Google Pay sul mio {phone} ma quando avvicino il telefono al POS non succede "
                    "niente. Con la carta fisica invece va."],
         "answers": ["Controlla che l'**NFC** sia attivo e che il wallet sia impostato come app di pagamento predefinita. "
                     "Su alcuni telefoni va anche disattivato il risparmio energetico. Guida: "
                     "[pagare con lo smartphone](https://example.com/aiuto/wallet).",
                     "Sul mio {phone} il problema era la cover con il portacarte: la carta dentro la cover disturbava "
                     "l'NFC. Tolta quella, funziona al primo colpo."]},
        {"titles": ["Addebito doppio sulla carta dopo un acquisto online"],
         "bodies": ["Ho comprato online una cosa da {amount}€ e sulla carta vedo due addebiti uguali. Il negozio dice che "
                    "ne ha ricevuto solo uno."],
         "answers": ["Spesso uno dei due è solo una **pre-autorizzazione** che sparisce da sola in 5-7 giorni lavorativi. "
                     "Se dopo una settimana ci sono ancora entrambi, apri una contestazione da **Carte > Movimenti > "
                     "Contesta**."]},
    ]},
    {"tags": ["spid", "identita"], "kind": "bank", "cases": [
        {"titles": ["Come attivo lo SPID con il conto Passaparola?", "SPID dall'app: che documenti servono?"],
         "bodies": ["Ho letto che con il conto si può attivare lo SPID senza andare alla posta. Qualcuno l'ha fatto? Che "
                    "documenti servono?"],
         "answers": ["Sì, si fa dall'app in **Servizi > SPID**: servono carta d'identità valida, tessera sanitaria e un "
                     "numero di cellulare intestato a te. Il riconoscimento avviene con l'app stessa, in 10 minuti è fatto.",
                     "L'ho fatto il mese scorso: la mia carta d'identità era scaduta da poco e non è stata accettata, "
                     "quindi controlla prima la scadenza. Per il resto sono dieci minuti."]},
        {"titles": ["SPID: il riconoscimento con bonifico non va a buon fine"],
         "bodies": ["Sto facendo lo SPID con il riconoscimento tramite bonifico da 1 centesimo, ma dopo una settimana la "
                    "pratica è ancora in verifica."],
         "answers": ["Il riconoscimento con bonifico richiede che il conto sia **intestato a te** (non cointestato) e può "
                     "richiedere fino a 5 giorni lavorativi. Se è passato di più, scrivi all'assistenza SPID dalla "
                     "[pagina dedicata](https://example.com/aiuto/spid)."]},
        {"titles": ["Ho cambiato numero di cellulare, come aggiorno lo SPID?"],
         "bodies": ["Ho cambiato numero e ora non mi arriva l'SMS dello SPID. Non riesco a entrare sul sito dell'INPS."],
         "answers": ["Entra con le credenziali e il codice generato dall'app (non quello via SMS), poi vai in **Profilo "
                     "SPID > Contatti > Modifica cellulare**. La modifica vale subito."]},
    ]},
    {"tags": ["home-banking", "sicurezza"], "kind": "bank", "cases": [
        {"titles": ["Home banking dal computer: non arriva la notifica per confermare"],
         "bodies": ["Quando entro nell'home banking dal PC devo confermare con una notifica sull'app, ma sul mio {phone} non "
                    "arriva niente. Così non riesco a entrare."],
         "answers": ["Per le notifiche che non arrivano:\n\n1. controlla che le notifiche dell'app siano attive;\n"
                     "2. togli l'app dal **risparmio batteria**;\n3. in **Profilo > Sicurezza** verifica che il tuo {phone} "
                     "sia il dispositivo autorizzato.",
                     "Nell'attesa puoi entrare scegliendo **Conferma con codice** invece della notifica: il codice lo "
                     "generi dall'app anche senza connessione."]},
        {"titles": ["Ho ricevuto un SMS strano dalla \"banca\", è una truffa?", "SMS con link per sbloccare il conto: è vero?"],
         "bodies": ["Mi è arrivato un SMS che dice che il mio conto è sospeso e che devo cliccare un link per verificare "
                    "i dati. Sembra vero, c'è anche il nome della banca. Devo preoccuparmi?"],
         "answers": ["È una **truffa** (smishing): la banca non manda mai link per \"verificare i dati\". Non cliccare, "
                     "cancella il messaggio e se hai già inserito qualcosa blocca subito carta e accesso dall'app in "
                     "**Sicurezza > Blocca tutto**. Più informazioni: [sicurezza](https://example.com/sicurezza).",
                     "È una truffa, ne arrivano tantissime in questo periodo. Puoi inoltrare l'SMS a "
                     "**sicurezza@example.com**, così lo segnalano e fanno bloccare il sito."]},
        {"titles": ["Home banking bloccato dopo troppi tentativi", "Come cambio la password dell'home banking?"],
         "bodies": ["Ho sbagliato la password troppe volte e ora l'home banking dice \"{app_error}\". Come si sblocca?"],
         "answers": ["Dopo troppi tentativi l'accesso si blocca per 30 minuti. Poi puoi usare **Password dimenticata** "
                     "dal sito: arriva un codice via SMS e la reimposti."]},
    ]},
    {"tags": ["iban", "conto"], "kind": "bank", "cases": [
        {"titles": ["Dove trovo l'IBAN del mio conto?"],
         "bodies": ["Devo dare l'IBAN al commercialista ma nell'app non lo trovo. Dove si vede?"],
         "answers": ["L'IBAN è in **Conto > Dettagli conto**, con il tasto per copiarlo o condividerlo in PDF. È un codice "
                     "di 27 caratteri che inizia con **IT**."]},
        {"titles": ["Il datore di lavoro dice che il mio IBAN non è valido"],
         "bodies": ["Ho comunicato il mio IBAN all'ufficio del personale ma mi dicono che il sistema lo rifiuta come non "
                    "valido. L'ho copiato dall'app, com'è possibile?"],
         "answers": ["A volte i gestionali delle aziende non accettano gli IBAN delle banche online, ma rifiutarli non è "
                     "permesso (si chiama *IBAN discrimination*). Chiedi di riprovare e, se rifiutano ancora, puoi "
                     "segnalarlo: [maggiori informazioni](https://example.com/aiuto/iban).",
                     "Controlla che l'ufficio non abbia scritto male qualche cifra: a me avevano scambiato una **O** con "
                     "uno **zero**. L'IBAN italiano ha 27 caratteri."]},
        {"titles": ["Posso ricevere lo stipendio su un IBAN Passaparola?", "Accredito dello stipendio: ci sono costi?"],
         "bodies": ["Ho aperto il conto da poco e vorrei farmi accreditare lo stipendio qui invece che su {bank}. Ci sono "
                    "costi o limiti?"],
         "answers": ["Nessun costo per ricevere lo stipendio. Scarica il **modulo accredito stipendio** da **Conto > "
                     "Documenti** e consegnalo all'ufficio del personale."]},
    ]},
    {"tags": ["bollette", "addebito"], "kind": "bank", "cases": [
        {"titles": ["Come domicilio le bollette della luce sul conto?"],
         "bodies": ["Vorrei pagare le bollette della luce direttamente dal conto invece che con il bollettino. Che cosa "
                    "devo fare, devo chiamare il fornitore?"],
         "answers": ["La domiciliazione si chiede al **fornitore** (luce, gas, telefono) dando il tuo IBAN: è lui che "
                     "attiva il mandato SEPA. Dopo il primo addebito lo vedi in **Pagamenti > Addebiti diretti**."]},
        {"titles": ["Bolletta del gas addebitata due volte"],
         "bodies": ["Questo mese mi hanno addebitato due volte la bolletta del gas da {amount}€. Come recupero i soldi?"],
         "answers": ["Per un addebito SEPA doppio puoi chiedere il **rimborso entro 8 settimane** senza dover spiegare "
                     "niente:\n\n1. apri il movimento;\n2. tocca **Richiedi rimborso**;\n3. conferma.\n\n"
                     "I soldi tornano in pochi giorni."]},
        {"titles": ["Pagare un avviso PagoPA dall'app", "Si può pagare la TARI dall'app?"],
         "bodies": ["Ho un avviso PagoPA della TARI da pagare entro fine {month}. Si può fare dall'app?"],
         "answers": ["Sì, da **Pagamenti > PagoPA**: inquadri il QR code dell'avviso e confermi. La ricevuta arriva anche "
                     "per mail. Guida: [pagare PagoPA](https://example.com/aiuto/pagopa)."]},
        {"titles": ["Addebito diretto SEPA rifiutato, perché?"],
         "bodies": ["Il fornitore della luce mi scrive che l'addebito della bolletta di {month} è stato rifiutato dalla "
                    "banca. Sul conto i soldi c'erano."],
         "answers": ["Controlla in **Pagamenti > Addebiti diretti** se il mandato è **attivo**: se il fornitore ha "
                     "cambiato il codice creditore, il vecchio mandato non vale più e va riattivato da lì."]},
    ]},
]
