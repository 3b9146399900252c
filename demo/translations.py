"""The demo site's pages in Spanish and Arabic, translated the way a translator would in the admin: with
wagtail-localize, segment by segment, into real pages of the locale (not aliases of the English ones).

Slugs stay English so a course has the same address in every language (/es/programs/start-your-business/).
Text that is data rather than prose (a vocabulary entry's language codes and its own translations) is kept as
the English page has it. Anything not listed here falls back to the English text, as wagtail-localize does.
"""

from django.db import transaction
from wagtail.models import Locale, Page
from wagtail_localize.models import StringTranslation, TranslationSource

SPANISH = {
    "Home": "Inicio",
    "Learn English, train for a job, start a business": "Aprenda inglés, prepárese para un trabajo, abra un negocio",
    "Free classes for immigrants and refugees, close to home or online, with support in your language.": (
        "Clases gratuitas para inmigrantes y refugiados, cerca de su casa o en línea, con apoyo en su idioma."
    ),
    "Find a course": "Buscar un curso",
    "Programs": "Programas",
    "Every class is free. Choose what fits your life: mornings, evenings, in person or on your phone.": (
        "Todas las clases son gratuitas. Elija lo que se adapte a su vida: mañanas, noches, en persona o en su "
        "teléfono."
    ),
    "English for Everyday Life": "Inglés para la vida diaria",
    "For adults new to English. Learn to introduce yourself, shop, ask for help and talk to your child's school.": (
        "Para adultos que empiezan con el inglés. Aprenda a presentarse, hacer compras, pedir ayuda y hablar con "
        "la escuela de sus hijos."
    ),
    "Meeting people": "Conocer gente",
    "Say who you are and where you live.": "Diga quién es usted y dónde vive.",
    "Practise saying your name, your phone number and your address.": (
        "Practique cómo decir su nombre, su número de teléfono y su dirección."
    ),
    "Words for this unit": "Palabras de esta unidad",
    "My name is Fatima.": "My name is Fatima. (Me llamo Fátima.)",
    "My address is 12 Main Street.": "My address is 12 Main Street. (Mi dirección es 12 Main Street.)",
    "At the clinic": "En la clínica",
    "Make an appointment and describe how you feel.": "Pida una cita y explique cómo se siente.",
    "Role-play a call to the clinic. Bring your appointment card if you have one.": (
        "Practicamos una llamada a la clínica. Traiga su tarjeta de citas si tiene una."
    ),
    "Before your appointment": "Antes de su cita",
    "Write down your questions": "Escriba sus preguntas",
    "Bring your insurance card": "Traiga su tarjeta del seguro",
    "Arrive 15 minutes early": "Llegue 15 minutos antes",
    "English for Work": "Inglés para el trabajo",
    "Interview practice, workplace safety words and writing a short email to a supervisor.": (
        "Práctica de entrevistas, vocabulario de seguridad en el trabajo y cómo escribir un correo corto a un "
        "supervisor."
    ),
    "Job interviews": "Entrevistas de trabajo",
    "Answer common interview questions with confidence.": "Responda con confianza las preguntas más comunes.",
    "Tell me about yourself: a 30-second answer.": "Hábleme de usted: una respuesta de 30 segundos.",
    "Citizenship Preparation": "Preparación para la ciudadanía",
    "Study the civics questions and practise the English reading and writing test.": (
        "Estudie las preguntas de educación cívica y practique el examen de lectura y escritura en inglés."
    ),
    "Civics": "Educación cívica",
    "The 100 civics questions, ten at a time.": "Las 100 preguntas de educación cívica, diez a la vez.",
    "We review ten questions each week.": "Repasamos diez preguntas cada semana.",
    "Home Health Aide Training": "Formación de auxiliar de salud en el hogar",
    "Prepare for the state home health aide certificate with classroom and hands-on practice.": (
        "Prepárese para el certificado estatal de auxiliar de salud en el hogar, con clases y práctica."
    ),
    "Safety and infection control": "Seguridad y control de infecciones",
    "Hand washing, protective equipment and safe lifting.": (
        "Lavado de manos, equipo de protección y cómo levantar peso con seguridad."
    ),
    "Skills you will show": "Habilidades que va a demostrar",
    "Wash hands correctly": "Lavarse las manos correctamente",
    "Put on and take off gloves": "Ponerse y quitarse los guantes",
    "Help a client stand safely": "Ayudar a un cliente a ponerse de pie con seguridad",
    "Warehouse and Logistics": "Almacén y logística",
    "Forklift safety, inventory basics and the words used on a warehouse floor. Ends with a job fair.": (
        "Seguridad con montacargas, nociones de inventario y las palabras que se usan en un almacén. Termina con "
        "una feria de empleo."
    ),
    "Start Your Business": "Abra su negocio",
    "Weekly trainings and one-to-one help to write a business plan, get a business license and apply for a SEED "
    "grant.": (
        "Talleres semanales y ayuda personal para escribir un plan de negocios, obtener una licencia comercial y "
        "solicitar una beca SEED."
    ),
    "Your business plan": "Su plan de negocios",
    "Describe your customers, your costs and your prices.": "Describa a sus clientes, sus costos y sus precios.",
    "By the end of this unit you will have the first draft of your business plan.": (
        "Al terminar esta unidad tendrá el primer borrador de su plan de negocios."
    ),
    "Milestones": "Metas",
    "Business plan": "Plan de negocios",
    "Business license": "Licencia comercial",
    "Professional license (if your trade needs one)": "Licencia profesional (si su oficio la necesita)",
    "SEED grant application": "Solicitud de la beca SEED",
    "About us": "Quiénes somos",
    "We are a network of community organizations helping newcomers build a life here.": (
        "Somos una red de organizaciones comunitarias que ayuda a los recién llegados a construir su vida aquí."
    ),
    "Our classes are taught by AmeriCorps members and volunteers at partner organizations across the region.": (
        "Nuestras clases las imparten miembros de AmeriCorps y voluntarios en organizaciones asociadas de toda la "
        "región."
    ),
}

ARABIC = {
    "Home": "الرئيسية",
    "Learn English, train for a job, start a business": "تعلَّم الإنجليزية، وتدرَّب على عمل، وابدأ مشروعك",
    "Free classes for immigrants and refugees, close to home or online, with support in your language.": (
        "دروس مجانية للمهاجرين واللاجئين، قريبة من بيتك أو عبر الإنترنت، مع مساعدة بلغتك."
    ),
    "Find a course": "ابحث عن دورة",
    "Programs": "البرامج",
    "Every class is free. Choose what fits your life: mornings, evenings, in person or on your phone.": (
        "كل الدروس مجانية. اختر ما يناسب حياتك: صباحًا أو مساءً، حضوريًا أو على هاتفك."
    ),
    "English for Everyday Life": "الإنجليزية للحياة اليومية",
    "For adults new to English. Learn to introduce yourself, shop, ask for help and talk to your child's school.": (
        "للكبار المبتدئين في الإنجليزية. تعلَّم أن تعرّف بنفسك، وتتسوّق، وتطلب المساعدة، وتتحدث مع مدرسة طفلك."
    ),
    "Meeting people": "التعارف",
    "Say who you are and where you live.": "قل من أنت وأين تسكن.",
    "Practise saying your name, your phone number and your address.": "تدرَّب على قول اسمك ورقم هاتفك وعنوانك.",
    "Words for this unit": "كلمات هذه الوحدة",
    "My name is Fatima.": "My name is Fatima. (اسمي فاطمة.)",
    "My address is 12 Main Street.": "My address is 12 Main Street. (عنواني 12 شارع Main.)",
    "At the clinic": "في العيادة",
    "Make an appointment and describe how you feel.": "احجز موعدًا وصِف ما تشعر به.",
    "Role-play a call to the clinic. Bring your appointment card if you have one.": (
        "نمثّل مكالمة إلى العيادة. أحضر بطاقة مواعيدك إن كانت لديك."
    ),
    "Before your appointment": "قبل موعدك",
    "Write down your questions": "اكتب أسئلتك",
    "Bring your insurance card": "أحضر بطاقة التأمين",
    "Arrive 15 minutes early": "احضر قبل الموعد بـ 15 دقيقة",
    "English for Work": "الإنجليزية للعمل",
    "Interview practice, workplace safety words and writing a short email to a supervisor.": (
        "تدريب على المقابلات، وكلمات السلامة في مكان العمل، وكتابة رسالة بريد قصيرة إلى المشرف."
    ),
    "Job interviews": "مقابلات العمل",
    "Answer common interview questions with confidence.": "أجب عن أسئلة المقابلات الشائعة بثقة.",
    "Tell me about yourself: a 30-second answer.": "حدّثني عن نفسك: إجابة في 30 ثانية.",
    "Citizenship Preparation": "التحضير للجنسية",
    "Study the civics questions and practise the English reading and writing test.": (
        "ادرس أسئلة التربية المدنية وتدرَّب على اختبار القراءة والكتابة بالإنجليزية."
    ),
    "Civics": "التربية المدنية",
    "The 100 civics questions, ten at a time.": "أسئلة التربية المدنية المئة، عشرة في كل مرة.",
    "We review ten questions each week.": "نراجع عشرة أسئلة كل أسبوع.",
    "Home Health Aide Training": "تدريب مساعد الرعاية الصحية المنزلية",
    "Prepare for the state home health aide certificate with classroom and hands-on practice.": (
        "استعد لشهادة الولاية لمساعد الرعاية الصحية المنزلية بدروس في الصف وتدريب عملي."
    ),
    "Safety and infection control": "السلامة ومكافحة العدوى",
    "Hand washing, protective equipment and safe lifting.": "غسل اليدين، ومعدات الوقاية، والرفع الآمن.",
    "Skills you will show": "مهارات ستُظهرها",
    "Wash hands correctly": "اغسل يديك بالطريقة الصحيحة",
    "Put on and take off gloves": "البس القفازات واخلعها",
    "Help a client stand safely": "ساعد العميل على الوقوف بأمان",
    "Warehouse and Logistics": "المستودعات والخدمات اللوجستية",
    "Forklift safety, inventory basics and the words used on a warehouse floor. Ends with a job fair.": (
        "السلامة مع الرافعة الشوكية، وأساسيات الجرد، والكلمات المستعملة في المستودع. ينتهي بمعرض للتوظيف."
    ),
    "Start Your Business": "ابدأ مشروعك",
    "Weekly trainings and one-to-one help to write a business plan, get a business license and apply for a SEED "
    "grant.": ("تدريبات أسبوعية ومساعدة فردية لكتابة خطة عمل، والحصول على رخصة تجارية، والتقدّم لمنحة SEED."),
    "Your business plan": "خطة عملك",
    "Describe your customers, your costs and your prices.": "صِف زبائنك وتكاليفك وأسعارك.",
    "By the end of this unit you will have the first draft of your business plan.": (
        "في نهاية هذه الوحدة ستكون لديك المسودة الأولى لخطة عملك."
    ),
    "Milestones": "المراحل",
    "Business plan": "خطة العمل",
    "Business license": "الرخصة التجارية",
    "Professional license (if your trade needs one)": "الرخصة المهنية (إن كانت مهنتك تحتاجها)",
    "SEED grant application": "طلب منحة SEED",
    "About us": "من نحن",
    "We are a network of community organizations helping newcomers build a life here.": (
        "نحن شبكة من المنظمات المجتمعية تساعد القادمين الجدد على بناء حياتهم هنا."
    ),
    "Our classes are taught by AmeriCorps members and volunteers at partner organizations across the region.": (
        "يدرّس في صفوفنا أعضاء AmeriCorps ومتطوعون في المنظمات الشريكة في أنحاء المنطقة."
    ),
}

TRANSLATIONS = {"es": SPANISH, "ar": ARABIC}


def translate_pages(stdout=None):
    """Translate every English page into Spanish and Arabic, parents first; pages already translated (no longer
    aliases) are left as they are, so a translator's later edits survive a re-seed."""
    english = Locale.objects.get(language_code="en")
    done = 0
    for code, texts in TRANSLATIONS.items():
        locale = Locale.objects.get(language_code=code)
        for page in Page.objects.filter(locale=english, depth__gt=1).order_by("path").specific():
            existing = page.get_translation_or_none(locale)
            if existing is not None and existing.alias_of_id is None:
                continue
            # wagtail-localize publishes after its transaction commits: one page, one transaction.
            with transaction.atomic():
                source, _created = TranslationSource.get_or_create_from_instance(page)
                for segment in source.stringsegment_set.select_related("string"):
                    english_text = segment.string.data
                    text = texts.get(english_text, english_text)  # slugs and data stay as they are
                    StringTranslation.objects.update_or_create(
                        translation_of=segment.string,
                        locale=locale,
                        context=segment.context,
                        defaults={"data": text},
                    )
                source.create_or_update_translation(locale, publish=True, fallback=True)
            done += 1
    if stdout is not None:
        stdout.write(f"Pages translated into Spanish and Arabic: {done}.")
    return done
