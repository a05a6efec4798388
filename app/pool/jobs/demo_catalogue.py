"""The demo's catalogue of realistic municipal work (app.pool.jobs.demo picks from it): data only,
in Dutch as the demo shows it."""

#: (title, description, skills, hours per week, location, remote)
CATALOGUE = [
    (
        "Notulist voor de raadscommissie",
        "Voor de commissie **Ruimte** zoeken we iemand die de vergaderingen notuleert.\n\n- ongeveer twee avonden per maand\n- verslag binnen drie werkdagen\n- ervaring met besluitenlijsten is fijn",  # noqa: E501
        ["Notuleren", "Verslaglegging"],
        6,
        "Raadhuis",
        False,
    ),
    (
        "Extra handen bij het Wmo-loket",
        "Tijdens de drukke maanden helpen met de intake aan de telefoon en aan de balie. Je werkt samen met de vaste consulenten.",  # noqa: E501
        ["Klantcontact", "Wmo"],
        16,
        "Gemeentehuis, loket Zorg",
        False,
    ),
    (
        "Projectmedewerker implementatie Omgevingswet",
        "Help de afdelingen met de werkprocessen onder de Omgevingswet: inventariseren, werkinstructies schrijven en collega's meenemen in de veranderingen.",  # noqa: E501
        ["Projectmanagement", "Omgevingswet", "Procesbeschrijving"],
        24,
        "",
        True,
    ),
    (
        "Data-analist voor de wijkmonitor",
        "Cijfers uit verschillende bronnen samenbrengen in de wijkmonitor en de uitkomsten toelichten aan de beleidsmedewerkers.",  # noqa: E501
        ["Data-analyse", "Excel"],
        12,
        "",
        True,
    ),
    (
        "Baliemedewerker burgerzaken (paspoorten en rijbewijzen)",
        "In de weken voor de zomervakantie is het druk aan de balie. Je helpt bij aanvragen en uitreiking van reisdocumenten.",  # noqa: E501
        ["Burgerzaken", "Klantcontact", "BRP"],
        16,
        "Gemeentehuis, balie Burgerzaken",
        False,
    ),
    (
        "Medewerker verkiezingen",
        "Help bij de voorbereiding van de verkiezingen: stembureauleden werven, stembiljetten tellen en de uitslag vaststellen.",  # noqa: E501
        ["Verkiezingen", "Organiseren"],
        12,
        "Gemeentehuis",
        False,
    ),
    (
        "Consulent Wmo (tijdelijk)",
        "Keukentafelgesprekken voeren en de aanvragen voor maatwerkvoorzieningen afhandelen tijdens een vacature.",  # noqa: E501
        ["Wmo", "Gespreksvoering", "Sociaal domein"],
        24,
        "Wijkteamkantoor",
        False,
    ),
    (
        "Klantmanager Participatiewet",
        "Begeleid inwoners met een bijstandsuitkering naar werk of meedoen; je sluit aan bij het team Werk en Inkomen.",  # noqa: E501
        ["Participatiewet", "Gespreksvoering"],
        20,
        "Werkplein",
        False,
    ),
    (
        "Toezichthouder openbare ruimte",
        "Controle op afval, parkeren en terrassen in het centrum. Een BOA-certificaat is een pré.",
        ["Handhaving", "Openbare ruimte"],
        16,
        "Centrum",
        False,
    ),
    (
        "Opzichter groenonderhoud",
        "Het bestek groenonderhoud van dit seizoen begeleiden: schouwen, opdrachten aan de aannemer, meldingen van bewoners.",  # noqa: E501
        ["Groenbeheer", "Bestek"],
        20,
        "Gemeentewerf",
        False,
    ),
    (
        "Medewerker meldingen openbare ruimte",
        "Meldingen van inwoners over losliggende tegels, kapotte lantaarnpalen en zwerfafval beoordelen en doorzetten.",  # noqa: E501
        ["Klantcontact", "Openbare ruimte"],
        12,
        "Gemeentewerf",
        False,
    ),
    (
        "Projectleider herinrichting Dorpsstraat",
        "Participatie met bewoners en ondernemers, planning en afstemming met de aannemer voor de nieuwe inrichting.",  # noqa: E501
        ["Projectmanagement", "Participatie", "Civiele techniek"],
        16,
        "",
        True,
    ),
    (
        "Taxateur WOZ (piek januari)",
        "Bezwaarschriften tegen de WOZ-waarde behandelen in de drukke weken na de aanslagen.",
        ["WOZ", "Taxeren", "Belastingen"],
        24,
        "Gemeentehuis",
        True,
    ),
    (
        "Medewerker invordering gemeentelijke belastingen",
        "Betalingsregelingen treffen en kwijtscheldingsverzoeken beoordelen.",
        ["Belastingen", "Invordering"],
        16,
        "Gemeentehuis",
        False,
    ),
    (
        "Vergunningverlener omgevingsvergunning",
        "Aanvragen voor bouwen en verbouwen toetsen onder de Omgevingswet, in overleg met initiatiefnemers.",  # noqa: E501
        ["Omgevingswet", "Vergunningverlening", "Bouwregelgeving"],
        32,
        "",
        True,
    ),
    (
        "Adviseur participatie omgevingsvisie",
        "Bijeenkomsten met inwoners organiseren en de opbrengst verwerken in de omgevingsvisie.",
        ["Participatie", "Omgevingswet", "Communicatie"],
        12,
        "",
        True,
    ),
    (
        "Informatiebeheerder archief",
        "Achterstanden in het digitale archief wegwerken en zaakdossiers volgens de selectielijst inrichten.",  # noqa: E501
        ["Archief", "Informatiebeheer"],
        16,
        "Gemeentehuis",
        True,
    ),
    (
        "Functioneel beheerder zaaksysteem",
        "Ondersteun collega's bij het zaaksysteem, test nieuwe versies en houd de zaaktypen bij.",
        ["Functioneel beheer", "ICT", "Zaakgericht werken"],
        20,
        "",
        True,
    ),
    (
        "ICT-servicedeskmedewerker",
        "Eerstelijns vragen van collega's over laptops, accounts en telefonie oplossen.",
        ["ICT", "Klantcontact"],
        24,
        "Gemeentehuis",
        False,
    ),
    (
        "Privacy-adviseur (AVG)",
        "Verwerkingsregister bijwerken, DPIA's begeleiden en collega's adviseren over de AVG.",
        ["AVG", "Privacy", "Advisering"],
        8,
        "",
        True,
    ),
    (
        "Communicatieadviseur afvalinzameling",
        "De campagne voor de nieuwe afvalinzameling opzetten: bewonersbrief, website en sociale media.",  # noqa: E501
        ["Communicatie", "Tekstschrijven", "Social media"],
        12,
        "",
        True,
    ),
    (
        "Webredacteur",
        "Teksten op de gemeentelijke website herschrijven op B1-niveau en toegankelijk maken.",
        ["Tekstschrijven", "Webredactie", "Toegankelijkheid"],
        16,
        "",
        True,
    ),
    (
        "Zweminstructeur zwembad De Sprong",
        "Zwemlessen voor kinderen geven op woensdagmiddag en zaterdagochtend.",
        ["Zwemonderwijs", "Lesgeven"],
        8,
        "Zwembad De Sprong",
        False,
    ),
    (
        "Badmeester zomerseizoen",
        "Toezicht houden in het buitenbad tijdens de zomermaanden. Een geldig EHBO-diploma is nodig.",  # noqa: E501
        ["Toezicht", "EHBO", "Zwembad"],
        24,
        "Buitenbad",
        False,
    ),
    (
        "Beleidsmedewerker duurzaamheid",
        "Het uitvoeringsprogramma energietransitie bijwerken en subsidies aanvragen.",
        ["Duurzaamheid", "Beleid", "Subsidies"],
        16,
        "",
        True,
    ),
    (
        "Medewerker subsidies verenigingen",
        "Subsidieaanvragen van sport- en cultuurverenigingen beoordelen en beschikkingen opstellen.",  # noqa: E501
        ["Subsidies", "Beschikkingen"],
        12,
        "Gemeentehuis",
        True,
    ),
    (
        "Secretaris bezwaarschriftencommissie",
        "Hoorzittingen voorbereiden, verslagen maken en adviezen opstellen.",
        ["Juridisch", "Bezwaar en beroep", "Notuleren"],
        16,
        "Raadhuis",
        False,
    ),
    (
        "Juridisch medewerker handhaving",
        "Handhavingsbesluiten en last onder dwangsom opstellen na controles.",
        ["Juridisch", "Handhaving"],
        20,
        "",
        True,
    ),
    (
        "Inkoopadviseur aanbesteding jeugdhulp",
        "De aanbesteding van jeugdhulp in de regio voorbereiden met de inkopers van de buurgemeenten.",  # noqa: E501
        ["Inkoop", "Aanbesteden", "Jeugdwet"],
        16,
        "",
        True,
    ),
    (
        "Financieel adviseur begroting",
        "Meewerken aan de begroting en de tussenrapportage: cijfers verzamelen en toelichtingen schrijven.",  # noqa: E501
        ["Financiën", "Begroting", "Excel"],
        20,
        "",
        True,
    ),
    (
        "Medewerker crediteurenadministratie",
        "Facturen controleren, coderen en klaarzetten voor betaling tijdens de jaarafsluiting.",
        ["Financiën", "Administratie"],
        16,
        "Gemeentehuis",
        False,
    ),
    (
        "Coördinator opvang Oekraïense vluchtelingen",
        "Contact met de gastgezinnen en de opvanglocatie, en afstemming met het COA.",
        ["Organiseren", "Sociaal domein", "Klantcontact"],
        24,
        "Opvanglocatie",
        False,
    ),
    (
        "Consulent schuldhulpverlening",
        "Intakes doen en inwoners met schulden op weg helpen naar een regeling.",
        ["Schuldhulpverlening", "Gespreksvoering"],
        16,
        "Werkplein",
        False,
    ),
    (
        "Leerplichtambtenaar (vervanging)",
        "Verzuimmeldingen van scholen afhandelen en gesprekken voeren met ouders en jongeren.",
        ["Leerplicht", "Gespreksvoering", "Jeugd"],
        20,
        "Gemeentehuis",
        False,
    ),
    (
        "Mentor voor nieuwe collega's",
        "Nieuwe collega's het eerste halfjaar wegwijs maken in de organisatie.",
        ["Coachen", "Organisatiekennis"],
        4,
        "",
        True,
    ),
    (
        "Meeloopdag bij de buitendienst",
        "Loop een dag mee met de buitendienst: van de ochtendronde langs de wijken tot het onderhoud van het groen. Een mooie kennismaking met het werk buiten het gemeentehuis.",  # noqa: E501
        ["Openbare ruimte", "Groenonderhoud"],
        8,
        "Gemeentewerf",
        False,
    ),
    (
        "Functieruil beleidsmedewerker ruimtelijke ordening",
        "Ruil een halfjaar van functie met onze beleidsmedewerker ruimtelijke ordening: jij werkt bij ons aan het omgevingsplan, onze collega neemt jouw werk over.",  # noqa: E501
        ["Ruimtelijke ordening", "Omgevingswet", "Beleidsadvisering"],
        36,
        "",
        True,
    ),
    (
        "Evenementencoördinator Koningsdag",
        "Vergunningen, veiligheid en vrijwilligers voor de Koningsdagviering regelen.",
        ["Evenementen", "Organiseren", "Veiligheid"],
        12,
        "Centrum",
        False,
    ),
]
