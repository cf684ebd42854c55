"""English texts (expats, students, visitors): topics and phrases, the same shape as text_it."""

TOPICS = [
    {"tags": ["esim", "tourist"], "kind": "mobile", "cases": [
        {"titles": ["Can I get an eSIM before I arrive in Italy?", "Tourist eSIM: can I set it up from abroad?"],
         "bodies": ["I'm flying to {city} in {month} and would like to have a working number as soon as I land. Is it "
                    "possible to buy the eSIM online from abroad and activate it before the trip?"],
         "answers": ["Yes, you can order it online with your passport: the video check is done in the app and works from "
                     "abroad. The eSIM activates when you first connect to an Italian network.\n\n"
                     "Tip: **install it at home on Wi-Fi**, then switch the line on when you land.",
                     "Did exactly this last year. Order about a week before, do the ID check in the app, and install "
                     "the eSIM before you fly. It came alive as soon as the plane landed in {city}."]},
        {"titles": ["eSIM QR code not working on my {phone}", "My phone says the eSIM code is not valid"],
         "bodies": ["I got the eSIM QR code by email but when I scan it my {phone} says \"Unable to add eSIM\". I've "
                    "tried on two different Wi-Fi networks."],
         "answers": ["Each QR code works **only once**. If the first try failed, request a new one in the app under "
                     "**Profile > SIM > Reinstall eSIM** (it's free). Also check that your {phone} is not locked to "
                     "your home carrier. Guide: [eSIM help](https://example.com/help/esim).",
                     "Try typing the code in **by hand** instead of scanning: under the QR code in the email there is "
                     "an activation code that starts with `LPA:`."]},
        {"titles": ["Tourist eSIM for two weeks in {city}: which plan?", "Which plan for a short stay in Italy?"],
         "bodies": ["I'll be in {city} for two weeks and need data for maps and WhatsApp. Which plan makes sense for a "
                    "short stay?"],
         "answers": ["For two weeks **Start 10** is usually enough if you mostly use maps and messaging. If you stream or "
                     "use the phone as a hotspot, take **{plan}**: you can cancel it from the app before it renews."]},
    ]},
    {"tags": ["top-up", "ricarica"], "kind": "mobile", "cases": [
        {"titles": ["Top-up with a foreign card keeps failing", "Can't top up with my {bank} card"],
         "bodies": ["I'm trying to top up with my {bank} card and the payment fails with \"{card_error}\". The card "
                    "works everywhere else. Is there a problem with non-Italian cards?"],
         "answers": ["Foreign cards work, but most of them need **3D Secure** approval in your bank's app: keep it open "
                     "while paying. If it still fails, add the card in **Payments > Payment methods** first and then "
                     "top up from there.",
                     "Same here with a UK card. What worked for me: top up on the website instead of the app, the 3D "
                     "Secure page from my bank only showed up there."]},
        {"titles": ["Topped up €{topup} but my balance didn't change", "Top-up charged to my card but no credit"],
         "bodies": ["I topped up €{topup} in the app {past}. The money has left my account but the balance is the "
                    "same. How long does it usually take?"],
         "answers": ["Card top-ups normally arrive within minutes. Check **Balance > Top-up history**:\n\n"
                     "- **completed**: restart the phone and check again;\n- **pending**: wait up to 48 hours, if it "
                     "fails the money goes back to your card."]},
        {"titles": ["How do I set up automatic top-up?"],
         "bodies": ["My plan renews every month and I keep forgetting to top up. Is there a way to make it automatic?"],
         "answers": ["Yes: **Payments > Automatic top-up**, choose the amount and the card. It tops up the day before "
                     "your plan renews, so the plan never gets suspended."]},
    ]},
    {"tags": ["roaming", "international"], "kind": "mobile", "cases": [
        {"titles": ["Data not working in {country} even with roaming on", "Mobile data not working abroad"],
         "bodies": ["I just landed in {country}. Calls work but mobile data doesn't, even though the app says roaming "
                    "is active. My phone is a {phone}."],
         "answers": ["You need to turn on **data roaming on the phone** too, not only on the line:\n\n"
                     "- iPhone: **Settings > Mobile Data > Mobile Data Options > Data Roaming**\n"
                     "- Android: **Settings > Mobile network > Roaming**\n\n"
                     "If it still doesn't work, pick the network manually instead of automatic.",
                     "Happened to me in {country} too: the phone had picked a network we have no deal with. Turn off "
                     "automatic network selection and choose a partner from the [roaming page](https://example.com/help/roaming)."]},
        {"titles": ["How much does it cost to call {country} from Italy?", "Cheapest way to call family in {country}?"],
         "bodies": ["My family lives in {country} and I call them every week. What's the cheapest way to do it with my "
                    "Passaparola line?"],
         "answers": ["The **Estero Plus** option includes minutes to most countries. Honestly, for weekly calls WhatsApp "
                     "over Wi-Fi is free and the quality is usually better."]},
        {"titles": ["Charged €{topup} for roaming, is this right?", "Lost my credit after a few days in {country}"],
         "bodies": ["I spent three days in {country} and now I have €{topup} less credit. I thought roaming was "
                    "included in my plan."],
         "answers": ["Inside the EU your plan works like at home (with a fair use limit shown in the plan details). "
                     "Outside the EU you need the **Estero Plus** option, otherwise data is pay-as-you-go and very "
                     "expensive. Full list: [roaming prices](https://example.com/help/roaming).",
                     "Check **Balance > Transactions**: lines called *foreign data traffic* are outside your plan. If "
                     "the country is in the EU, open a ticket, there shouldn't be any extra cost there."]},
    ]},
    {"tags": ["iban", "expat"], "kind": "bank", "cases": [
        {"titles": ["Can I open an account without a codice fiscale?", "Just moved to Italy: what do I need for an account?"],
         "bodies": ["I've just moved to {city} for work and I don't have a codice fiscale yet. Can I open the account "
                    "anyway or do I need it first?"],
         "answers": ["You need the **codice fiscale** first: it's free and you can get it at the Agenzia delle Entrate "
                     "office (bring your passport), or from the Italian consulate before you move. With it, opening the "
                     "account takes about 10 minutes in the app.",
                     "Got mine at the Agenzia delle Entrate in {city} in one morning, no appointment needed. Bring your "
                     "passport and the address where you live."]},
        {"titles": ["My employer says my IBAN is not valid"],
         "bodies": ["I gave my IBAN to HR and they say their system rejects it. I copied it from the app, so I'm not "
                    "sure what's wrong."],
         "answers": ["Some payroll systems wrongly reject IBANs from online banks, but refusing an EU IBAN is not allowed "
                     "(it's called *IBAN discrimination*). Ask them to try again and point them to "
                     "[this page](https://example.com/help/iban)."]},
        {"titles": ["Receiving my salary from {country} into my account", "Will a transfer from {country} cost me anything?"],
         "bodies": ["I still get paid by a company in {country}. Will an international transfer to my account cost "
                    "anything?"],
         "answers": ["SEPA transfers in euro are **free** and arrive in 1 business day. From outside the SEPA area the "
                     "sender's bank may charge a fee, and they also apply the exchange rate."]},
    ]},
    {"tags": ["app", "language"], "kind": "bank", "cases": [
        {"titles": ["How do I switch the app to English?", "Is there an English version of the app?"],
         "bodies": ["My Italian is still pretty basic and the app is all in Italian. Is there an English version?"],
         "answers": ["Yes: **Profilo > Lingua > English**. The app follows that setting, not the phone language. This "
                     "community also has a language switch at the bottom of every page."]},
        {"titles": ["App keeps crashing on my {phone}", "The app closes right after the logo"],
         "bodies": ["The app closes right after the logo on my {phone} with {os}, {when}. I reinstalled it but nothing "
                    "changed."],
         "answers": ["Try this:\n\n1. clear the app cache (Android) or offload and reinstall it (iPhone);\n"
                     "2. update to the latest version;\n3. restart the phone.\n\n"
                     "If it still crashes, it's a known issue with {os}: check [service status](https://example.com/status).",
                     "Same on my {phone}. An app update two days later fixed it, so check the store for a new version."]},
        {"titles": ["Face ID login stopped working after I changed phone"],
         "bodies": ["I moved to a new {phone} and now the app always asks for the password instead of Face ID."],
         "answers": ["After a phone change you need to **register the new device**: log in with the password, then "
                     "**Profile > Security > Devices** and turn on biometric login. You can remove the old phone there too."]},
    ]},
    {"tags": ["billing", "fatturazione"], "kind": "mobile", "cases": [
        {"titles": ["Charge of €{price} I don't recognise", "I was charged for a subscription I never signed up for"],
         "bodies": ["In my {month} statement there's a charge of €{price} for \"servizi digitali\". I never signed up "
                    "for anything. How do I find out what it is?"],
         "answers": ["That's almost certainly a **premium service** triggered by an ad banner. To stop it:\n\n"
                     "1. go to **Line > Active services** and switch it off;\n2. turn on the free **premium services "
                     "block**;\n3. ask for a refund with the [refund form](https://example.com/help/refunds)."]},
        {"titles": ["Why is my bill higher than the plan price?"],
         "bodies": ["My plan is {plan} at €{price} a month but this month I paid more. I didn't call abroad or anything."],
         "answers": ["Plans renew **every 30 days**, not every calendar month, so some months have two renewals. Check "
                     "**Balance > Transactions** filtered by month to see each charge."]},
        {"titles": ["Where can I download my invoices?"],
         "bodies": ["I need my invoices for my tax return and I can't find them in the app."],
         "answers": ["They're under **Profile > Documents > Invoices**, as PDFs. On the website you can download them "
                     "all at once as a ZIP file."]},
    ]},
    {"tags": ["portabilita", "expat"], "kind": "mobile", "cases": [
        {"titles": ["Porting my number from {operator}: how long does it take?", "Number porting stuck"],
         "bodies": ["I asked to port my number from {operator} {past}. The new SIM works with a temporary number but my "
                    "old number hasn't moved yet."],
         "answers": ["Porting usually takes **3 business days**. If it's stuck, the data usually doesn't match (ICCID or "
                     "codice fiscale). Check **Profile > Number porting**: if it says *KO* you'll see why and can fix it "
                     "without starting again."]},
        {"titles": ["Number porting rejected, what does it mean?"],
         "bodies": ["My porting request was rejected. The old SIM was registered by my landlord when I arrived, could "
                    "that be the reason?"],
         "answers": ["Yes, that's the reason: the request must be made in the name of the **person the old SIM is "
                     "registered to**. Either they make the request with their ID, or they transfer the SIM to you first."]},
        {"titles": ["Can I keep my UK number?"],
         "bodies": ["I'm moving to Italy for good. Can I bring my UK mobile number to Passaparola?"],
         "answers": ["Unfortunately not: only Italian numbers can be ported between Italian operators. Many people keep "
                     "the UK SIM on a cheap plan in a dual-SIM phone and use the **eSIM** for the Italian line."]},
    ]},
    {"tags": ["card", "carta"], "kind": "bank", "cases": [
        {"titles": ["Card declined abroad with \"{card_error}\"", "My card doesn't work in {country}"],
         "bodies": ["I'm visiting {country} and my card ending {last4} was declined at a restaurant with "
                    "\"{card_error}\". There's money in the account."],
         "answers": ["Check **Cards > Manage > Limits and blocks**: payments abroad are sometimes switched off for "
                     "security. Turn on **payments outside the EU** and try again, it takes effect right away."]},
        {"titles": ["Contactless with my phone doesn't work"],
         "bodies": ["I added the card to the wallet on my {phone} but nothing happens when I hold it near the terminal. "
                    "The physical card works fine."],
         "answers": ["Make sure **NFC** is on and your wallet is the default payment app. On some phones battery saver "
                     "blocks it. Guide: [pay with your phone](https://example.com/help/wallet)."]},
        {"titles": ["Card blocked after three wrong PINs"],
         "bodies": ["I typed the wrong PIN three times at an ATM in {city} and now the card is blocked. Do I need a new one?"],
         "answers": ["No need for a new card:\n\n1. **Cards > Manage > Unblock PIN**;\n2. confirm with the app code;\n"
                     "3. use an ATM with the right PIN within 24 hours.\n\nYou can see your PIN in **Cards > Show PIN**."]},
    ]},
    {"tags": ["internet", "hotspot"], "kind": "mobile", "cases": [
        {"titles": ["Mobile data not working {when}", "Calls work but no mobile data"],
         "bodies": ["Mobile data doesn't work {when}. Calls and texts are fine and the app says I still have {gb} GB "
                    "left. I have a {phone}."],
         "answers": ["Check the **APN**: it should be `internet.passaparola`, everything else empty. On Android: "
                     "**Settings > Mobile network > Access point names**, add a new one and select it. On iPhone a "
                     "restart usually sets it up."]},
        {"titles": ["Hotspot from my {phone} connects but no internet"],
         "bodies": ["My laptop connects to the hotspot on my phone but no page loads. I need it for work calls."],
         "answers": ["Hotspot is included in every plan. If the laptop connects but doesn't browse:\n\n"
                     "- check the APN (`internet.passaparola`);\n- turn off the VPN on the laptop;\n"
                     "- switch the hotspot to the **2.4 GHz** band."]},
        {"titles": ["Where did all my data go?", "Used up {gb} GB in a week, how?"],
         "bodies": ["I had {gb} GB at the start of the month and it was all gone in a week. I don't stream anything."],
         "answers": ["Look at **Settings > Data usage** on the phone to see which apps used the most. Photo backups and "
                     "automatic updates are the usual suspects: set them to Wi-Fi only."]},
    ]},
    {"tags": ["spid", "expat"], "kind": "bank", "cases": [
        {"titles": ["Can foreigners get SPID?", "SPID with a residence permit?"],
         "bodies": ["I live in {city} with a residence permit and everything here seems to need SPID. Can I get it "
                    "through my Passaparola account?"],
         "answers": ["Yes, if you have a **codice fiscale** and a valid document. In the app go to **Services > SPID**: "
                     "the identification is done in the app itself and takes about 10 minutes."]},
        {"titles": ["SPID video check: is my passport enough?"],
         "bodies": ["I'm about to do the SPID video check. Is my passport enough or do I need an Italian ID card?"],
         "answers": ["A valid **passport** or residence permit works, together with the tessera sanitaria (or the "
                     "codice fiscale certificate). More details: [SPID help](https://example.com/help/spid)."]},
        {"titles": ["I changed my phone number, how do I update SPID?"],
         "bodies": ["I got a new number and the SPID text message doesn't reach me anymore. I can't log in to the INPS "
                    "website."],
         "answers": ["Log in with the app code (not the text message), then **SPID profile > Contacts > Change mobile "
                     "number**. It takes effect immediately."]},
    ]},
]

OPENERS = ["Hi all,", "Hello,", "Hi everyone,", "Hey,", "", "", "Hi,"]
CLOSERS = ["Thanks in advance!", "Any help appreciated.", "Thanks!", "Has anyone had the same problem?", "", "Thank you!"]
TITLE_VARIANTS = ["Help: {title}", "{title} - {phone}", "{title} (urgent)", "{title}, anyone else?"]
EXTRAS = {
    "mobile": ["I already tried restarting the phone a few times.", "My phone is a {phone} on {os}.",
               "I'm in {city} if that matters.", "Before this I was with {operator} and it never happened."],
    "bank": ["I already logged out and back in.", "The app on my {phone} is up to date.",
             "I opened the account a couple of months ago."],
}
ANSWER_OPENERS = ["Hi {asker}!", "Hi,", "Had the same thing last month.", "Hey {asker}, let me try to help.", "", "", ""]
ANSWER_CLOSERS = ["Let me know if it works!", "Hope this helps.", "Good luck!", "Let us know how it goes!", "", "", ""]
SHORT_ANSWERS = {
    "mobile": ["Try switching airplane mode on and off, that often fixes it for me.",
               "Have you checked your balance? If the line is suspended this is exactly what happens.",
               "Contact support in the app under **Help > Contact us**, they usually reply the same day.",
               "Same thing happened to me with a {phone}, it fixed itself the next day.",
               "Check the network status page, sometimes there is an outage in one area and it's not your phone."],
    "bank": ["Check **Account > Transactions**: if it says *processing* you just have to wait.",
             "Same happened to me, after 24 hours it was all fine without doing anything.",
             "Try updating the app, the last version fixed a lot of errors like this.",
             "The website sometimes works when the app doesn't, try that in the meantime."],
}
WRONG_ANSWERS = {
    "mobile": [("You have to go to a shop in person, it can't be done online.",
                "No need to go to a shop, you can do it all in the app."),
               ("Just factory reset the phone, that fixes everything.",
                "I wouldn't factory reset, you lose your data and it doesn't help with this."),
               ("I think that's a problem with {operator}, not with Passaparola.",
                "{operator} has nothing to do with it, it's a phone setting.")],
    "bank": [("I think you need an Italian passport for that.", "Not true, any valid passport or residence permit works."),
             ("Banks are closed on weekends so nothing happens until Monday.",
              "That's not right, you can do this in the app at the weekend too."),
             ("Just close the account and open a new one, it's quicker.",
              "Closing the account is overkill, this takes two minutes to fix.")],
}
STAFF_INTRO = ["Hi {asker}, {staff} from the Passaparola team here.", "Hi {asker}, thanks for reporting this.",
               "Hello {asker}, answering from customer support."]
STAFF_OUTRO = ["If it still doesn't work, message us privately from **Help > Contact us** and we'll check your line.",
               "Let us know if that sorted it!", "Best wishes from the Passaparola team."]
COMMENTS = {
    "asker_question": {
        "mobile": ["Forgot to say: my phone is a {phone} on {os}.", "My plan is {plan}, if that matters.",
                   "I'm in {city}, in case it's a local thing.", "Anyone? 🙏"],
        "bank": ["Forgot to say: I use the app on a {phone} with {os}.", "The account is in my name only.",
                 "Before this I banked with {bank}, if that matters.", "Anyone? 🙏"],
    },
    "asker_thanks": ["Thanks, that worked! 🙌", "Fixed it following your steps, thank you!",
                     "Perfect, that was it. Thanks {answerer}!"],
    "asker_reply": ["Thanks, I'll try tonight and report back.", "I tried that already, unfortunately no change.",
                    "I can't find that menu, has it moved?"],
    "peer": ["Can confirm, this worked for me too.", "Great explanation, bookmarking this.",
             "Had the same problem in {city}, this fixed it."],
    "staff": ["Hi, we've sent you a private message to check your line.",
              "Thanks for flagging this, we're looking into it and will update you here.",
              "Hi {asker}, could you send us your case number privately? Then we can check."],
}
