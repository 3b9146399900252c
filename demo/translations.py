"""The demo site's pages in Spanish, Brazilian Portuguese, Haitian Creole, Simplified Chinese and Arabic,
translated the way a translator would in the admin: with wagtail-localize, segment by segment, into real pages
of the locale (not aliases of the English ones). Every language the site offers gets translated pages.

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

PORTUGUESE = {
    "Home": "Início",
    "Learn English, train for a job, start a business": "Aprenda inglês, prepare-se para um trabalho, abra um negócio",
    "Free classes for immigrants and refugees, close to home or online, with support in your language.": (
        "Aulas gratuitas para imigrantes e refugiados, perto da sua casa ou pela internet, com apoio no seu idioma."
    ),
    "Find a course": "Encontre um curso",
    "Programs": "Programas",
    "Every class is free. Choose what fits your life: mornings, evenings, in person or on your phone.": (
        "Todas as aulas são gratuitas. Escolha o que combina com a sua vida: de manhã, à noite, presencial ou no "
        "seu celular."
    ),
    "English for Everyday Life": "Inglês para o dia a dia",
    "For adults new to English. Learn to introduce yourself, shop, ask for help and talk to your child's school.": (
        "Para adultos que estão começando no inglês. Aprenda a se apresentar, fazer compras, pedir ajuda e conversar "
        "com a escola dos seus filhos."
    ),
    "Meeting people": "Conhecer pessoas",
    "Say who you are and where you live.": "Diga quem você é e onde você mora.",
    "Practise saying your name, your phone number and your address.": (
        "Pratique como dizer o seu nome, o seu número de telefone e o seu endereço."
    ),
    "Words for this unit": "Palavras desta unidade",
    "My address is 12 Main Street.": "My address is 12 Main Street. (Meu endereço é 12 Main Street.)",
    "At the clinic": "Na clínica",
    "Make an appointment and describe how you feel.": "Marque uma consulta e explique como você está se sentindo.",
    "Role-play a call to the clinic. Bring your appointment card if you have one.": (
        "Vamos praticar uma ligação para a clínica. Traga o seu cartão de consultas, se você tiver um."
    ),
    "Before your appointment": "Antes da sua consulta",
    "Write down your questions": "Anote as suas perguntas",
    "Bring your insurance card": "Traga o cartão do seu plano de saúde",
    "Arrive 15 minutes early": "Chegue 15 minutos antes",
    "English for Work": "Inglês para o trabalho",
    "Interview practice, workplace safety words and writing a short email to a supervisor.": (
        "Prática de entrevistas, palavras de segurança no trabalho e como escrever um e-mail curto para um supervisor."
    ),
    "Job interviews": "Entrevistas de emprego",
    "Answer common interview questions with confidence.": (
        "Responda com confiança às perguntas mais comuns nas entrevistas."
    ),
    "Tell me about yourself: a 30-second answer.": "Fale um pouco sobre você: uma resposta de 30 segundos.",
    "Citizenship Preparation": "Preparação para a cidadania",
    "Study the civics questions and practise the English reading and writing test.": (
        "Estude as perguntas de educação cívica e pratique para a prova de leitura e escrita em inglês."
    ),
    "Civics": "Educação cívica",
    "The 100 civics questions, ten at a time.": "As 100 perguntas de educação cívica, dez de cada vez.",
    "We review ten questions each week.": "Revisamos dez perguntas toda semana.",
    "Home Health Aide Training": "Curso de auxiliar de saúde domiciliar",
    "Prepare for the state home health aide certificate with classroom and hands-on practice.": (
        "Prepare-se para o certificado estadual de auxiliar de saúde domiciliar, com aulas em sala e prática."
    ),
    "Safety and infection control": "Segurança e controle de infecções",
    "Hand washing, protective equipment and safe lifting.": (
        "Lavagem das mãos, equipamentos de proteção e como levantar peso com segurança."
    ),
    "Skills you will show": "Habilidades que você vai mostrar",
    "Wash hands correctly": "Lavar as mãos corretamente",
    "Put on and take off gloves": "Colocar e tirar as luvas",
    "Help a client stand safely": "Ajudar um cliente a se levantar com segurança",
    "Warehouse and Logistics": "Armazém e logística",
    "Forklift safety, inventory basics and the words used on a warehouse floor. Ends with a job fair.": (
        "Segurança com a empilhadeira, noções de estoque e as palavras usadas em um armazém. Termina com uma feira "
        "de empregos."
    ),
    "Start Your Business": "Abra o seu negócio",
    "Weekly trainings and one-to-one help to write a business plan, get a business license and apply for a SEED "
    "grant.": (
        "Oficinas semanais e ajuda individual para escrever um plano de negócios, tirar uma licença comercial e "
        "pedir um subsídio SEED."
    ),
    "Your business plan": "O seu plano de negócios",
    "Describe your customers, your costs and your prices.": "Descreva os seus clientes, os seus custos e os seus preços.",
    "By the end of this unit you will have the first draft of your business plan.": (
        "No final desta unidade, você terá o primeiro rascunho do seu plano de negócios."
    ),
    "Milestones": "Etapas",
    "Business plan": "Plano de negócios",
    "Business license": "Licença comercial",
    "Professional license (if your trade needs one)": "Licença profissional (se a sua profissão exigir)",
    "SEED grant application": "Pedido do subsídio SEED",
    "About us": "Quem somos",
    "We are a network of community organizations helping newcomers build a life here.": (
        "Somos uma rede de organizações comunitárias que ajuda quem acabou de chegar a construir uma vida aqui."
    ),
    "Our classes are taught by AmeriCorps members and volunteers at partner organizations across the region.": (
        "Nossas aulas são dadas por membros do AmeriCorps e por voluntários em organizações parceiras de toda a região."
    ),
}

HAITIAN = {
    "Home": "Akèy",
    "Learn English, train for a job, start a business": "Aprann angle, pran fòmasyon pou yon travay, louvri yon biznis",
    "Free classes for immigrants and refugees, close to home or online, with support in your language.": (
        "Kou gratis pou imigran ak refijye, toupre lakay ou oswa sou entènèt, ak èd nan lang pa ou."
    ),
    "Find a course": "Jwenn yon kou",
    "Programs": "Pwogram",
    "Every class is free. Choose what fits your life: mornings, evenings, in person or on your phone.": (
        "Tout kou yo gratis. Chwazi sa ki mache ak lavi ou: nan maten, nan aswè, an pèsòn oswa sou telefòn ou."
    ),
    "English for Everyday Life": "Angle pou lavi chak jou",
    "For adults new to English. Learn to introduce yourself, shop, ask for help and talk to your child's school.": (
        "Pou granmoun ki fèk kòmanse aprann angle. Aprann prezante tèt ou, fè makèt, mande èd epi pale ak lekòl "
        "pitit ou."
    ),
    "Meeting people": "Fè konesans ak moun",
    "Say who you are and where you live.": "Di ki moun ou ye ak ki kote ou rete.",
    "Practise saying your name, your phone number and your address.": (
        "Pratike di non ou, nimewo telefòn ou ak adrès ou."
    ),
    "Words for this unit": "Mo pou inite sa a",
    "My address is 12 Main Street.": "My address is 12 Main Street. (Adrès mwen se 12 Main Street.)",
    "At the clinic": "Nan klinik la",
    "Make an appointment and describe how you feel.": "Pran yon randevou epi esplike kijan ou santi ou.",
    "Role-play a call to the clinic. Bring your appointment card if you have one.": (
        "N ap pratike rele klinik la. Pote kat randevou ou si ou genyen youn."
    ),
    "Before your appointment": "Anvan randevou ou",
    "Write down your questions": "Ekri kesyon ou yo",
    "Bring your insurance card": "Pote kat asirans ou",
    "Arrive 15 minutes early": "Rive 15 minit davans",
    "English for Work": "Angle pou travay",
    "Interview practice, workplace safety words and writing a short email to a supervisor.": (
        "Pratik pou entèvyou, mo pou sekirite nan travay ak kijan pou ekri yon ti imèl bay yon sipèvizè."
    ),
    "Job interviews": "Entèvyou pou travay",
    "Answer common interview questions with confidence.": "Reponn ak konfyans kesyon yo konn poze plis nan entèvyou.",
    "Tell me about yourself: a 30-second answer.": "Pale m de ou: yon repons 30 segonn.",
    "Citizenship Preparation": "Preparasyon pou sitwayènte",
    "Study the civics questions and practise the English reading and writing test.": (
        "Etidye kesyon sivik yo epi pratike pou egzamen lekti ak ekriti an angle."
    ),
    "Civics": "Edikasyon sivik",
    "The 100 civics questions, ten at a time.": "100 kesyon sivik yo, dis pa dis.",
    "We review ten questions each week.": "Nou revize dis kesyon chak semèn.",
    "Home Health Aide Training": "Fòmasyon asistan swen sante lakay",
    "Prepare for the state home health aide certificate with classroom and hands-on practice.": (
        "Prepare w pou sètifika leta pou asistan swen sante lakay, ak kou nan klas ak pratik."
    ),
    "Safety and infection control": "Sekirite ak kontwòl enfeksyon",
    "Hand washing, protective equipment and safe lifting.": (
        "Lave men, ekipman pwoteksyon ak kijan pou leve bagay lou san danje."
    ),
    "Skills you will show": "Konpetans ou pral montre",
    "Wash hands correctly": "Lave men byen",
    "Put on and take off gloves": "Mete gan epi retire gan",
    "Help a client stand safely": "Ede yon kliyan kanpe san danje",
    "Warehouse and Logistics": "Depo ak lojistik",
    "Forklift safety, inventory basics and the words used on a warehouse floor. Ends with a job fair.": (
        "Sekirite ak fòklif, baz envantè ak mo yo itilize nan yon depo. Kou a fini ak yon fwa anplwa."
    ),
    "Start Your Business": "Louvri biznis ou",
    "Weekly trainings and one-to-one help to write a business plan, get a business license and apply for a SEED "
    "grant.": (
        "Fòmasyon chak semèn ak èd pèsonèl pou ekri yon plan biznis, jwenn yon lisans biznis epi aplike pou yon "
        "sibvansyon SEED."
    ),
    "Your business plan": "Plan biznis ou",
    "Describe your customers, your costs and your prices.": "Dekri kliyan ou yo, depans ou yo ak pri ou yo.",
    "By the end of this unit you will have the first draft of your business plan.": (
        "Lè inite sa a fini, w ap gen premye bouyon plan biznis ou."
    ),
    "Milestones": "Etap",
    "Business plan": "Plan biznis",
    "Business license": "Lisans biznis",
    "Professional license (if your trade needs one)": "Lisans pwofesyonèl (si metye ou bezwen youn)",
    "SEED grant application": "Demann sibvansyon SEED",
    "About us": "Kiyès nou ye",
    "We are a network of community organizations helping newcomers build a life here.": (
        "Nou se yon rezo òganizasyon kominotè k ap ede moun ki fèk rive yo bati lavi yo isit la."
    ),
    "Our classes are taught by AmeriCorps members and volunteers at partner organizations across the region.": (
        "Se manm AmeriCorps ak volontè nan òganizasyon patnè nou yo nan tout rejyon an ki bay kou nou yo."
    ),
}

CHINESE = {
    "Home": "首页",
    "Learn English, train for a job, start a business": "学英语、参加职业培训、自己创业",
    "Free classes for immigrants and refugees, close to home or online, with support in your language.": (
        "为移民和难民开设的免费课程，可以在家附近上课，也可以在网上上课，还有人用您的母语帮助您。"
    ),
    "Find a course": "查找课程",
    "Programs": "课程",
    "Every class is free. Choose what fits your life: mornings, evenings, in person or on your phone.": (
        "所有课程都免费。选择适合您生活的方式：早上或晚上，到教室上课或用手机上课。"
    ),
    "English for Everyday Life": "日常生活英语",
    "For adults new to English. Learn to introduce yourself, shop, ask for help and talk to your child's school.": (
        "适合刚开始学英语的成年人。学习怎样介绍自己、买东西、请人帮忙，以及和孩子的学校沟通。"
    ),
    "Meeting people": "认识新朋友",
    "Say who you are and where you live.": "说说您是谁、住在哪里。",
    "Practise saying your name, your phone number and your address.": "练习说出您的名字、电话号码和地址。",
    "Words for this unit": "本单元词汇",
    "My address is 12 Main Street.": "My address is 12 Main Street. (我的地址是 12 Main Street。)",
    "At the clinic": "在诊所",
    "Make an appointment and describe how you feel.": "预约看病，并说出您哪里不舒服。",
    "Role-play a call to the clinic. Bring your appointment card if you have one.": (
        "我们来练习给诊所打电话。如果您有预约卡，请带来。"
    ),
    "Before your appointment": "看病之前",
    "Write down your questions": "写下您的问题",
    "Bring your insurance card": "带上您的医疗保险卡",
    "Arrive 15 minutes early": "提前 15 分钟到",
    "English for Work": "工作英语",
    "Interview practice, workplace safety words and writing a short email to a supervisor.": (
        "练习面试，学习工作安全用语，学写给主管的简短电子邮件。"
    ),
    "Job interviews": "求职面试",
    "Answer common interview questions with confidence.": "自信地回答常见的面试问题。",
    "Tell me about yourself: a 30-second answer.": "请介绍一下您自己：用 30 秒回答。",
    "Citizenship Preparation": "入籍准备",
    "Study the civics questions and practise the English reading and writing test.": (
        "学习公民常识题，练习英语阅读和写作考试。"
    ),
    "Civics": "公民常识",
    "The 100 civics questions, ten at a time.": "100 道公民常识题，每次学十道。",
    "We review ten questions each week.": "我们每周复习十道题。",
    "Home Health Aide Training": "家庭健康护理员培训",
    "Prepare for the state home health aide certificate with classroom and hands-on practice.": (
        "准备考取州家庭健康护理员证书，既有课堂学习，也有动手练习。"
    ),
    "Safety and infection control": "安全与感染控制",
    "Hand washing, protective equipment and safe lifting.": "洗手、防护用品，以及怎样安全地搬抬重物。",
    "Skills you will show": "您要现场展示的技能",
    "Wash hands correctly": "正确洗手",
    "Put on and take off gloves": "戴上和摘下手套",
    "Help a client stand safely": "安全地扶护理对象站起来",
    "Warehouse and Logistics": "仓库与物流",
    "Forklift safety, inventory basics and the words used on a warehouse floor. Ends with a job fair.": (
        "叉车安全、库存基础知识和仓库里常用的词语。课程最后有一场招聘会。"
    ),
    "Start Your Business": "开办自己的生意",
    "Weekly trainings and one-to-one help to write a business plan, get a business license and apply for a SEED "
    "grant.": "每周培训，加上一对一帮助：写商业计划书、办营业执照、申请 SEED 补助金。",
    "Your business plan": "您的商业计划书",
    "Describe your customers, your costs and your prices.": "写清楚您的顾客、成本和价格。",
    "By the end of this unit you will have the first draft of your business plan.": (
        "学完本单元，您就会有一份商业计划书的初稿。"
    ),
    "Milestones": "阶段目标",
    "Business plan": "商业计划书",
    "Business license": "营业执照",
    "Professional license (if your trade needs one)": "职业执照（如果您的行业需要）",
    "SEED grant application": "SEED 补助金申请",
    "About us": "关于我们",
    "We are a network of community organizations helping newcomers build a life here.": (
        "我们是由多个社区组织组成的网络，帮助新来的人在这里开始新生活。"
    ),
    "Our classes are taught by AmeriCorps members and volunteers at partner organizations across the region.": (
        "我们的课程由 AmeriCorps 成员和本地区各合作机构的志愿者来教。"
    ),
}

TRANSLATIONS = {"es": SPANISH, "pt-br": PORTUGUESE, "ht": HAITIAN, "zh-hans": CHINESE, "ar": ARABIC}


def translate_pages(stdout=None):
    """Translate every English page into Spanish, Brazilian Portuguese, Haitian Creole, Simplified Chinese and
    Arabic, parents first; pages already translated (no longer aliases) are left as they are, so a translator's
    later edits survive a re-seed."""
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
        stdout.write(
            f"Pages translated into Spanish, Brazilian Portuguese, Haitian Creole, Simplified Chinese and Arabic: "
            f"{done}."
        )
    return done


# --- names staff give cohorts, terms and credentials (core.translated_names) -----------------------------

# As a program manager types them into the inputs beside each name in the admin form.
NAMES = {
    # cohorts (demo/content.py)
    "Evening English 1": {
        "es": "Inglés nocturno 1",
        "pt-br": "Inglês noturno 1",
        "ht": "Angle aswè 1",
        "zh-hans": "晚间英语 1",
        "ar": "الإنجليزية المسائية 1",
    },
    "Citizenship Morning Class": {
        "es": "Clase de ciudadanía por la mañana",
        "pt-br": "Aula de cidadania pela manhã",
        "ht": "Klas sitwayènte nan maten",
        "zh-hans": "公民入籍早班",
        "ar": "صف الجنسية الصباحي",
    },
    "Citizenship Evening Class": {
        "es": "Clase de ciudadanía por la noche",
        "pt-br": "Aula de cidadania à noite",
        "ht": "Klas sitwayènte nan aswè",
        "zh-hans": "公民入籍晚班",
        "ar": "صف الجنسية المسائي",
    },
    # credential pathways (demo/credentials.py)
    "English for Everyday Life — Level 1": {
        "es": "Inglés para la vida diaria — Nivel 1",
        "pt-br": "Inglês para o dia a dia — Nível 1",
        "ht": "Angle pou lavi chak jou — Nivo 1",
        "zh-hans": "日常生活英语 — 第一级",
        "ar": "الإنجليزية للحياة اليومية — المستوى 1",
    },
    "Citizenship Preparation": {
        "es": "Preparación para la ciudadanía",
        "pt-br": "Preparação para a cidadania",
        "ht": "Preparasyon pou sitwayènte",
        "zh-hans": "入籍准备",
        "ar": "التحضير للجنسية",
    },
    "Business Launch": {
        "es": "Lanzamiento de un negocio",
        "pt-br": "Abertura de um negócio",
        "ht": "Lansman yon biznis",
        "zh-hans": "创业起步",
        "ar": "إطلاق مشروع تجاري",
    },
    "Health Worker Bridge": {
        "es": "Puente para trabajadores de la salud",
        "pt-br": "Ponte para profissionais de saúde",
        "ht": "Pon pou travayè lasante",
        "zh-hans": "医护人员衔接课程",
        "ar": "جسر العاملين في المجال الصحي",
    },
}
# The seasons a demo term is named after (seed_demo.term_name: "Fall 2026"), and how each language writes
# the season with its year.
SEASONS = {
    "Winter": {"es": "Invierno", "pt-br": "Inverno", "ht": "Ivè", "zh-hans": "冬季", "ar": "شتاء"},
    "Spring": {"es": "Primavera", "pt-br": "Primavera", "ht": "Prentan", "zh-hans": "春季", "ar": "ربيع"},
    "Summer": {"es": "Verano", "pt-br": "Verão", "ht": "Ete", "zh-hans": "夏季", "ar": "صيف"},
    "Fall": {"es": "Otoño", "pt-br": "Outono", "ht": "Otòn", "zh-hans": "秋季", "ar": "خريف"},
}
SEASON_AND_YEAR = {"zh-hans": "{year}年{season}"}


def term_translations(term):
    """ "Fall 2026" in every other language: {"es": "Otoño 2026", ..., "zh-hans": "2026年秋季"}."""
    season, _space, year = term.partition(" ")
    return {
        code: SEASON_AND_YEAR.get(code, "{season} {year}").format(season=name, year=year)
        for code, name in SEASONS.get(season, {}).items()
    }


def name_translations(name):
    """The demo's own translations of a cohort's or credential's name, or {} for a name it does not know."""
    return dict(NAMES.get(name, {}))
