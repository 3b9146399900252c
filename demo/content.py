"""The demo organization: partners, people, pages and courses, as plain data."""

from courses.models import Format, Level, Track

DEMO_PASSWORD = "pathways-demo"

PARTNERS = [
    {"slug": "northside", "name": "Northside Refugee Center", "region": "North County"},
    {"slug": "unidos", "name": "Unidos Community Services", "region": "East Valley"},
    {"slug": "horn-of-africa", "name": "Horn of Africa Community Alliance", "region": "Central City"},
]

# username, role, partner slug, first name, last name
STAFF = [
    ("manager", "manager", None, "Maya", "Okafor"),
    ("staff.northside", "partner_staff", "northside", "Daniel", "Reyes"),
    ("staff.unidos", "partner_staff", "unidos", "Lucía", "Fernández"),
    ("instructor.northside", "instructor", "northside", "Amina", "Yusuf"),
    ("instructor.unidos", "instructor", "unidos", "Kevin", "Tran"),
]

# full name (as on a certificate), preferred name, language, partner slug
LEARNERS = [
    ("فاطمة الزهراء أحمد", "Fatima", "ar", "northside"),
    ("محمد عبد الله", "Mohammed", "ar", "northside"),
    ("王秀英", "Xiuying", "zh-hans", "northside"),
    ("Nguyễn Thị Hoa", "Hoa", "en", "northside"),
    ("Ольга Петренко", "Olga", "en", "northside"),
    ("Abdul Rahman Karimi", "Abdul", "en", "northside"),
    ("María José Pérez", "Majo", "es", "unidos"),
    ("José Luis Hernández", "", "es", "unidos"),
    ("Jean-Baptiste Wilnè", "Jean", "ht", "unidos"),
    ("Marie-Ange Désir", "", "ht", "unidos"),
    ("Ana Paula Conceição", "Ana", "pt-br", "unidos"),
    ("李伟", "Wei", "zh-hans", "unidos"),
    ("አበበ በቂላ", "Abebe", "en", "horn-of-africa"),
    ("ፀሐይ ገብረ", "Tsehay", "en", "horn-of-africa"),
    ("Hodan Cabdi Warsame", "Hodan", "en", "horn-of-africa"),
    ("Yonas Tesfaye", "", "en", "horn-of-africa"),
]
# The demo learner who can sign in to the portal.
LEARNER_LOGIN = ("learner", "فاطمة الزهراء أحمد")

INSTRUCTION_LANGUAGES = [
    ("en", "English", "English"),
    ("es", "Spanish", "Español"),
    ("ar", "Arabic", "العربية"),
    ("prs", "Dari", "دری"),
    ("ps", "Pashto", "پښتو"),
    ("so", "Somali", "Soomaali"),
    ("am", "Amharic", "አማርኛ"),
    ("ti", "Tigrinya", "ትግርኛ"),
    ("fr", "French", "Français"),
    ("ht", "Haitian Creole", "Kreyòl ayisyen"),
    ("pt", "Portuguese", "Português"),
    ("zh", "Chinese", "中文"),
    ("vi", "Vietnamese", "Tiếng Việt"),
    ("uk", "Ukrainian", "Українська"),
    ("ru", "Russian", "Русский"),
    ("sw", "Swahili", "Kiswahili"),
]


def _unit(title, summary, *materials):
    return {"type": "unit", "value": {"title": title, "summary": summary, "content": list(materials)}}


def _text(html):
    return {"type": "text", "value": html}


def _checklist(title, *items):
    return {"type": "checklist", "value": {"title": title, "items": list(items)}}


def _vocabulary(title, *entries):
    return {
        "type": "vocabulary",
        "value": {
            "title": title,
            "entries": [
                {
                    "term": term,
                    "translations": [{"language": code, "text": text} for code, text in translations],
                    "example": example,
                }
                for term, translations, example in entries
            ],
        },
    }


COURSES = [
    {
        "slug": "english-for-everyday-life",
        "title": "English for Everyday Life",
        "track": Track.ESOL,
        "level": Level.BEGINNER,
        "format": Format.IN_PERSON,
        "languages": ["en", "ar", "es"],
        "hours_per_week": "6",
        "summary": "For adults new to English. Learn to introduce yourself, shop, ask for help and talk to your child's school.",
        "syllabus": [
            _unit(
                "Meeting people",
                "Say who you are and where you live.",
                _text("<p>Practise saying your name, your phone number and your address.</p>"),
                _vocabulary(
                    "Words for this unit",
                    ("name", [("es", "nombre"), ("ar", "اسم"), ("zh-hans", "名字")], "My name is Fatima."),
                    (
                        "address",
                        [("es", "dirección"), ("ar", "عنوان"), ("zh-hans", "地址")],
                        "My address is 12 Main Street.",
                    ),
                    ("phone number", [("es", "número de teléfono"), ("ar", "رقم الهاتف"), ("zh-hans", "电话号码")], ""),
                ),
            ),
            _unit(
                "At the clinic",
                "Make an appointment and describe how you feel.",
                _text("<p>Role-play a call to the clinic. Bring your appointment card if you have one.</p>"),
                _checklist(
                    "Before your appointment",
                    "Write down your questions",
                    "Bring your insurance card",
                    "Arrive 15 minutes early",
                ),
            ),
        ],
    },
    {
        "slug": "english-for-work",
        "title": "English for Work",
        "track": Track.ESOL,
        "level": Level.INTERMEDIATE,
        "format": Format.HYBRID,
        "languages": ["en"],
        "hours_per_week": "4",
        "summary": "Interview practice, workplace safety words and writing a short email to a supervisor.",
        "syllabus": [
            _unit(
                "Job interviews",
                "Answer common interview questions with confidence.",
                _text("<p>Tell me about yourself: a 30-second answer.</p>"),
            ),
        ],
    },
    {
        "slug": "citizenship-preparation",
        "title": "Citizenship Preparation",
        "track": Track.ESOL,
        "level": Level.ADVANCED,
        "format": Format.ONLINE,
        "languages": ["en", "es"],
        "hours_per_week": "2",
        "summary": "Study the civics questions and practise the English reading and writing test.",
        "syllabus": [
            _unit(
                "Civics", "The 100 civics questions, ten at a time.", _text("<p>We review ten questions each week.</p>")
            ),
        ],
    },
    {
        "slug": "home-health-aide-training",
        "title": "Home Health Aide Training",
        "track": Track.JOB_TRAINING,
        "level": Level.INTERMEDIATE,
        "format": Format.IN_PERSON,
        "languages": ["en", "so", "am"],
        "hours_per_week": "12",
        "summary": "Prepare for the state home health aide certificate with classroom and hands-on practice.",
        "syllabus": [
            _unit(
                "Safety and infection control",
                "Hand washing, protective equipment and safe lifting.",
                _checklist(
                    "Skills you will show",
                    "Wash hands correctly",
                    "Put on and take off gloves",
                    "Help a client stand safely",
                ),
            ),
        ],
    },
    {
        "slug": "warehouse-and-logistics",
        "title": "Warehouse and Logistics",
        "track": Track.JOB_TRAINING,
        "level": Level.ALL,
        "format": Format.IN_PERSON,
        "languages": ["en", "prs", "ps"],
        "hours_per_week": "10",
        "summary": "Forklift safety, inventory basics and the words used on a warehouse floor. Ends with a job fair.",
        "syllabus": [],
    },
    {
        "slug": "start-your-business",
        "title": "Start Your Business",
        "track": Track.ENTREPRENEURSHIP,
        "level": Level.ALL,
        "format": Format.HYBRID,
        "languages": ["en", "es", "ar"],
        "hours_per_week": "3",
        "summary": "Weekly trainings and one-to-one help to write a business plan, get a business license and apply for a SEED grant.",
        "syllabus": [
            _unit(
                "Your business plan",
                "Describe your customers, your costs and your prices.",
                _text("<p>By the end of this unit you will have the first draft of your business plan.</p>"),
                _checklist(
                    "Milestones",
                    "Business plan",
                    "Business license",
                    "Professional license (if your trade needs one)",
                    "SEED grant application",
                ),
            ),
        ],
    },
]
