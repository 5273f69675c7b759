"""Role classification on built pages: where words stand matters more than how many there are."""

import pytest

from preflight.checks.portal.loginform import find_login_form
from preflight.checks.portal.roles import classify_role
from preflight.checks.portal.vocabulary import load_vocabulary

from .portal_pages import box, button, form, frame, link, login_page, page, password

VOCAB = load_vocabulary()


def classify(snapshot):
    return classify_role(snapshot, find_login_form(snapshot, VOCAB), VOCAB)


PROVIDER_TEXT = ("Health Care Professionals\nLog in to check patient eligibility and benefits, submit claims and "
                 "request prior authorization for your patients.")
MEMBER_TEXT = ("Member log in\nSee your benefits and claims, print your ID card and find a doctor in your "
               "health plan's network.")


def test_provider_login_with_evidence_a_help_desk_can_read():
    verdict = classify(login_page("Health Care Professionals", title="Provider Login | Acme Health",
                                  text=PROVIDER_TEXT, url="https://acme.example/hcp/login",
                                  extra=[box("Tax ID")]))
    assert verdict.role == "provider" and 0.8 <= verdict.confidence <= 1.0
    assert "login form heading 'Health Care Professionals'" in verdict.evidence
    assert "page title 'Provider Login | Acme Health'" in verdict.evidence
    assert "field labelled 'Tax ID'" in classify(login_page(
        "Sign in", title="Acme Health", text="Verify eligibility for your patients.", extra=[box("Tax ID")])).evidence


def test_path_and_host_are_evidence():
    verdict = classify(login_page("Sign in", title="Acme Health", url="https://provider.acme.example/hcp/",
                                  text="Sign in\nVerify member eligibility and claim status."))
    assert verdict.role == "provider"
    assert {"host provider.acme.example", "path /hcp/"} <= set(verdict.evidence)


def test_member_page_cross_link_to_providers_does_not_flip_it():
    # Given a member login that tells providers where to go, more than once
    text = (MEMBER_TEXT + "\nAre you a provider? Log in to the provider portal here.\n"
            "Providers and office staff should use the provider portal to verify eligibility and submit claims.")
    verdict = classify(login_page("Member log in", title="Log in | Acme Health", text=text,
                                  links=[link("Provider portal", "https://provider.acme.example/", "main")]))
    # Then it stays a member login, and the cross-link is shown as counter-evidence
    assert verdict.role == "member"
    assert any("cross-link" in c for c in verdict.counter_evidence)


def test_provider_page_that_talks_about_members_stays_provider():
    text = PROVIDER_TEXT + "\nCheck member eligibility, member ID cards and members' claims.\nAre you a member? Go to myAcme."
    verdict = classify(login_page("Provider sign in", title="Acme Health for Providers", text=text))
    assert verdict.role == "provider"


def test_menus_listing_every_audience_weigh_little():
    nav = "For Members\nFor Providers\nFor Employers\nFor Brokers\nFind a doctor"
    verdict = classify(login_page("Employer sign in", title="Acme Health plan sponsors", nav_text=nav,
                                  text=nav + "\nManage your employees' health plan coverage and group billing."))
    assert verdict.role == "employer"


def test_broker_login():
    verdict = classify(login_page("Agent portal", title="Acme Health | Brokers", user_label="Agent ID",
                                  text="Quote health plans for your clients and see commission statements."))
    assert verdict.role == "broker"


def test_spanish_member_login():
    verdict = classify(login_page("Portal para miembros", title="Iniciar sesión | Salud Acme", user_label="Número de miembro",
                                  text="Vea sus beneficios de salud y su tarjeta de identificación. Busque un médico."))
    assert verdict.role == "member"


def test_consumer_portal_names_count_for_members():
    verdict = classify(login_page("Sign in to MyAcme", title="Sign in to MyAcme",
                                  text="Sign in to MyAcme\nManage your Medicare Advantage plan."))
    assert verdict.role == "member"


def test_generic_sites_are_unknown_even_with_members():
    shop = classify(login_page("Member sign in", title="Sign in | BrightCart",
                               text="Plus members get free shipping. Health & Beauty deals."))
    credit_union = classify(login_page("Member Login", title="Member Login | Lakeshore Credit Union",
                                       text="Welcome, members! Pay bills and open health savings accounts. Member FDIC"))
    gym = classify(login_page("Member login", title="IronWorks Health Club", text="Book classes. Wellness coaching."))
    assert [v.role for v in (shop, credit_union, gym)] == ["unknown"] * 3
    # Its only health word was used up by "health savings accounts"; FDIC says it is a bank
    assert credit_union.evidence[0] == "the page reads as another kind of business (page text mentions 'fdic')"


def test_another_business_outweighs_a_passing_mention_of_health_plans():
    # Given a gym, a pet insurer and a payroll app that each name health care once in their text
    gym = login_page("Member Login", title="Iron Peak Fitness | Member Login",
                     text="Book classes. Many health plans reimburse part of your dues.")
    pets = login_page("Log in", title="PawSure Pet Insurance | Log in",
                      text="Submit claims from your vet visit and check your coverage and deductible.")
    payroll = login_page("Sign in", title="Sign in | CrewPayroll",
                         text="Run payroll, onboard employees and manage open enrollment for health insurance and 401(k).")
    # Then none of them gets a role, and the evidence says why
    verdicts = [classify(p) for p in (gym, pets, payroll)]
    assert [v.role for v in verdicts] == ["unknown"] * 3
    assert all(v.evidence[0].startswith("the page reads as another kind of business") for v in verdicts)


def test_a_site_named_health_in_host_and_title_is_health_care_context():
    # A broker page speaks of quotes and commissions, not of care: its name is the context
    text = "Run quotes, track your book of business and download commission statements."
    named = login_page("Producer Center", title="Pinnacle Ridge Health - Producer Center", text=text,
                       url="https://brokers.pinnacleridgehealth.com/login/")
    assert classify(named).role == "broker"
    # The same words from an auto insurer's agents, or with "Health" only in the title, are not health care
    auto = login_page("Agent Login", title="Steadfast Auto & Home Insurance | Agent Login", text=text,
                      url="https://agents.steadfastauto.com/login/")
    title_only = login_page("Producer Center", title="Pinnacle Ridge Health - Producer Center", text=text,
                            url="https://brokers.pinnacleridge.com/login/")
    assert classify(auto).role == classify(title_only).role == "unknown"


def test_balanced_evidence_is_unknown():
    text = "Members: see your benefits and ID card.\nProviders: verify eligibility and submit claims."
    verdict = classify(login_page("Sign in", title="Acme Health", text=text))
    assert verdict.role == "unknown"
    assert 0.0 <= verdict.confidence <= 1.0


def test_a_page_without_a_login_gets_the_audience_it_addresses():
    landing = page(frame(title="For Health Care Professionals | Acme", headings=["Working with Acme"],
                         text=PROVIDER_TEXT, links=[link("Log in to the provider website", "https://p.acme.example/")]))
    verdict = classify(landing)
    assert verdict.role == "provider" and verdict.confidence >= 0.5
    assert verdict.evidence[0] == "no login form: the page itself addresses providers"


def test_a_page_without_a_login_that_serves_everyone_or_leans_weakly_is_unknown():
    # A payer home page linking to three audiences' logins is everyone's
    home = page(frame(title="Acme Health", headings=["Health plans for everyone"], text=PROVIDER_TEXT + "\nFor employers.",
                      links=[link("Member log in", "https://my.acme.example/", "main"),
                             link("Provider portal", "https://p.acme.example/", "main"),
                             link("Employer portal", "https://e.acme.example/", "main")]))
    verdict = classify(home)
    assert verdict.role == "unknown"
    assert verdict.evidence[0] == "no login form, and the page links to the logins of several audiences"
    # An article that mentions providers once leans too weakly to be anyone's site
    article = page(frame(title="Health insurance - Wikiverse", headings=["Health insurance"],
                         text="Health insurance covers medical costs. Members pay premiums; providers submit claims."))
    assert classify(article).role == "unknown"


def test_other_frames_weigh_less_than_the_login_frame():
    ad = frame(url="https://ads.example/", title="Find a doctor near you!", headings=["Find a doctor"],
               text="Find a doctor. Your benefits. Your ID card.", cross_origin=True)
    main = frame(title="Provider sign in | Acme Health", headings=["Provider sign in"], forms=[form("Provider sign in")],
                 inputs=[box("User ID"), password()], buttons=[button("Sign in")], text=PROVIDER_TEXT)
    assert classify(page(main, ad)).role == "provider"


# --------------------------------------------------------------------------- other languages
# Pages written for these tests (German, Portuguese, French, Italian), one per role and
# language, and ordinary sites in the same languages that must stay unknown.

OTHER_LANGUAGE_LOGINS = {
    "provider": [
        login_page("Portal für Leistungserbringer", title="Anmelden | Hanse BKK", user_label="Institutionskennzeichen (IK)",
                   text="Für Ärzte, Praxen und Kliniken: Abrechnung, Genehmigungen und Kostenvoranschläge online."),
        login_page("Área do Prestador", title="Acessar | Plena Saúde", user_label="Código do prestador",
                   text="Médicos e clínicas credenciados: faturamento, envio de guias TISS e recurso de glosa."),
        login_page("Espace professionnels de santé", title="Connexion | Mutuelle Avenir", user_label="Numéro FINESS",
                   text="Tiers payant, demandes de prise en charge et suivi de vos paiements pour vos patients."),
        login_page("Area strutture sanitarie", title="Accedi | Fondo Salute Tirreno", user_label="Codice struttura",
                   text="Strutture convenzionate e medici: fatturazione delle prestazioni e autorizzazioni."),
    ],
    "member": [
        login_page("Meine Kasse – für Versicherte", title="Anmelden | Hanse BKK", user_label="Versichertennummer",
                   text="Ihre Krankenkasse online: Krankmeldung hochladen, Versichertenkarte bestellen, Arztsuche."),
        login_page("Área do Beneficiário", title="Acessar | Plena Saúde", user_label="Número da carteirinha",
                   text="Carteirinha digital, rede credenciada, reembolso e boletos do seu plano de saúde."),
        login_page("Espace adhérent", title="Connexion | Mutuelle Avenir", user_label="Numéro d'adhérent",
                   text="Consultez vos remboursements de soins, vos garanties santé et votre carte de tiers payant."),
        login_page("Area riservata iscritti", title="Accedi | Fondo Salute Tirreno", user_label="Codice fiscale",
                   text="Richiesta di rimborso, i miei rimborsi e la tessera sanitaria. Cerca una struttura convenzionata."),
    ],
    "employer": [
        login_page("Arbeitgeberportal", title="Anmelden | Hanse BKK", user_label="Betriebsnummer",
                   text="Für Arbeitgeber: Beitragsnachweise, Meldungen zur Sozialversicherung Ihrer Beschäftigten und Krankenkasse."),
        login_page("Portal da Empresa", title="Acessar | Plena Saúde", user_label="CNPJ",
                   text="Para empresas contratantes do plano de saúde: movimentação cadastral dos seus colaboradores e faturas."),
        login_page("Espace employeur", title="Connexion | Mutuelle Avenir", user_label="SIRET",
                   text="Gérez le contrat collectif santé de vos salariés : adhésions, cotisations et DSN."),
        login_page("Area aziende", title="Accedi | Fondo Salute Tirreno", user_label="Partita IVA",
                   text="Per il datore di lavoro: iscrizione dei tuoi dipendenti al fondo sanitario e contributi."),
    ],
    "broker": [
        login_page("Maklerportal", title="Anmelden | Nordstern Krankenversicherung", user_label="Vermittlernummer",
                   text="Für Makler und Vermittler: Angebote zur privaten Krankenversicherung, Bestand und Courtage."),
        login_page("Portal do Corretor", title="Acessar | Plena Saúde", user_label="Código do corretor",
                   text="Cotações de planos de saúde, propostas e comissões dos seus clientes."),
        login_page("Espace courtiers", title="Connexion | Mutuelle Avenir", user_label="Code courtier",
                   text="Devis santé pour vos clients, suivi de votre portefeuille et de vos commissions."),
        login_page("Area intermediari", title="Accedi | Tirreno Assicurazioni Salute", user_label="Codice intermediario",
                   text="Preventivi di polizze sanitarie, portafoglio clienti e provvigioni."),
    ],
}


@pytest.mark.parametrize(("role", "index"), [(r, i) for r, pages in OTHER_LANGUAGE_LOGINS.items()
                                             for i in range(len(pages))])
def test_role_words_in_german_portuguese_french_and_italian(role: str, index: int) -> None:
    verdict = classify(OTHER_LANGUAGE_LOGINS[role][index])
    assert verdict.role == role, verdict.evidence


@pytest.mark.parametrize("snapshot", [
    login_page("Anmelden", title="Anmelden | Kaufhaus Lindner", user_label="E-Mail-Adresse",
               text="Neu hier? Konto erstellen. Für Mitglieder: Versand kostenlos."),
    login_page("Connexion", title="Banque Arvel – Connexion", user_label="Identifiant",
               text="Accédez à vos comptes. Votre mutuelle santé et votre assurance habitation sont aussi disponibles."),
    login_page("Entrar", title="Webmail Correio Sul", user_label="E-mail",
               text="Acesse sua caixa de entrada. Empresas: fale com o seu administrador."),
    login_page("Accedi", title="Accedi | Banca Lario", user_label="Codice cliente",
               text="Conto corrente, carte e mutui. Polizza salute e assicurazione auto per i clienti."),
    login_page("Anmelden", title="Immobilienmakler Portal | Hausfinder", user_label="Benutzername",
               text="Für Makler: Ihre Kunden, Provisionen und Immobilien auf einen Blick."),
], ids=["german-shop", "french-bank", "portuguese-webmail", "italian-bank", "german-estate-agents"])
def test_shops_banks_and_webmail_in_other_languages_stay_unknown(snapshot) -> None:
    verdict = classify(snapshot)
    assert verdict.role == "unknown", verdict.evidence


# --------------------------------------------------------------------------- health-benefits context
# Employer and broker pages speak of plan sponsors, groups, enrollment and commissions rather than
# of care; those words open the health-care gate, any insurer's words alone do not.

def test_an_employer_page_with_only_benefits_words_is_health_care_context():
    # Given a plan sponsor login that never names care, a doctor or a health plan
    snapshot = login_page("Plan sponsor sign in", title="Group Services | Tidewater Benefit Partners",
                          text="Approve claims funding for your self-funded plan, send the monthly census "
                               "and download stop-loss reports.",
                          url="https://sponsors.tidewaterbp.example/login")
    # Then its benefits language is the context, and the page is an employer's
    verdict = classify(snapshot)
    assert verdict.role == "employer", verdict.evidence


def test_insurer_words_on_a_site_named_for_health_make_a_broker_page():
    text = "Check your appointment status, run quotes for new groups and download commission statements."
    health_named = login_page("Agent sign in", title="Brightford | Agents", text=text,
                              url="https://agents.brightfordhealth.example/login")
    assert classify(health_named).role == "broker"


def test_a_car_insurance_agent_login_stays_unknown():
    # Premiums, quotes, commissions and a book of business: an insurer's words, but not a health plan's
    car = login_page("Agent login", title="Agent Login | Keystone Mutual",
                     text="Quote personal lines and commercial auto policies, track premiums and commissions, "
                          "and review your book of business.",
                     url="https://agents.keystonemutual.example/login")
    bare = login_page("Producer sign in", title="Keystone Mutual", user_label="Producer number",
                      text="Quotes, renewals and commission statements for your clients.",
                      url="https://producers.keystonemutual.example/")
    for verdict in (classify(car), classify(bare)):
        assert verdict.role == "unknown", verdict.evidence


@pytest.mark.parametrize(("role", "snapshot"), [
    ("employer", login_page("Portal de empleadores", title="Acceso | Bahía Beneficios",
                            text="Periodo de inscripción: agregue a sus empleados a los planes grupales.",
                            url="https://empresas.bahiabeneficios.example/")),
    ("employer", login_page("Arbeitgeberservice", title="Anmelden | Nordwerft BKK",
                            text="Entgeltfortzahlung: Erstattungsanträge und Meldungen zur Sozialversicherung "
                                 "für Ihre Beschäftigten.", url="https://firma.nordwerft.example/")),
    ("employer", login_page("Espace entreprise", title="Connexion | Garonne Prévoyance",
                            text="Gérez le contrat collectif et la prévoyance de vos salariés : adhésions, "
                                 "portabilité des droits.", url="https://entreprise.garonne.example/")),
], ids=["spanish", "german", "french"])
def test_benefits_words_open_the_gate_in_other_languages(role: str, snapshot) -> None:
    verdict = classify(snapshot)
    assert verdict.role == role, verdict.evidence


def test_payroll_software_in_german_stays_unknown():
    payroll = login_page("Anmelden", title="Anmelden | LohnFix", user_label="Benutzername",
                         text="Lohnabrechnung online: Ihre Mitarbeiter, Beitragsnachweise und Sozialversicherung.",
                         url="https://app.lohnfix.example/")
    verdict = classify(payroll)
    assert verdict.role == "unknown", verdict.evidence


def test_whose_plan_it_is_tells_an_employer_page_from_a_member_page():
    # "your * plan" is every member page's; "your company's", "new hires" and "your team" are not
    employer = login_page("Manage your company's dental plan", title="Harbor Dental for Business",
                          text="Add new hires, order ID cards for your team and pay the monthly invoice.",
                          url="https://business.harbordental.example/")
    member = login_page("Manage your dental plan", title="Harbor Dental",
                        text="See your claims, print your ID card and find a dentist.",
                        url="https://my.harbordental.example/")
    assert (classify(employer).role, classify(member).role) == ("employer", "member")


# --------------------------------------------------------------------------- page purpose
# A careers, newsletter or shop page says so in its title, first heading, login heading or
# address; there role words below the strong tier weigh little.

def test_a_hospital_careers_login_stays_unknown():
    # Given a hospital's applicant login that names clinicians and providers
    careers = login_page("Applicant sign in", title="Join Our Team | Maple Hollow Medical Center",
                         text="Registered nurses, physicians and physician assistants: check the status of your "
                              "job application and upload your license.",
                         url="https://jobs.maplehollowmed.example/signin")
    # Then they are applicants, not the hospital's providers, and the evidence says why
    verdict = classify(careers)
    assert verdict.role == "unknown", verdict.evidence
    assert verdict.evidence[0].startswith("a careers page (page title 'Join Our Team")


def test_a_health_newsletter_sign_up_stays_unknown():
    newsletter = page(frame(title="Subscribe | Heartline Member News", headings=["Heart-healthy recipes in your inbox"],
                            text="A monthly letter from doctors and dietitians for members and readers: your "
                                 "health, preventive care and what insurance covers.\nEmail\nSubscribe",
                            url="https://www.heartline.example/subscribe"))
    verdict = classify(newsletter)
    assert verdict.role == "unknown", verdict.evidence
    assert "newsletter page" in verdict.evidence[0]


def test_a_gym_member_login_stays_unknown():
    gym = login_page("Member login", title="Member Login | Summit Strength Gym",
                     text="Members: book personal training, freeze your membership and pay dues. Our wellness "
                          "coaching is covered by many health insurance plans.",
                     url="https://members.summitstrength.example/login")
    assert classify(gym).role == "unknown"


def test_strong_role_words_survive_a_page_purpose_and_menus_do_not_set_one():
    # A provider page whose own heading says newsletter still speaks for providers in strong words
    news = page(frame(title="Provider Newsletter | Acme Health", headings=["Provider newsletter"],
                      text="Prior authorization changes, claim submission tips and credentialing dates for "
                           "health care professionals."))
    assert classify(news).role == "provider"
    # A provider login whose footer offers careers and a newsletter has no page purpose
    footer = "Careers\nNewsletter\nPrivacy"
    login = login_page("Provider sign in", title="Acme Health for Providers", nav_text=footer,
                       text=PROVIDER_TEXT + "\n" + footer)
    verdict = classify(login)
    assert verdict.role == "provider" and not any("page (" in e for e in verdict.evidence)


def test_a_pharmacy_network_login_is_a_providers_and_a_drugstore_account_is_not():
    # A pharmacy signs in to a pharmacy benefit manager with its NCPDP number, as a doctor with an NPI
    network = login_page("Participating pharmacy sign in", title="Sign in | Coastline Rx Services",
                         user_label="NCPDP ID", text="Check dispensing fee schedules and respond to a pharmacy "
                                                     "audit.", url="https://rx.coastline.example/")
    assert classify(network).role == "provider"
    # A drugstore's customer account names prescriptions and pharmacists, and stays nobody's portal
    drugstore = login_page("Sign in", title="Sign in | Corner Drug", text="Refill prescriptions, ask your "
                           "pharmacist a question and see your cart.", url="https://www.cornerdrug.example/")
    assert classify(drugstore).role == "unknown"


@pytest.mark.parametrize("snapshot", [
    login_page("Employee sign in", title="Westbrook University | HR Self-Service",
               text="Employees: make open enrollment changes to your benefits and update dependents.",
               url="https://hr.westbrook.example/"),
    login_page("Employee sign in", title="Westbrook University | HR Self-Service",
               text="View pay stubs, update your W-4 and request time off.", url="https://hr.westbrook.example/"),
    login_page("Agent login", title="Agent Login | Bluewave Tours",
               text="Travel advisors: quote small group tours and track your commissions.",
               url="https://agents.bluewave.example/"),
], ids=["hr-benefits-enrollment", "hr-pay-stubs", "tour-operator-agents"])
def test_hr_self_service_and_tour_operators_stay_unknown(snapshot) -> None:
    # Open enrollment, small groups, quotes and commissions are theirs as much as a health plan's
    verdict = classify(snapshot)
    assert verdict.role == "unknown", verdict.evidence


# --------------------------------------------------------------------------- ancillary providers
# Provider kinds beyond physicians and hospitals (NUCC groupings, CMS supplier types): equipment
# suppliers, agencies, laboratories, therapy practices. Invented pages, with ordinary look-alikes.

@pytest.mark.parametrize("snapshot", [
    login_page("Supplier sign in", title="Equipment Suppliers | Quillmoor Health", user_label="Supplier ID",
               text="Orthotics and prosthetics suppliers: send HCPCS codes for oxygen rentals and upload a "
                    "certificate of medical necessity.", url="https://equipment.quillmoorhealth.example/"),
    login_page("Therapy practice login", title="Sign in | Fernhaven Health Plan",
               text="Physical therapists, occupational therapists and speech-language pathologists: request "
                    "visit authorizations and see remittance for your practice.",
               url="https://therapy.fernhaven.example/login"),
    login_page("Agency login", title="Hospice agencies | Brackwater Care",
               text="For hospice agencies in our network: file a notice of admission and check payments. "
                    "Your agency administrator manages user access.",
               url="https://agency.brackwatercare.example/"),
    login_page("Lab portal", title="Clinical laboratories | Ostwick Health",
               text="Reference laboratories: enter your CLIA number, check medical necessity edits and "
                    "download payment reports.", url="https://labs.ostwickhealth.example/"),
    login_page("Anmelden", title="Partnerportal Hilfsmittel | Auental BKK", user_label="E-Mail-Adresse",
               text="Für Sanitätshäuser, Physiotherapiepraxen und Pflegedienste: Kostenvoranschläge einreichen "
                    "und Abrechnungen einsehen.", url="https://partner.auental-bkk.example/"),
    login_page("Portal de médicos", title="Acceso | Salud Corvina", user_label="Cédula profesional",
               text="Médicos de la red: solicite cartas de autorización y consulte sus honorarios pagados.",
               url="https://medicos.saludcorvina.example/"),
], ids=["dme-supplier", "therapy-practice", "hospice-agency", "laboratory", "german-hilfsmittel", "spanish-medicos"])
def test_ancillary_providers_and_suppliers_are_providers(snapshot) -> None:
    verdict = classify(snapshot)
    assert verdict.role == "provider", verdict.evidence


def test_agency_means_a_provider_beside_home_health_and_a_broker_beside_commissions():
    home_health = login_page("Agency sign in", title="Home health agencies | Tarnby Health",
                             text="Agencies submit start of care notices and OASIS documents here.",
                             url="https://portal.tarnbyhealth.example/")
    insurance = login_page("Agency sign in", title="Agencies | Tarnby Health",
                           text="Your agency's book of business, commission statements and appointments.",
                           url="https://portal.tarnbyhealth.example/")
    assert (classify(home_health).role, classify(insurance).role) == ("provider", "broker")


@pytest.mark.parametrize("snapshot", [
    login_page("Sign in to your account", title="Sign in | Carewell Medical Supply",
               text="Shop wheelchairs, walkers and CPAP supplies: durable medical equipment delivered to your "
                    "door. Free shipping on orders over $49. Track orders and reorder supplies.",
               url="https://www.carewellsupply.example/account/login"),
    login_page("Clinician login", title="Sign in | Brightpath Nurse Staffing",
               text="Travel nurses and home health aides: pick up shifts, submit your timesheet and keep your "
                    "license current with our staffing agency.", url="https://app.brightpathstaffing.example/"),
    login_page("Agency login", title="Agency Login | Sunward Travel",
               text="Travel agencies: book flights, cruises and vacation packages for your clients and see "
                    "your commissions.", url="https://agents.sunwardtravel.example/"),
], ids=["medical-supply-shop", "nurse-staffing-agency", "travel-agency"])
def test_medical_supply_shops_staffing_and_travel_agencies_stay_unknown(snapshot) -> None:
    verdict = classify(snapshot)
    assert verdict.role == "unknown", verdict.evidence


# --------------------------------------------------------------------------- member self-service
# The insured person's own area in other languages: policy, health card, reimbursements, the
# network directory. On an insurer's site its "customer area" is a member's; on a bank's it is not.

@pytest.mark.parametrize("snapshot", [
    login_page("Entra en tu área de clientes", title="Área de clientes | Mistral Salud", user_label="NIF",
               text="Descarga tu tarjeta sanitaria, revisa tu póliza y consulta el cuadro médico de tu provincia.",
               url="https://clientes.mistralsalud.example/"),
    login_page("Área do Cliente", title="Entrar | Atlântida Seguros de Saúde", user_label="Número de cliente",
               text="Acompanhe os seus pedidos de reembolso e descarregue o cartão de saúde da rede convencionada.",
               url="https://cliente.atlantidasaude.example/"),
    login_page("Kundenbereich", title="Anmelden | Vallis Private Krankenversicherung", user_label="Versicherungsnummer",
               text="Arztrechnungen einreichen, Ihre Erstattungen verfolgen und Ihre Police ansehen.",
               url="https://kunden.vallis-pkv.example/"),
    login_page("Espace client", title="Connexion | Mutuelle Cévennes Santé", user_label="Numéro d'adhérent",
               text="Faites une demande de remboursement et trouvez un opticien du réseau de soins.",
               url="https://client.cevennes-sante.example/"),
    login_page("Area clienti", title="Accedi | Cassa Salute Adige", user_label="Codice fiscale",
               text="Richiedi il rimborso delle visite e consulta la rete convenzionata.",
               url="https://clienti.cassasaluteadige.example/"),
], ids=["spanish", "portuguese", "german", "french", "italian"])
def test_the_insured_persons_own_area_is_a_member_page(snapshot) -> None:
    verdict = classify(snapshot)
    assert verdict.role == "member", verdict.evidence


def test_a_spanish_bank_customer_area_stays_unknown():
    bank = login_page("Accede a tu área de clientes", title="Área de clientes | Banco Ribera", user_label="DNI",
                      text="Consulta tus cuentas, tarjetas y tu hipoteca, y revisa la póliza de tu seguro de salud "
                           "contratado con el banco.", url="https://clientes.bancoribera.example/")
    verdict = classify(bank)
    assert verdict.role == "unknown", verdict.evidence


# --------------------------------------------------------------------------- vision and dental members

@pytest.mark.parametrize(("role", "snapshot"), [
    ("member", login_page("Hello again", title="Sign in", user_label="Email",
                          text="See how much of your lens allowance is left, when your next exam is due, and "
                               "find an in-network eye doctor.", url="https://members.clearbrook.example/")),
    ("member", login_page("Sign in", title="Tidepool Dental", user_label="Email",
                          text="Two cleanings per year are covered. Book your next cleaning with an in-network "
                               "dentist and track your annual maximum.", url="https://my.tidepooldental.example/")),
    ("provider", login_page("Sign in", title="Clearbrook Vision | Doctors",
                            text="Optometrists and ophthalmologists: authorize exams and materials and check "
                                 "claim status.", url="https://doctors.clearbrook.example/")),
], ids=["vision-member", "dental-member", "vision-provider"])
def test_vision_and_dental_plan_words_tell_members_from_eye_doctors(role: str, snapshot) -> None:
    verdict = classify(snapshot)
    assert verdict.role == role, verdict.evidence


def test_an_eyeglasses_shop_login_stays_unknown():
    shop = login_page("Sign in to your account", title="Sign in | Framehouse Eyewear", user_label="Email",
                      text="Order frames and contact lenses, book an eye exam in one of our stores and use your "
                           "frame allowance at checkout. Free shipping on every order; track orders anytime.",
                      url="https://www.framehouse.example/account/login")
    verdict = classify(shop)
    assert verdict.role == "unknown", verdict.evidence


# --------------------------------------------------------------------------- small-group employers

def test_a_small_group_employer_login_on_a_health_plans_site_is_an_employer_page():
    small_group = login_page("Welcome back", title="Sign in | Hollins Peak Small Business", user_label="Email",
                             text="For small business owners with 5 to 40 employees: add an employee to the "
                                  "plan, pay your group bill and review your renewal.",
                             url="https://business.hollinspeakhealth.example/")
    verdict = classify(small_group)
    assert verdict.role == "employer", verdict.evidence


@pytest.mark.parametrize("snapshot", [
    login_page("Welcome back", title="Sign in | Ledgerly Payroll", user_label="Email",
               text="Built for businesses with 2-50 employees: add an employee, run payroll and pay your "
                    "monthly bill.", url="https://app.ledgerly.example/"),
    login_page("Business account sign in", title="Sign in | Corvid Mobile for Business", user_label="Email",
               text="Owners and office managers: pay your monthly bill, add an employee line and change your "
                    "renewal options.", url="https://business.corvidmobile.example/"),
], ids=["payroll", "phone-company"])
def test_small_business_words_without_a_health_plan_stay_unknown(snapshot) -> None:
    verdict = classify(snapshot)
    assert verdict.role == "unknown", verdict.evidence


# --------------------------------------------------------------------------- German member portal names

def test_a_german_health_funds_online_branch_is_its_members_portal():
    down = page(frame(title="Wartung | Meine Lindgau BKK",
                      headings=["Unsere Online-Filiale ist bald wieder für Sie da"],
                      text="Heute Nacht von 22 bis 2 Uhr ist die Online-Filiale nicht erreichbar. Ihre elektronische "
                           "Gesundheitskarte gilt weiter; der Versichertenservice hilft Ihnen telefonisch.",
                      url="https://meine.lindgau-bkk.example/wartung"))
    employer = login_page("Online-Geschäftsstelle für Arbeitgeber", title="Anmelden | Lindgau BKK",
                          user_label="Betriebsnummer",
                          text="Beitragsnachweise und Meldungen für Ihre Beschäftigten.",
                          url="https://firmen.lindgau-bkk.example/")
    assert (classify(down).role, classify(employer).role) == ("member", "employer")


# --------------------------------------------------------------------------- the gate, with the role in view


def test_a_health_named_site_that_addresses_one_role_strongly_passes_the_gate():
    # Nothing but "coverage" and the host says health care; the page speaks to a group's administrator
    snapshot = login_page("Sign in", title="Sign in", url="https://www.brightfernhealth.example/employer/",
                          text="Sign in\nManage your group's coverage.", user_label="Email", user_type="email")
    assert classify(snapshot).role == "employer"
    # The same words on a host that names no health care stay unknown
    plain = login_page("Sign in", title="Sign in", url="https://www.brightfern.example/employer/",
                       text="Sign in\nManage your group's coverage.", user_label="Email", user_type="email")
    assert classify(plain).role == "unknown"


def test_an_agency_that_says_health_and_speaks_like_an_insurer_is_a_broker_page():
    text = ("Producer login\nSmall-group and individual health quotes, carrier appointments and your monthly "
            "commission statements.")
    assert classify(login_page("Producer login", title="Ridgeway General Agency | Producer login",
                               url="https://agents.ridgewayga.example/", text=text)).role == "broker"
    # A car insurer's agents have quotes, carriers and commissions too, but never health
    auto = text.replace("Small-group and individual health quotes", "Auto and home quotes")
    assert classify(login_page("Producer login", title="Ridgeway General Agency | Producer login",
                               url="https://agents.ridgewayga.example/", text=auto)).role == "unknown"


def test_an_allowlisted_payer_named_in_the_title_is_health_care_context():
    from preflight.checks.portal.loginform import find_login_form as find

    snapshot = login_page("Sign in", title="Cigna for Employers | Sign in", url="https://employer-billing.example/",
                          text="Sign in\nView invoices and add employees.")
    login = find(snapshot, VOCAB)
    assert classify_role(snapshot, login, VOCAB).role == "unknown"  # the words alone are anyone's
    assert classify_role(snapshot, login, VOCAB, ("Cigna for Employers",)).role == "employer"


def test_the_portal_check_passes_only_names_it_shows_where_a_page_says_whose_it_is():
    from preflight.checks import CheckConfig, portal

    from .factories import default_allowlist

    config = CheckConfig.build(default_allowlist())
    titled = login_page("Sign in", title="Cigna for Employers | Sign in", url="https://employer-billing.example/",
                        text="Sign in\nView invoices and add employees.")
    assert portal.check(titled, config).data.role == "employer"
    mentioned = login_page("Sign in", title="Sign in", url="https://employer-billing.example/",
                           text="Sign in\nView invoices and add employees. We work with Cigna for Employers.")
    assert portal.check(mentioned, config).data.role == "unknown"


@pytest.mark.parametrize("text", [
    "Empresas con contrato colectivo\nGestione ingresos y retiros de colaboradores de su medicina prepagada.",
    "Agents\nScope of appointment forms and the annual enrollment period calendar for your book of business.",
])
def test_local_names_of_health_plans_and_medicare_sales_terms_are_health_care(text):
    verdict = classify(login_page("Acceso", title="Portal", url="https://portal.example/", text=text))
    assert verdict.role in ("employer", "broker") and verdict.health_context >= 3


# --------------------------------------------------------------------------- batch 8: plan kinds and host names


def test_a_host_label_holding_a_health_word_is_context_for_a_strongly_addressed_role():
    fund = login_page("Practitioner sign in", title="Practitioner sign in", user_label="Email",
                      url="https://practitioners.wattlebayhealthfund.example/")
    assert classify(fund).role == "provider", classify(fund).evidence
    # The same page on a host that names no health care stays unknown
    plain = login_page("Practitioner sign in", title="Practitioner sign in", user_label="Email",
                       url="https://practitioners.wattlebay.example/")
    assert classify(plain).role == "unknown"


def test_a_wealth_managers_advisor_login_on_a_commonwealth_host_stays_unknown():
    wealth = login_page("Advisor sign in", title="Advisor Centre | Commonwealth Private", user_label="Advisor ID",
                        url="https://advisors.commonwealthprivate.example/",
                        text="Licensed advisors: see client portfolios, wealth management proposals and your "
                             "compensation statements.")
    assert classify(wealth).role == "unknown", classify(wealth).evidence
    # An insurer's advisor centre that sells group benefits is a broker page
    benefits = login_page("Advisor sign in", title="Advisor Centre | Tamarack Life", user_label="Advisor ID",
                          url="https://advisors.tamaracklife.example/",
                          text="Licensed advisors and group benefits consultants: request group quotes and see "
                               "your block of business and compensation statements.")
    assert classify(benefits).role == "broker", classify(benefits).evidence


def test_a_multiemployer_funds_employers_and_participants_and_a_union_locals_dues_login():
    employers = login_page("Contributing employer login", title="Employers | Riverbend Carpenters Funds",
                           url="https://employers.riverbendcarpenters.example/",
                           text="Signatory contractors submit monthly remittance reports and employer contributions "
                                "to the Health and Welfare Fund. Payroll auditors: call the Fund Office.")
    participants = login_page("Participant login", title="Participants | Riverbend Carpenters Funds",
                              user_label="Participant ID", url="https://my.riverbendcarpenters.example/",
                              text="Check your hours bank and eligibility for Health & Welfare benefits.")
    union = login_page("Member login", title="Member Login | Carpenters Local 44", user_label="Card number",
                       url="https://members.carpenterslocal44.example/",
                       text="Pay your monthly dues and check the out-of-work list. Health & Welfare questions? "
                            "They are answered by the Fund Office, not the Local.")
    assert (classify(employers).role, classify(participants).role, classify(union).role) == \
        ("employer", "member", "unknown"), (classify(employers).evidence, classify(union).evidence)


def test_employee_assistance_program_counselors_and_hr_administrators():
    counselors = login_page("Affiliate counselor sign in", title="Affiliate Counselor Sign In | Brightwell",
                            user_label="Email", url="https://affiliates.brightwell.example/",
                            text="Accept new EAP case referrals and see session authorizations for your cases.")
    hr = login_page("Brightwell for Organizations", title="Brightwell for Organizations", user_label="Email",
                    url="https://hr.brightwell.example/",
                    text="HR leaders: view anonymized utilization reports of your employee assistance program and "
                         "request critical incident support.")
    assert (classify(counselors).role, classify(hr).role) == ("provider", "employer"), classify(hr).evidence


def test_workers_comp_employer_services_and_a_car_insurers_loss_runs():
    comp = login_page("Employer Services", title="Employer Services | Granite Comp", user_label="Email",
                      url="https://employers.granitecomp.example/",
                      text="Report a workplace injury, follow return-to-work plans and download loss runs.")
    auto = login_page("Fleet customers", title="Fleet Services | Roadline Insurance", user_label="Email",
                      url="https://fleet.roadlineins.example/",
                      text="Commercial auto policyholders: report an accident, add a driver and download loss runs "
                           "for your business.")
    assert (classify(comp).role, classify(auto).role) == ("employer", "unknown"), classify(auto).evidence


def test_quebec_group_insurance_administrators_and_care_providers():
    admin = login_page("Espace administrateur de régime", title="Administrateurs de régime | Collectif Laurentides",
                       user_label="Code d'utilisateur", url="https://admin.collectiflaurentides.example/",
                       text="Ajoutez un nouvel employé et consultez la facture mensuelle de votre contrat "
                            "d'assurance collective.")
    care = login_page("Fournisseurs de soins", title="Services aux fournisseurs de soins | Collectif Laurentides",
                      user_label="Numéro de fournisseur", url="https://soins.collectiflaurentides.example/",
                      text="Dentistes et physiothérapeutes : transmettez vos demandes pour les personnes assurées.")
    assert (classify(admin).role, classify(care).role) == ("employer", "provider")


def test_a_sharing_ministrys_members_and_a_churchs_giving_login():
    sharing = login_page("Sign in", title="Sign in | Cedar Hollow", url="https://www.cedarhollow.example/",
                         text="Cedar Hollow is a health sharing ministry, not insurance. Sign in to submit a share "
                              "request and follow your share requests.")
    church = login_page("Member login", title="Online Giving | Grace Valley Church",
                        url="https://give.gracevalleychurch.example/",
                        text="Members: set up recurring tithes and donations, and pray for our health ministry.")
    assert (classify(sharing).role, classify(church).role) == ("member", "unknown"), classify(church).evidence


def test_uk_and_australian_health_funds_cover_practitioners_and_intermediaries():
    cover = login_page("Sign in to your cover", title="Sign in", user_label="Email",
                       url="https://members.kestrelmoor.example/",
                       text="Check your hospital cover and extras cover limits.")
    adviser = login_page("Intermediary sign in", title="Intermediaries | Kestrelmoor", user_label="Email",
                         url="https://partners.kestrelmoor.example/",
                         text="For intermediaries: quote private medical insurance for your clients and see your "
                              "trail commission.")
    assert (classify(cover).role, classify(adviser).role) == ("member", "broker")


def test_german_hospital_portals_and_swiss_company_cover_and_a_tills_login():
    hospital = login_page("Anmeldung Krankenhausportal", title="Krankenhausportal | Emsland Kasse",
                          user_label="Benutzerkennung", url="https://portal.emslandkasse.example/",
                          text="Für Krankenhäuser und Rehakliniken: Kostenübernahmen und Rückfragen des "
                               "Medizinischen Dienstes.")
    company = login_page("Anmelden im Unternehmensportal", title="Firmenkunden | Talblick Kasse",
                         user_label="E-Mail", url="https://firmenkunden.talblickkasse.example/",
                         text="Für Personalabteilungen: Krankentaggeld- und UVG-Meldungen erfassen, Lohnsummen "
                              "deklarieren.")
    till = login_page("Anmelden", title="Bistrokasse | Anmelden", user_label="E-Mail",
                      url="https://app.bistrokasse.example/",
                      text="Ihr Kassensystem: Kassenbuch, Tagesabschluss und Mitarbeiter verwalten.")
    assert (classify(hospital).role, classify(company).role, classify(till).role) == \
        ("provider", "employer", "unknown"), classify(till).evidence


def test_a_page_without_a_login_that_leads_to_no_account_has_no_role():
    consultant = page(frame(title="Northfield Benefits Advisory | Employee benefits consulting",
                            headings=["Benefits strategy for mid-size employers"],
                            text="We help employers decide between fully insured and self-funded plans and "
                                 "negotiate renewals with carriers.", url="https://www.northfieldadvisory.example/"))
    landing = page(frame(title="Employers | Northfield Health Plan", headings=["Benefits strategy for employers"],
                         text="Employers decide between fully insured and self-funded plans and manage renewals.",
                         links=[link("Log in to the employer portal", "https://employer.northfieldhp.example/", "main")],
                         url="https://www.northfieldhp.example/"))
    assert (classify(consultant).role, classify(landing).role) == ("unknown", "employer")


def test_a_software_vendors_demo_page_without_a_login_is_nobodys_portal():
    from .portal_pages import frame, link, page

    text = ("Open enrollment your employees will finish\nGuide your employees through medical, dental and vision "
            "benefits, then send elections to your carriers.\nRequest a demo\nWork email\nCompany")
    vendor = page(frame(url="https://www.benefitsflow.example/", title="BenefitsFlow | Benefits Software for Employers",
                        headings=["Open enrollment your employees will finish", "Request a demo"], text=text,
                        links=[link("Log in", "https://app.benefitsflow.example/login", region="nav")]))
    verdict = classify(vendor)
    assert verdict.role == "unknown" and "vendor page" in verdict.evidence[0]
    # A health plan's employer page without a login, that says whose portal it leads to, keeps its role
    plan = page(frame(url="https://www.acmehealth.example/employers/", title="Employers | Acme Health Plan",
                      headings=["For employers"],
                      text="For employers\nManage your group's health plan coverage, billing and eligibility.",
                      links=[link("Employer portal login", "https://employer.acmehealth.example/login", region="main")]))
    assert classify(plan).role == "employer"


def test_a_medical_societys_member_login_is_the_societys_not_a_health_plans():
    society = login_page("Member login", title="Member Login | Ridgefield County Medical Society",
                         url="https://members.ridgefieldmed.example/login",
                         text="Member login\nRenew your dues, access CME transcripts and the physicians' directory.")
    assert classify(society).role == "unknown"
    plan = login_page("Member login", title="Member Login | Ridgefield Health Plan",
                      url="https://members.ridgefieldhealth.example/login",
                      text="Member login\nSee your claims, print your ID card and find a doctor in your network.")
    assert classify(plan).role == "member"


# --------------------------------------------------------------------------- batch 10/11 causes


def test_insurance_alone_is_not_health_care():
    # A life insurer's agent center: appointments, commissions, underwriting, "insurance"
    text = ("Agent sign in\nLife insurance for families. Appointed agents and agencies: check contracting, "
            "underwriting status and commissions.")
    url = "https://agents.lanternlife.example/"
    assert classify(login_page("Agent sign in", title="Lantern Life | Agent Center", text=text, url=url)).role == "unknown"
    # with health cover named, the same words are a health plan's brokers
    health = text + "\nQuote small group health insurance and dental plans."
    assert classify(login_page("Agent sign in", title="Lantern Life | Agent Center", text=health, url=url)).role == "broker"


def test_a_job_boards_employer_login_is_nobodys_portal():
    text = "Acceso empresas\nPublica ofertas de empleo y encuentra candidatos. Salud, ventas y tecnologia."
    verdict = classify(login_page("Acceso empresas", title="Acceso empresas | Trabajandes — Empleo en Chile",
                                  text=text, url="https://empresas.trabajandes.example/acceder"))
    assert verdict.role == "unknown"


def test_a_medical_societys_member_login_is_not_a_plans():
    text = ("Member login\nNorth State Medical Society members: renew your dues, CME transcripts, advocacy on prior "
            "authorization for physicians.")
    assert classify(login_page("Member login", title="Member Login | North State Medical Society",
                               text=text)).role == "unknown"


def test_policyholder_is_the_employer_on_a_stop_loss_page():
    text = ("Policyholder sign in\nYour stop-loss policy online for employers and plan sponsors of self-funded "
            "medical plans: reimbursements, premium invoices, renewals.")
    verdict = classify(login_page("Policyholder sign in", title="Policyholder Sign In | Palisade Risk", text=text))
    assert verdict.role == "employer"
    # on a health plan's member page the policyholder is the member
    member = "Policyholder sign in\nSee your ID card, your EOB and claims, and find a doctor in your plan's network."
    assert classify(login_page("Policyholder sign in", title="Acme Health", text=member)).role == "member"


def test_text_drawn_as_images_speaks_through_its_alt_text():
    from dataclasses import replace

    page = login_page("Agent sign in", title="Agent Portal | Brookhollow Advantage", text="Agent sign in",
                      url="https://agents.brookhollowadvantage.example/login")
    assert classify(page).role == "unknown"  # nothing on it says health care
    drawn = replace(page, frames=(replace(page.frames[0], image_alts=(
        "Sell with confidence in 2026. Complete AHIP and plan certification, submit enrollments and track "
        "commissions.",)),))
    assert classify(drawn).role == "broker"


def test_payroll_deduction_of_voluntary_benefits_is_not_a_payroll_service():
    text = ("Employer billing\nList bill and payroll deduction reports for your employees' accident insurance "
            "and hospital indemnity coverage.")
    verdict = classify(login_page("Employer sign in", title="Candor Supplemental for Employers", text=text,
                                  url="https://employers.candorsupplemental.example/login"))
    assert verdict.role == "employer"
    payroll = "Run payroll\nPay stubs, direct deposit and W-2s for your employees."
    assert classify(login_page("Employer sign in", title="Paycrest", text=payroll,
                               url="https://login.paycrest.example/")).role == "unknown"


# --------------------------------------------------------------------------- batch 13g causes


def test_care_and_its_industry_are_not_a_plan():
    # a diagnostics lab's patient results, a drug maker's prescriber portal
    results = classify(login_page("Sign in", title="Sign in – Lumatest Patient Results",
                                  text="Sign in\nSee your lab results. Your clinician gets them too.",
                                  url="https://results.lumatest.example/patient/signin"))
    assert results.role == "unknown"
    pharma = classify(login_page("Log in to Velmaro HCP", title="Velmaro for Healthcare Professionals",
                                 text="Request samples and medical information for your patients.",
                                 url="https://hcp.velmaropharma.example/login"))
    assert pharma.role == "unknown"


def test_a_purpose_is_not_taken_when_the_title_names_a_health_plan():
    text = "Student sign in\nSee your ID card and claims, and find a doctor near campus."
    plan = classify(login_page("Student sign in", title="Student Login | Redwing Campus Health Plans", text=text,
                               url="https://my.redwingcampusplans.example/login"))
    assert plan.role == "member"
    school = classify(login_page("Student Portal Login", title="Student Login | BillRight Institute of Medical Billing",
                                 text="Student Portal Login\nCourses on claims, CPT coding and prior authorization.",
                                 url="https://learn.billright.example/student/login"))
    assert school.role == "unknown"


def test_a_site_named_for_another_business_stays_unknown_whatever_its_medical_words():
    text = "Log in to file or track a claim\nEmergency medical expenses abroad, hospital stays, doctor visits."
    assert classify(login_page("Log in to file or track a claim", title="Claims Center – Farwander Travel Insurance",
                               text=text, url="https://claims.farwander.example/login")).role == "unknown"


# --------------------------------------------------------------------------- batch 14 causes


def test_a_pet_insurer_or_a_phone_plan_is_not_a_health_plan():
    pets = "Espace client\nVos remboursements de frais vétérinaires pour votre chien ou votre chat. Feuille de soins."
    assert classify(login_page("Connexion", title="AssurPattes – Espace client", text=pets,
                               url="https://espace.assurpattes.example/connexion")).role == "unknown"
    phone = "Sign in\nSee your plan, data usage and roaming, and upgrade your phone. Coverage map."
    assert classify(login_page("Sign in", title="My Zephyr", text=phone,
                               url="https://my.zephyrmobile.example/login")).role == "unknown"


def test_remittance_is_the_employers_on_a_funds_contribution_page():
    text = ("Online Remittance Reporting\nContributing employers and signatory contractors: submit your monthly "
            "remittance and employer contributions to the Local 2214 Health and Welfare Fund.")
    verdict = classify(login_page("Online Remittance Reporting", title="Employer Remittance Login - Local 2214 Fund",
                                  text=text, url="https://employers.local2214fund.example/remit"))
    assert verdict.role == "employer"


def test_an_outage_notice_is_a_portal_page_without_a_login():
    text = ("We're experiencing a service interruption\nThe Plan Administrator Centre is currently unavailable: plan "
            "administrators can't add or terminate plan members or view group benefits billing statements.")
    verdict = classify(page(frame(url="https://planadmin.northcairn.example/outage/",
                                  title="Service interruption – Northcairn Health Plan Administrator Centre",
                                  headings=("We're experiencing a service interruption",), text=text)))
    assert verdict.role == "employer"


def test_a_funeral_plans_members_are_not_a_health_plans():
    text = "Log in to My Plan\nSee your funeral plan, your payments and the cover for your family members."
    assert classify(login_page("Log in to My Plan", title="My Plan | Evenstill Funeral Plans", text=text,
                               url="https://www.evenstillfuneralplans.example/my-plan/login")).role == "unknown"
