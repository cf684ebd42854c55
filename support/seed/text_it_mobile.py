"""Italian threads about the mobile line: each case is a problem with its titles, bodies and answers."""

TOPICS = [
    {"tags": ["sim", "attivazione"], "kind": "mobile", "cases": [
        {"titles": ["SIM nuova non si attiva, il mio {phone} dice \"{sim_error}\"", "Attivazione SIM bloccata da più di 24 ore",
                    "Ho ricevuto la SIM ma non riesco ad attivarla"],
         "bodies": ["Ho ordinato la SIM online e mi è arrivata {past}. L'ho inserita nel mio {phone} ma compare sempre "
                    "\"{sim_error}\" e non riesco né a chiamare né a navigare.",
                    "Ho fatto il riconoscimento con il video selfie e la mail dice che la SIM è attiva, però il "
                    "telefono continua a dire \"{sim_error}\". Ho provato anche con un altro telefono e non cambia niente."],
         "answers": ["Di solito l'attivazione richiede fino a 24 ore dopo il riconoscimento. Nel frattempo:\n\n"
                     "1. spegni il telefono, togli la SIM e rimettila;\n2. verifica che il PIN sia stato accettato;\n"
                     "3. vai in **Impostazioni > Rete mobile** e scegli l'operatore manualmente.\n\n"
                     "Se dopo 24 ore è ancora così, scrivi dall'app in **Aiuto > La mia SIM**.",
                     "Succede quando il riconoscimento è andato a buon fine ma l'abbinamento tra numero e SIM non è "
                     "ancora completato. Controlla nell'app in **Profilo > SIM** che il codice ICCID sia quello "
                     "stampato sulla tua SIM: se è diverso va segnalato all'assistenza. Guida: "
                     "[attivare la SIM](https://example.com/aiuto/attivare-sim)."]},
        {"titles": ["SIM sostitutiva arrivata ma il numero non funziona", "Cambio SIM: la nuova non prende, la vecchia sì"],
         "bodies": ["Mi hanno spedito la SIM sostitutiva perché la vecchia si era rovinata. La nuova è nel mio {phone} "
                    "{when} ma dice \"{sim_error}\", mentre con la vecchia il numero funziona ancora."],
         "answers": ["La sostituzione va **confermata** dopo aver inserito la nuova SIM: nell'app vai in **Profilo > "
                     "SIM > Attiva SIM sostitutiva** e inserisci il codice ICCID stampato sul retro. Da quel momento la "
                     "vecchia smette di funzionare e la nuova si attiva in circa 30 minuti.",
                     "A me è servito riavviare il telefono due volte dopo la conferma: la prima volta la rete non si "
                     "aggancia subito. Se dopo un'ora è ancora così, scrivi da **Aiuto > La mia SIM**."]},
        {"titles": ["La SIM non viene riconosciuta dal mio {phone}", "Il mio {phone} dice \"{sim_error}\" con la SIM Passaparola"],
         "bodies": ["Ho messo la SIM Passaparola nel mio {phone} appena comprato e compare \"{sim_error}\". Nel telefono "
                    "vecchio la stessa SIM funziona benissimo."],
         "answers": ["Se nel vecchio telefono va, non è la SIM. Controlla che il tuo {phone} non sia **bloccato su un altro "
                     "operatore** (succede con quelli comprati a rate): prova con la SIM di un amico. Se non va neanche "
                     "quella, devi chiedere lo sblocco a chi te l'ha venduto.",
                     "Anche a me era successo con un {phone}: il problema era la modalità **solo 5G** attiva. Mettila "
                     "su **4G/5G automatico** e riavvia, vedrai che si aggancia alla rete."]},
    ]},
    {"tags": ["ricarica", "pagamenti"], "kind": "mobile", "cases": [
        {"titles": ["Ricarica da {topup}€ addebitata ma il credito non è arrivato",
                    "Ricarica con carta: soldi scalati, credito fermo"],
         "bodies": ["Ho fatto una ricarica da {topup}€ con la carta {past}: l'addebito c'è sull'estratto conto ma il "
                    "credito sul numero è ancora uguale. È normale che ci metta così tanto?"],
         "answers": ["Le ricariche con carta di solito arrivano in pochi minuti, ma a volte la banca mette l'addebito in "
                     "*pre-autorizzazione*. Controlla nell'app in **Credito > Storico ricariche**:\n\n"
                     "- se la vedi come **completata**, riavvia il telefono e controlla di nuovo il credito;\n"
                     "- se è **in sospeso**, aspetta fino a 48 ore: se non va a buon fine l'importo torna sulla carta.",
                     "Mi è successo a {month}: la ricarica era andata sul numero di mia moglie perché l'app aveva ancora "
                     "salvato il suo. Controlla in **Credito > Storico ricariche** su quale numero è andata."]},
        {"titles": ["Ricarica automatica non parte più", "La ricarica automatica non è partita e l'offerta si è sospesa"],
         "bodies": ["Avevo impostato la ricarica automatica con la carta che finisce con {last4}. Questo mese non è "
                    "partita e mi si è sospesa l'offerta {plan}. Nell'app vedo \"{app_error}\"."],
         "answers": ["Per la ricarica automatica che non parte, quasi sempre è la carta scaduta o il 3D Secure da "
                     "rinnovare. Vai in **Pagamenti > Metodi di pagamento**, rimuovi la carta e aggiungila di nuovo, poi "
                     "riattiva l'offerta da **Offerte > Rinnova ora**.",
                     "Se la banca ti ha mandato una carta nuova (stesso conto ma numero diverso), la ricarica automatica "
                     "resta legata alla vecchia. Va ricollegata a mano, non si aggiorna da sola."]},
        {"titles": ["Ricarica in tabaccheria non accreditata", "Ricarica fatta dal tabaccaio ma non arriva"],
         "bodies": ["Ho ricaricato {topup}€ in tabaccheria a {city}, ho lo scontrino ma il credito non si è mosso. Cosa "
                    "devo fare per farmela accreditare?"],
         "answers": ["Tieni lo scontrino e apri una segnalazione da [questa pagina](https://example.com/aiuto/ricarica) "
                     "indicando **data, ora e codice** della ricarica. Di solito la accreditano entro 72 ore.",
                     "Controlla sullo scontrino che il numero sia giusto: capita che il tabaccaio sbagli una cifra. Anche "
                     "in quel caso la segnalazione si fa con lo scontrino e di solito la ricarica viene stornata."]},
        {"titles": ["Ho fatto una ricarica sul numero sbagliato, si può annullare?"],
         "bodies": ["Ho ricaricato {topup}€ dall'app ma ho sbagliato l'ultima cifra del numero di mio figlio. Si possono "
                    "recuperare i soldi?"],
         "answers": ["Una ricarica andata a buon fine **non si annulla** in automatico, ma puoi chiedere lo storno dalla "
                     "[pagina ricariche](https://example.com/aiuto/ricarica-errata): se il credito sul numero sbagliato "
                     "non è ancora stato usato, di solito lo recuperano."]},
    ]},
    {"tags": ["roaming", "estero"], "kind": "mobile", "cases": [
        {"titles": ["Roaming in {country}: internet non funziona", "Sono in {country} e i dati non vanno"],
         "bodies": ["Sono appena arrivato in {country} per lavoro. Le chiamate funzionano ma i dati no, anche se "
                    "nell'app il roaming risulta attivo. Il telefono è un {phone}."],
         "answers": ["Sul telefono va attivato anche il **roaming dati**, non basta quello della linea:\n\n"
                     "- iPhone: **Impostazioni > Cellulare > Opzioni dati cellulare > Roaming dati**\n"
                     "- Android: **Impostazioni > Rete mobile > Roaming**\n\n"
                     "Poi riavvia il telefono e aspetta che si agganci alla rete.",
                     "Succede spesso con l'operatore scelto in automatico: vai in **Rete mobile > Operatori di rete**, "
                     "togli la selezione automatica e scegli a mano uno dei partner che trovi nella pagina "
                     "[roaming](https://example.com/aiuto/roaming)."]},
        {"titles": ["Quanto costa il roaming in {country} con l'offerta {plan}?", "Viaggio in {country}: i giga sono inclusi?"],
         "bodies": ["Parto a {month} per due settimane in {country} e vorrei capire quanto spendo per internet con "
                    "l'offerta {plan}. Nelle condizioni non capisco se è inclusa o no."],
         "answers": ["Dipende dal paese: in Unione Europea il traffico è come in Italia (con un limite di giga che trovi "
                     "nei dettagli dell'offerta), fuori dall'UE serve l'opzione **Estero Plus**. L'elenco aggiornato dei "
                     "paesi è qui: [tariffe roaming](https://example.com/aiuto/roaming).",
                     "In UE puoi usare i giga come in Italia fino a una soglia, per {plan} è circa un terzo dei giga. "
                     "Fuori UE senza opzione costa parecchio: io attivo sempre **Estero Plus** solo per i giorni del viaggio."]},
        {"titles": ["In {country} mi hanno scalato {topup}€ di credito", "Credito sparito dopo pochi giorni in {country}"],
         "bodies": ["Sono in {country} da due giorni e mi sono ritrovato con {topup}€ di credito in meno. Pensavo che "
                    "il traffico fosse incluso nell'offerta, qualcuno sa come funziona?"],
         "answers": ["Se sei fuori dall'UE, senza opzione il traffico si paga a consumo e il credito finisce subito. Ti "
                     "consiglio di **disattivare i dati** finché non attivi l'opzione dall'app e di chiedere il dettaglio "
                     "del traffico in **Credito > Movimenti**.",
                     "Guarda in **Credito > Movimenti**: se vedi voci *traffico dati estero* sono consumi fuori offerta. "
                     "Se il paese è in UE apri una segnalazione, perché lì non dovrebbero esserci costi extra."]},
    ]},
    {"tags": ["fatturazione", "costi"], "kind": "mobile", "cases": [
        {"titles": ["Addebito di {price}€ che non riconosco", "Mi hanno addebitato un abbonamento che non ho mai attivato"],
         "bodies": ["Nel dettaglio costi di {month} vedo un addebito di {price}€ con scritto \"servizi digitali\". Non ho "
                    "mai attivato niente, come faccio a capire cos'è e a farmi rimborsare?"],
         "answers": ["Quasi sicuramente è un **servizio a sovrapprezzo** attivato da un banner. Per bloccarli:\n\n"
                     "1. vai in **Linea > Servizi attivi** e disattivalo;\n2. attiva il **blocco servizi a sovrapprezzo** "
                     "(gratuito);\n3. chiedi il rimborso con il modulo "
                     "[rimborso servizi digitali](https://example.com/aiuto/rimborsi).",
                     "Anche a me era capitato: era un abbonamento attivato toccando per sbaglio la pubblicità in un "
                     "gioco. Con il blocco dei servizi a sovrapprezzo attivo non è più successo."]},
        {"titles": ["Perché questo mese ho pagato più del solito?", "Offerta {plan}: addebito più alto del previsto"],
         "bodies": ["La mia offerta è {plan} a {price}€ al mese, ma questo mese mi hanno scalato di più. Non ho fatto "
                    "chiamate all'estero né niente di strano."],
         "answers": ["Controlla in **Credito > Movimenti** filtrando per il mese: ogni voce ha la sua causale. Spesso è il "
                     "rinnovo dell'offerta caduto due volte nello stesso mese, perché il rinnovo è ogni 30 giorni e non "
                     "ogni mese solare.",
                     "Guarda anche se hai finito i giga e si è attivata l'**estensione automatica**: costa qualche euro "
                     "e si disattiva da **Offerte > Opzioni**."]},
        {"titles": ["Dove trovo le fatture della mia linea?", "Mi servono le fatture per il lavoro, dove sono?"],
         "bodies": ["Mi servono le fatture degli ultimi sei mesi per il lavoro. Nell'app non le trovo, dove sono?"],
         "answers": ["Le fatture sono in **Profilo > Documenti > Fatture**, scaricabili in PDF. Se hai la partita IVA puoi "
                     "anche chiedere che arrivino via PEC.",
                     "Dal sito è più comodo: **Area personale > Documenti**, le scarichi tutte insieme in un file ZIP."]},
    ]},
    {"tags": ["esim", "sim"], "kind": "mobile", "cases": [
        {"titles": ["Passare da SIM fisica a eSIM sul mio {phone}", "Si può avere l'eSIM senza andare in negozio?"],
         "bodies": ["Vorrei passare all'eSIM sul mio {phone} per usare lo slot fisico con la SIM di lavoro. Si può fare "
                    "dall'app o devo andare in negozio?"],
         "answers": ["Si fa tutto dall'app, non serve il negozio:\n\n1. **Profilo > SIM > Passa a eSIM**;\n"
                     "2. conferma con il codice che ti arriva via SMS (sulla SIM fisica, quindi tienila ancora dentro);\n"
                     "3. inquadra il QR code e segui le istruzioni del telefono.\n\n"
                     "La SIM fisica smette di funzionare appena si attiva l'eSIM.",
                     "Fatto la settimana scorsa sul mio {phone}, ci vogliono cinque minuti. L'unica cosa: fallo con il "
                     "**Wi-Fi**, perché durante il passaggio la linea non funziona."]},
        {"titles": ["Il QR code dell'eSIM non funziona", "eSIM: il telefono dice che il codice non è valido"],
         "bodies": ["Ho richiesto l'eSIM e mi è arrivato il QR code per mail, ma quando lo inquadro il mio {phone} dice "
                    "\"Impossibile aggiungere l'eSIM\". Ho provato anche con un altro Wi-Fi."],
         "answers": ["Ogni QR code si può usare **una sola volta**: se il primo tentativo è fallito, devi chiederne uno "
                     "nuovo dall'app (è gratuito). Verifica anche che il tuo {phone} non sia bloccato su un altro operatore. "
                     "Guida completa: [eSIM](https://example.com/aiuto/esim).",
                     "Prova a inserire il codice **a mano** invece di inquadrarlo: nella mail, sotto il QR code, c'è il "
                     "codice di attivazione che inizia con `LPA:`."]},
        {"titles": ["eSIM persa dopo il ripristino del telefono", "Trasferire l'eSIM sul nuovo {phone}"],
         "bodies": ["Ho fatto il ripristino del telefono e l'eSIM è sparita. Ora sono senza linea, come la recupero?",
                    "Ho comprato un {phone} nuovo e vorrei spostare l'eSIM dal vecchio telefono. Devo chiedere un nuovo "
                    "QR code?"],
         "answers": ["L'eSIM va scaricata di nuovo: chiedi un nuovo profilo da **Profilo > SIM > Reinstalla eSIM** "
                     "usando il Wi-Fi. Il numero resta lo stesso.",
                     "Sì, serve un nuovo profilo. Il vecchio si disattiva da solo appena il nuovo è attivo e il numero "
                     "non cambia: io l'ho fatto in cinque minuti con il Wi-Fi di casa."]},
    ]},
    {"tags": ["portabilita", "numero"], "kind": "mobile", "cases": [
        {"titles": ["Portabilità da {operator} ferma da una settimana", "Quanto ci mette la portabilità del numero?"],
         "bodies": ["Ho chiesto la portabilità del mio numero da {operator} {past}. La SIM nuova funziona con il numero "
                    "provvisorio ma il mio numero non è ancora passato. Quanto ci vuole di solito?"],
         "answers": ["La portabilità richiede di solito **3 giorni lavorativi**. Se è ferma, quasi sempre c'è un dato che "
                     "non corrisponde (ICCID o codice fiscale). Controlla lo stato in **Profilo > Portabilità**: se c'è "
                     "scritto *KO* trovi anche il motivo e puoi correggerlo senza rifare tutto.",
                     "La mia ci ha messo 4 giorni lavorativi. Il passaggio avviene di notte: una mattina la SIM nuova ha "
                     "preso il mio numero e la vecchia si è spenta. Tieni acceso il telefono con la SIM nuova."]},
        {"titles": ["Portabilità rifiutata: \"codice fiscale non corrispondente\"",
                    "Portabilità KO, la SIM era intestata a un familiare"],
         "bodies": ["La portabilità da {operator} è stata rifiutata perché il codice fiscale non corrisponde. La vecchia "
                    "SIM era intestata a mio padre, come devo fare?"],
         "answers": ["Se la SIM era intestata a un'altra persona serve prima il **cambio intestatario**, oppure la "
                     "richiesta va fatta a nome dell'intestatario con il suo documento. Trovi il modulo "
                     "[qui](https://example.com/aiuto/portabilita).",
                     "Stesso problema con la SIM di mia madre: abbiamo fatto il cambio intestatario con {operator} "
                     "(serve il suo documento) e poi la portabilità è passata al primo colpo."]},
        {"titles": ["Posso tenere il credito residuo di {operator} con la portabilità?"],
         "bodies": ["Sul vecchio numero {operator} ho ancora {topup}€ di credito. Se faccio la portabilità li perdo?"],
         "answers": ["Il credito residuo si può trasferire: quando fai la richiesta spunta **Trasferimento credito**. Il "
                     "vecchio operatore può trattenere un piccolo costo e i bonus promozionali non si trasferiscono."]},
    ]},
    {"tags": ["pin-puk", "sim"], "kind": "mobile", "cases": [
        {"titles": ["SIM bloccata, mi chiede il PUK", "Dove trovo il codice PUK se ho perso la tessera?"],
         "bodies": ["Mio figlio ha sbagliato il PIN tre volte e adesso il suo {phone} chiede il PUK. La tessera della SIM "
                    "non la troviamo più, come facciamo?"],
         "answers": ["Il PUK lo trovi nell'app in **Profilo > SIM > Codici PIN e PUK** (entra da un altro telefono o dal "
                     "sito). Attenzione: dopo **10 PUK sbagliati** la SIM si blocca per sempre.",
                     "Se non riesci a entrare nell'app, il PUK te lo danno anche in chat con l'assistenza dopo qualche "
                     "domanda di verifica."]},
        {"titles": ["Come si toglie il PIN della SIM?", "Si può disattivare la richiesta del PIN all'accensione?"],
         "bodies": ["Ogni volta che riavvio il telefono devo inserire il PIN della SIM. Si può togliere? Non mi serve."],
         "answers": ["Per togliere il PIN:\n\n- iPhone: **Impostazioni > Cellulare > PIN SIM**\n"
                     "- Android: **Impostazioni > Sicurezza > Blocco SIM**\n\n"
                     "Ti chiede il PIN attuale un'ultima volta e poi non lo chiede più."]},
        {"titles": ["Ho sbagliato il PUK, la SIM è da buttare?"],
         "bodies": ["Ho inserito il PUK sbagliato più volte e ora il telefono dice \"{sim_error}\". È da sostituire?"],
         "answers": ["Se il PUK è stato sbagliato 10 volte la SIM non si recupera, ma con la sostituzione il numero resta "
                     "tuo. Si chiede da [SIM sostitutiva](https://example.com/aiuto/sostituzione-sim) e arriva in 2-3 "
                     "giorni."]},
    ]},
    {"tags": ["5g", "rete"], "kind": "mobile", "cases": [
        {"titles": ["Il mio {phone} non prende il 5G a {city}", "5G incluso nell'offerta {plan}?"],
         "bodies": ["Ho un {phone} compatibile e l'offerta {plan} dovrebbe includere il 5G, ma a {city} vedo sempre 4G. "
                    "Devo attivare qualcosa?"],
         "answers": ["Il 5G va attivato in due posti: nell'app (**Offerte > Opzioni > 5G**, gratuito con {plan}) e nel "
                     "telefono (**Rete mobile > Tipo di rete preferito > 5G**). La copertura per zona la trovi sulla "
                     "[mappa copertura](https://example.com/copertura).",
                     "Verifica anche che il tuo {phone} sia aggiornato: su alcuni modelli il 5G per gli operatori virtuali "
                     "arriva solo con gli ultimi aggiornamenti di sistema."]},
        {"titles": ["Con il 5G la batteria dura la metà, è normale?"],
         "bodies": ["Da quando ho il 5G attivo il telefono si scarica molto prima. Conviene lasciarlo acceso?"],
         "answers": ["Sì, dove il segnale 5G è debole il telefono continua a passare tra 4G e 5G e consuma di più. Imposta "
                     "**5G automatico** (o \"Smart 5G\"): usa il 5G solo quando serve davvero.",
                     "Io l'ho proprio disattivato: a {city} il 4G va benissimo e la batteria arriva a sera tranquillamente."]},
        {"titles": ["Icona 5G presente ma velocità bassissima", "Il 5G a {city} è più lento del 4G"],
         "bodies": ["In centro a {city} ho l'icona 5G ma lo speed test fa 3 Mbit/s. Con il 4G andava meglio."],
         "answers": ["L'icona 5G a volte è il *5G NSA* che si appoggia al 4G: se la cella è carica la velocità scende. "
                     "Prova a forzare il 4G per un giorno e confronta: se va meglio, segnala la zona all'assistenza."]},
    ]},
    {"tags": ["internet", "apn"], "kind": "mobile", "cases": [
        {"titles": ["Internet non funziona {when}", "Dati mobili non vanno, le chiamate sì"],
         "bodies": ["Internet con i dati mobili non va {when}. Chiamate e SMS funzionano e secondo l'app ho ancora {gb} "
                    "giga disponibili. Il telefono è un {phone}."],
         "answers": ["Controlla l'**APN**: deve essere `internet.passaparola` (tutto il resto vuoto). Su Android: "
                     "**Impostazioni > Rete mobile > Nomi punti di accesso**, aggiungine uno nuovo e selezionalo. Su "
                     "iPhone di solito si configura da solo dopo un riavvio.",
                     "Se chiamate e SMS vanno ma internet no, prova a ripristinare le impostazioni di rete. Se non basta "
                     "controlla sulla [pagina stato rete](https://example.com/stato) se ci sono guasti a {city}."]},
        {"titles": ["Giga finiti in pochi giorni senza motivo", "Chi mi sta consumando i giga?"],
         "bodies": ["Avevo {gb} giga a inizio mese e in una settimana sono finiti. Non guardo film e non faccio "
                    "hotspot, com'è possibile?"],
         "answers": ["Per capire chi consuma i giga:\n\n1. vai in **Impostazioni > Utilizzo dati** sul telefono;\n"
                     "2. guarda quali app hanno usato di più (spesso il backup delle foto e gli aggiornamenti);\n"
                     "3. limita quelle app al solo Wi-Fi.\n\nNell'app trovi anche il dettaglio per giorno.",
                     "Controlla anche **WhatsApp > Archiviazione e dati**: il download automatico di foto e video nei "
                     "gruppi consuma tantissimo."]},
        {"titles": ["Come si configura l'APN sul mio {phone}?", "Telefono comprato all'estero non naviga"],
         "bodies": ["Ho un {phone} comprato all'estero e non naviga. Mi hanno detto che devo configurare l'APN, ma non "
                    "so cosa scrivere."],
         "answers": ["L'APN è `internet.passaparola`, lascia vuoti nome utente e password. Su Android: **Impostazioni > "
                     "Rete mobile > Nomi punti di accesso > +**, salva e selezionalo. Tutti i parametri sono nella "
                     "[guida APN](https://example.com/aiuto/apn)."]},
        {"titles": ["{app} non carica con i dati mobili, con il Wi-Fi sì"],
         "bodies": ["{app} con il Wi-Fi funziona, con i dati mobili resta a caricare all'infinito. Le altre app vanno. "
                    "Ho un {phone}."],
         "answers": ["Probabilmente a {app} è stato tolto il permesso di usare i dati mobili: su iPhone **Impostazioni > "
                     "Cellulare**, scorri fino all'app e attiva l'interruttore; su Android **Impostazioni > App > {app} > "
                     "Dati mobili**.",
                     "Se hai il **risparmio dati** attivo, alcune app non usano i dati in background. Aggiungi {app} "
                     "alle eccezioni e riprova."]},
    ]},
    {"tags": ["offerte", "costi"], "kind": "mobile", "cases": [
        {"titles": ["Conviene passare all'offerta {plan}?", "Cambiare offerta senza perdere il numero"],
         "bodies": ["Ho un'offerta vecchia da {price}€ con 30 giga. Ho visto la {plan} in promozione, conviene cambiare "
                    "o ci sono costi nascosti?"],
         "answers": ["Il cambio offerta è gratuito e il numero resta lo stesso. Attenzione solo al **giorno di rinnovo**: "
                     "il nuovo prezzo parte dal rinnovo successivo e i giga non consumati non si sommano.",
                     "Io ho cambiato a {month}: prezzo più basso e più giga, nessun costo. Il cambio vale dal rinnovo, "
                     "quindi fallo qualche giorno prima."]},
        {"titles": ["Mi è arrivato un SMS di rimodulazione: cosa cambia?", "Aumento di prezzo dell'offerta, posso rifiutare?"],
         "bodies": ["Mi è arrivato un SMS che dice che da {month} la mia offerta costerà {price}€. Posso rifiutare?"],
         "answers": ["In caso di rimodulazione puoi **recedere senza costi** entro la data indicata nell'SMS, oppure "
                     "cambiare offerta gratis. Le condizioni sono [qui](https://example.com/offerte/rimodulazioni)."]},
        {"titles": ["Offerte per chi ha più SIM in famiglia"],
         "bodies": ["In famiglia abbiamo quattro SIM Passaparola. Esiste un'offerta per averle tutte insieme?"],
         "answers": ["Con la **Family 200** puoi collegare fino a 4 SIM e condividere i giga, ognuna tiene il proprio "
                     "numero. Si attiva da **Offerte > Famiglia**."]},
    ]},
    {"tags": ["hotspot", "internet"], "kind": "mobile", "cases": [
        {"titles": ["L'hotspot del mio {phone} non funziona", "Il PC si collega all'hotspot ma non naviga"],
         "bodies": ["Il portatile si collega all'hotspot del mio {phone} e risulta connesso, ma le pagine non si "
                    "aprono. Con la SIM di prima funzionava."],
         "answers": ["Se il PC è connesso ma non naviga:\n\n- controlla l'APN (`internet.passaparola`);\n"
                     "- disattiva la VPN sul PC;\n- prova la banda **2,4 GHz** invece di 5 GHz nelle impostazioni "
                     "dell'hotspot."]},
        {"titles": ["Posso usare l'hotspot con l'offerta {plan}?"],
         "bodies": ["Lavoro da remoto qualche giorno a settimana e vorrei usare l'hotspot. L'offerta {plan} lo permette "
                    "o ci sono limiti?"],
         "answers": ["Sì, con {plan} l'hotspot è compreso e consuma i giga dell'offerta. Attenzione agli aggiornamenti "
                     "automatici del PC: con l'hotspot possono finire i giga in un attimo."]},
    ]},
    {"tags": ["mms", "messaggi"], "kind": "mobile", "cases": [
        {"titles": ["Non riesco a ricevere gli MMS", "Le foto via MMS non mi arrivano"],
         "bodies": ["Mia nonna non usa WhatsApp e mi manda le foto con gli MMS, ma a me non arrivano. Ho un {phone}."],
         "answers": ["Per gli MMS serve un APN dedicato: aggiungi `mms.passaparola` con MMSC `http://mms.example.com` e "
                     "porta 80. Poi attiva i **dati mobili** (anche solo per un momento): gli MMS viaggiano sui dati."]},
        {"titles": ["Gli SMS da un numero {operator} non mi arrivano"],
         "bodies": ["Non ricevo gli SMS di un amico che ha {operator} {when}. Lui dice che a lui risultano inviati."],
         "answers": ["Controlla che il numero non sia tra i **bloccati** nell'app Messaggi e che la memoria degli SMS non "
                     "sia piena. Se è tutto a posto, segnala data e ora dei messaggi mancanti all'assistenza."]},
    ]},
    {"tags": ["voicemail", "segreteria"], "kind": "mobile", "cases": [
        {"titles": ["Come disattivo la segreteria telefonica?"],
         "bodies": ["Non voglio la segreteria: chi mi chiama deve richiamare. Come si disattiva?"],
         "answers": ["Per disattivarla componi `##002#` e premi chiama: in pochi secondi ti arriva la conferma. Per "
                     "riattivarla puoi farlo dall'app in **Linea > Segreteria**."]},
        {"titles": ["Non riesco ad ascoltare i messaggi in segreteria"],
         "bodies": ["Mi arriva l'SMS che ho un messaggio in segreteria, ma quando chiamo il numero della segreteria "
                    "sento un messaggio di errore e cade la linea."],
         "answers": ["Chiama il **4242** dal tuo telefono (non da un altro). Se cade subito, probabilmente il PIN della "
                     "segreteria è stato azzerato: reimpostalo dall'app in **Linea > Segreteria > PIN** e riprova."]},
        {"titles": ["La segreteria scatta dopo due squilli, si può cambiare?"],
         "bodies": ["La segreteria risponde dopo pochi squilli e non faccio in tempo a prendere il telefono. Come si "
                    "allunga il tempo?"],
         "answers": ["Il tempo prima della segreteria si cambia con il codice `**61*+393000000000**30#` (30 secondi è il "
                     "massimo). Tutti i codici sono nella [guida segreteria](https://example.com/aiuto/segreteria)."]},
    ]},
]
