"""The demo organization: partners, people, pages and courses, as plain data."""

from courses.models import Format, Level, Track

DEMO_PASSWORD = "pathways-demo"
# The authenticator-app secret (base32) of every demo login that must confirm its sign-in with a second factor
# (managers and partner staff): printed in README.md so a tester can add it to an app. Demo data only.
DEMO_TOTP_SECRET = "PATHWAYSDEMOSECRETNEVERINPRODUCT"

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
# The Latin-letter form some learners use on official papers, as staff entered it from those papers (never
# transliterated by guess): printed under the name on their certificates.
LATIN_NAMES = {
    "فاطمة الزهراء أحمد": "Fatima Al-Zahraa Ahmed",
    "محمد عبد الله": "Mohammed Abdullah",
    "王秀英": "Wang Xiuying",
    "Ольга Петренко": "Olha Petrenko",
}
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


# --- running cohorts -------------------------------------------------------------------------------
# Dates are counted from the day the demo is first seeded (10 weeks ago to 8 weeks ahead) and never
# moved afterwards; holidays and the cancelled session are counted from the cohort's first day.
# Weekdays: 0 = Monday ... 6 = Sunday.

COHORTS = [
    {
        "partner": "northside",
        "name": "Evening English 1",
        "course": "english-for-everyday-life",
        "instructor": "instructor.northside",
        "delivery": "in_person",
        "location": "Northside Refugee Center, 41 Harbor Road, Room 4",
        "meeting_link": "",
        "languages": ["en", "ar"],
        "capacity": 20,
        "meeting_times": [(0, "18:00", "20:00"), (2, "18:00", "20:00")],
        # (name, weeks after the first day, weekday, only this partner?)
        "holidays": [
            ("Northside community festival", 5, 0, True),
            ("Regional day of remembrance", 14, 2, False),
        ],
        # (weeks after the first day, weekday, reason)
        "cancelled": (6, 2, "The center was closed after a water leak. Homework as usual."),
        "topic_today": "Practice: making an appointment at the clinic",
        # Enrolled after the partner's demo learners, in this order: the first ones fill the
        # seats, the rest go on the waitlist.
        "extra_learners": [
            ("عزیز احمدی", "Aziz", "en"),
            ("Sahra Cabdullahi Maxamed", "Sahra", "en"),
            ("ሄለን ተስፋይ", "Helen", "en"),
            ("Олександр Коваленко", "Sasha", "en"),
            ("မောင်မောင်ဦး", "Maung", "en"),
            ("राम बहादुर गुरुङ", "Ram", "en"),
            ("زینب حسینی", "Zainab", "ar"),
            ("Amani Mwakilema", "Amani", "en"),
            ("Trần Văn Minh", "Minh", "en"),
            ("김민지", "Minji", "en"),
            ("ئاراس کەریم", "Aras", "ar"),
            ("Хуршед Назаров", "Khurshed", "en"),
            ("نور الهدى سليمان", "Nour", "ar"),
            ("Ahmad Shah Popal", "Ahmad", "en"),
            ("ஜெயந்தி ராஜன்", "Jeyanthi", "en"),
            ("Guled Xasan Faarax", "Guled", "en"),
            ("陈美玲", "Meiling", "zh-hans"),
        ],
        # Absent at the last sessions, so the instructor sees them flagged at risk.
        "at_risk": ["Ольга Петренко", "Олександр Коваленко"],
    },
    {
        "partner": "unidos",
        "name": "Citizenship Morning Class",
        "course": "citizenship-preparation",
        "instructor": "instructor.unidos",
        "delivery": "online",
        "location": "",
        "meeting_link": "https://meet.example.org/unidos-citizenship",
        "languages": ["en", "es"],
        "capacity": 16,
        "meeting_times": [(1, "10:00", "12:00"), (3, "10:00", "12:00")],
        "holidays": [("Unidos staff training day", 8, 1, True)],
        "cancelled": None,
        "topic_today": "Civics questions 41–50",
        "extra_learners": [
            ("Rosa Elena Quispe", "Rosa", "es"),
            ("Wilner Jean-Louis", "Wilner", "ht"),
            ("Thiago Alves", "", "pt-br"),
            ("Guadalupe Ramírez", "Lupe", "es"),
            ("Marie-Carmel Pierre", "", "ht"),
            ("Yesenia Cruz Morales", "", "es"),
            ("Dieunel Joseph", "", "ht"),
            ("黄丽华", "Lihua", "zh-hans"),
        ],
        "at_risk": [],
    },
    {
        # A class that has ENDED (22 weeks ago to 2 weeks ago), with completions recorded by staff: the demo
        # manager issues its certificates of completion, while the running morning class's learners are held
        # back until it ends. Its learners are its own (the partner's demo learners are in the morning class).
        "partner": "unidos",
        "name": "Citizenship Evening Class",
        "course": "citizenship-preparation",
        "instructor": "instructor.unidos",
        "delivery": "in_person",
        "location": "Unidos Community Services, 210 Mission Street, Room 2",
        "meeting_link": "",
        "languages": ["en", "es"],
        "capacity": 16,
        "meeting_times": [(1, "18:00", "20:00"), (3, "18:00", "20:00")],
        "holidays": [],
        "cancelled": None,
        "topic_today": "",
        "ended": {"started_weeks_ago": 22, "ended_weeks_ago": 2},
        "partner_learners": False,
        "extra_learners": [
            ("Carmen Beatriz Flores", "Carmen", "es"),
            ("Jean-Robert Étienne", "", "ht"),
            ("Luiz Fernando Souza", "Luiz", "pt-br"),
            ("Ngozi Okonkwo", "", "en"),
            ("Esperanza Gutiérrez", "", "es"),
            ("Fabiola Saint-Fleur", "", "ht"),
            ("赵静", "Jing", "zh-hans"),
            ("Samira Haddad", "", "en"),
        ],
        "at_risk": [],
        # Staff recorded everyone's completion but this learner's: the preview shows why she is held back.
        "completion_not_recorded": ["Samira Haddad"],
    },
]
