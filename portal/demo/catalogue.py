"""Demo reference data: municipalities, providers, profiles, intensities, tariffs."""

# The ten H10 municipalities with their CBS codes (CBS_Gemeentecodes.md, 1 January 2026).
MUNICIPALITIES = [
    ("0518", "'s-Gravenhage", "denhaag"),
    ("0503", "Delft", "delft"),
    ("1621", "Lansingerland", "lansingerland"),
    ("1916", "Leidschendam-Voorburg", "lv"),
    ("1842", "Midden-Delfland", "middendelfland"),
    ("1926", "Pijnacker-Nootdorp", "pijnacker-nootdorp"),
    ("0603", "Rijswijk (ZH.)", "rijswijk"),
    ("0629", "Wassenaar", "wassenaar"),
    ("1783", "Westland", "westland"),
    ("0637", "Zoetermeer", "zoetermeer"),
]
# Relative share of the children per municipality (Den Haag is by far the largest).
MUNICIPALITY_WEIGHTS = [40, 8, 5, 6, 2, 4, 5, 2, 9, 10]

# Fictional providers: AGB code, KvK number, name, e-mail domain, quality (0..1) that
# steers how their trajectories end, so the dashboards tell a story.
PROVIDERS = [
    ("75750011", "41150011", "Horizon Jeugdhulp", "horizon-jeugdhulp.example", 0.85),
    ("75750022", "41150022", "De Kiem Jeugd-ggz", "dekiem-ggz.example", 0.7),
    ("75750033", "41150033", "Kompas Gezinshulp", "kompas-gezinshulp.example", 0.6),
    ("75750044", "41150044", "Stroom Jeugd & Opvoeding", "stroom-jeugd.example", 0.5),
    ("75750055", "41150055", "Het Anker Wonen en Zorg", "hetanker-zorg.example", 0.75),
    ("75750066", "41150066", "Lichtpunt Jeugdbehandeling", "lichtpunt-jeugd.example", 0.4),
]

# Profiles: code, name, product category (JZ020), 2026 base tariff in cents for "midden".
PROFILES = [
    ("P1", "Ontwikkeling", "45", 840000),
    ("P2", "Opvoeding en gezin", "45", 720000),
    ("P3", "Gedrag", "45", 910000),
    ("P4", "Emotionele problematiek", "54", 980000),
    ("P5", "Ernstige psychiatrische problematiek", "54", 1560000),
    ("P6", "Verstandelijke beperking", "50", 1120000),
    ("P7", "Trauma en veiligheid", "54", 1240000),
    ("P8", "Verslaving", "54", 1060000),
    ("P9", "Ontwikkeling met verblijf", "43", 2480000),
]

# Intensities: code, name, rank, tariff factor relative to "midden" in percent, long-term.
INTENSITIES = [
    ("L", "Licht", 1, 55, False),
    ("M", "Midden", 2, 100, False),
    ("Z", "Zwaar", 3, 170, False),
    ("D", "Duurzaam", 4, 220, True),
]

# Which profiles each provider has contracted (index into PROFILES), by provider order.
CONTRACTED_PROFILES = [
    [0, 1, 2, 3],
    [3, 4, 6, 7],
    [0, 1, 2, 5],
    [1, 2, 6],
    [5, 8, 0, 1],
    [2, 3, 4, 6, 7],
]

GIVEN_NAMES = ["Daan", "Sem", "Noah", "Lucas", "Levi", "Finn", "Milan", "Bram", "Jesse", "Luuk",
               "Emma", "Julia", "Mila", "Sophie", "Tess", "Zoë", "Sara", "Nora", "Fenna", "Lotte",
               "Yara", "Amira", "Mohammed", "Ayoub", "Ilias", "Noor", "Saar", "Liam", "Anna",
               "Mees"]
FAMILY_NAMES = ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser",
                "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
                "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Yilmaz",
                "El Amrani", "Kaya", "Pinas", "Bouzid", "Verhoeven", "van der Heijden"]

# Plan goals: life domain, goal, treatment result aimed for, societal result aimed for.
GOALS = [
    ("education_work", "Gaat weer elke dag naar school.",
     "Angst rond school is verminderd.", "Volledig schoolbezoek binnen drie maanden."),
    ("family", "Ouders hanteren vaste dagstructuur en grenzen.",
     "Minder conflicten thuis.", "Kind kan thuis blijven wonen."),
    ("health", "Slaapt weer regelmatig.", "Slaapproblemen verminderd.",
     "Fit genoeg voor school en sport."),
    ("leisure", "Doet mee aan een sportclub.", "Sociale angst verminderd.",
     "Wekelijks een vrijetijdsactiviteit met leeftijdgenoten."),
    ("safety", "Er is een veiligheidsplan dat iedereen kent.", "Geen escalaties meer.",
     "Kind is veilig thuis."),
    ("housing", "Woont stabiel bij een vast gezin.", "Hechting versterkt.",
     "Duurzame woonplek."),
]
