"""A deterministic bilingual corpus: N pairs of Arabic and English articles.

    python -m bench.generate --pairs 300 --out /tmp/corpus [--seed 1]

Writes `<out>/content/` (ar/, en/, images/) and nothing else. Every pair shares
its slug (so the two are translations), its section, date, tags and links; the
text of each language is drawn from its own word lists. Each article has
500–700 words of body text with `##` headings, lists, `{filename}` links to
other items and sometimes the one SVG image; about one in seven is a meeting
account with every meeting field. Each language has 38 tags. The same seed and
N give a byte-identical corpus; nothing depends on the clock or on hashing.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

LANGS = ("ar", "en")
# (section, weight): most items are news, a few are meeting accounts.
SECTIONS = (("news", 45), ("statements", 20), ("reports", 20), ("meetings", 15))
WORDS = (500, 700)  # body words per article
FIRST_DATE = datetime(2016, 1, 4, 9, 0, tzinfo=timezone(timedelta(hours=3)))
SPAN_DAYS = 9 * 365
IMAGE = "images/chart.svg"

# Tags come in pairs (same index = same tag in the other language).
TAGS = {
    "ar": [
        "قانون قيصر", "العقوبات", "المعتقلون", "المفقودون", "المعابر", "تهريب النفط",
        "المخدرات", "النازحون", "المخيمات", "المساعدات الإنسانية", "المساءلة",
        "العدالة الانتقالية", "حلب", "إدلب", "درعا", "دمشق", "حمص", "الرقة", "دير الزور",
        "اللاذقية", "الأردن", "تركيا", "لبنان", "الاتحاد الأوروبي", "الأمم المتحدة",
        "مجلس الأمن", "حقوق الإنسان", "التوثيق", "الشهادات", "الاحتجاز التعسفي",
        "الاختفاء القسري", "الملكية العقارية", "إعادة الإعمار", "المناصرة", "المرأة",
        "الأطفال", "التعليم", "الصحة",
    ],
    "en": [
        "Caesar Act", "Sanctions", "Detainees", "The missing", "Border crossings",
        "Oil smuggling", "Drug trade", "Displaced people", "Camps", "Humanitarian aid",
        "Accountability", "Transitional justice", "Aleppo", "Idlib", "Daraa", "Damascus",
        "Homs", "Raqqa", "Deir ez-Zor", "Latakia", "Jordan", "Turkey", "Lebanon",
        "European Union", "United Nations", "Security Council", "Human rights",
        "Documentation", "Testimonies", "Arbitrary detention", "Enforced disappearance",
        "Property rights", "Reconstruction", "Advocacy", "Women", "Children", "Education",
        "Health",
    ],
}

AUTHORS = {
    "ar": ["المكتب الإعلامي", "فريق التوثيق", "وحدة الأبحاث"],
    "en": ["Media Office", "Documentation Team", "Research Unit"],
}

# Sentence parts. Arabic actors are masculine singular (or collective) nouns, so
# every verb below agrees with every actor.
AR = {
    "opener": [
        "في هذا السياق،", "وفي الأسبوع الماضي،", "ومن جهة أخرى،", "وبحسب المعلومات المتوفرة،",
        "وخلال الأشهر الأخيرة،", "وفي تطور لافت،", "وعلى صعيد متصل،",
        "ووفقاً لشهادات جمعها فريقنا،", "وفي ختام الاجتماع،", "ومنذ بداية العام،",
        "وفي اليوم نفسه،", "وبعد مشاورات طويلة،",
    ],
    "actor": [
        "التحالف", "فريق التوثيق", "المكتب الإعلامي", "المنسق العام", "مجلس الإدارة",
        "الفريق القانوني", "وفد التحالف", "مركز الرصد", "المجلس المحلي", "الباحث الميداني",
        "المحامي المكلف بالملف", "ممثل الأهالي",
    ],
    "verb": ["وثّق", "رصد", "تابع", "ناقش", "عرض", "أعدّ", "نشر", "راجع", "جمع", "قدّم"],
    "object": [
        "شهادات جديدة من عائلات المعتقلين", "حالات تهريب عبر المعابر الحدودية",
        "انتهاكات متكررة بحق المدنيين", "تقريراً مفصلاً عن أوضاع النازحين",
        "أدلة على التحايل على العقوبات", "قوائم بأسماء المفقودين",
        "بيانات عن حركة الشحن في الموانئ", "ملفاً عن مصادرة الممتلكات",
        "صوراً ووثائق من داخل مراكز الاحتجاز", "مقترحات لتحسين آليات المساءلة",
        "معلومات عن شبكات تجارة المخدرات", "شكاوى السكان من انقطاع المساعدات",
    ],
    "where": [
        "في ريف حلب الشمالي", "في مدينة إدلب", "على الحدود مع الأردن", "في مخيمات الشمال السوري",
        "قبل انعقاد جلسة مجلس الأمن", "خلال الربع الأخير من العام", "بالتعاون مع منظمات شريكة",
        "رغم الصعوبات الأمنية", "في العاصمة البلجيكية بروكسل", "بعد أسابيع من العمل الميداني",
        "في مدينة غازي عنتاب", "في الساحل السوري",
    ],
    "say": ["أكد", "أوضح", "ذكر", "رأى", "أعلن", "اعتبر"],
    "speaker": [
        "أحد أعضاء الوفد", "متحدث باسم التحالف", "شاهد عيان", "ناشط حقوقي", "أحد ذوي المعتقلين",
        "عضو في الفريق القانوني",
    ],
    "claim": [
        "العقوبات حرمت النظام من موارد مالية كبيرة", "المعتقلين ما زالوا يعيشون ظروفاً قاسية",
        "التوثيق الدقيق شرط أساسي للمحاسبة", "المساعدات الإنسانية لا تصل إلى مستحقيها",
        "شبكات التهريب تستغل ضعف الرقابة على المعابر",
        "العائلات تنتظر إجابات واضحة عن مصير أبنائها", "المجتمع الدولي مطالب بخطوات عملية",
        "الشهادات المجمعة تكشف نمطاً منهجياً من الانتهاكات",
        "الحل السياسي يبقى الطريق الوحيد لإنهاء المعاناة",
        "إعادة الإعمار لا يمكن أن تتم دون محاسبة",
    ],
    "demand": [
        "الإفراج الفوري عن المعتقلين", "فتح تحقيق مستقل في الانتهاكات",
        "تشديد الرقابة على المعابر", "حماية الشهود وعائلاتهم",
        "ضمان وصول المساعدات دون عوائق", "ملاحقة المتورطين أمام القضاء",
        "تفتيش السفن المشتبه بها", "دعم منظمات المجتمع المدني المحلية",
    ],
    "counted": ["الحالات الموثقة", "الشهادات المسجلة", "البلاغات الواردة", "الملفات المحالة"],
    "month": [
        "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
        "تشرين الأول", "تشرين الثاني", "كانون الأول",
    ],
    "heading": [
        "خلفية", "ما جرى", "الشهادات", "المطالب", "الخطوات القادمة", "السياق القانوني",
        "الأرقام", "ردود الفعل", "التوصيات", "ملاحظات منهجية",
    ],
    "see_also": "اقرأ أيضاً:",
    "related": "وللمزيد، راجع",
    "image_alt": "رسم بياني يوضح عدد الحالات الموثقة في كل محافظة",
    "place": [
        "بروكسل — مقر الاتحاد الأوروبي", "جنيف — مكتب الأمم المتحدة",
        "واشنطن — وزارة الخارجية الأمريكية", "برلين — وزارة الخارجية الألمانية",
        "باريس — وزارة الخارجية الفرنسية", "عمّان — مكتب المبعوث الخاص",
        "إسطنبول — مكتب المنسق الإقليمي",
    ],
    "counterpart": [
        "فريق قانون قيصر في وزارة الخارجية الأمريكية", "المبعوث الأممي الخاص إلى سوريا",
        "لجنة حقوق الإنسان في البرلمان الأوروبي", "مكتب الشؤون الإنسانية في الأمم المتحدة",
        "فريق العمل المعني بالمفقودين", "وفد وزارة الخارجية الألمانية",
    ],
    "delegate": [
        "المنسق العام للتحالف", "أمين سر التحالف", "عضو مجلس الإدارة",
        "مسؤول ملف المعتقلين", "ممثلة رابطة عائلات المفقودين", "المستشار القانوني",
    ],
    "outcome": [
        "وعد الجانب الآخر بدراسة المقترحات خلال شهر",
        "اتُّفق على تبادل المعلومات بصورة دورية",
        "أبدى الفريق اهتمامه بملف تهريب النفط",
        "طُلب من التحالف تقديم أدلة إضافية موثقة",
    ],
    "followup": [
        "إرسال تقرير مفصل خلال أسبوعين", "عقد لقاء متابعة بعد ثلاثة أشهر",
        "تزويد الفريق بقائمة بأسماء المتورطين", "إطلاع العائلات على نتائج اللقاء",
    ],
}

EN = {
    "opener": [
        "In this context,", "Last week,", "On the other hand,", "According to available information,",
        "Over recent months,", "In a notable development,", "In a related matter,",
        "According to testimonies gathered by our team,", "At the end of the meeting,",
        "Since the start of the year,", "On the same day,", "After long consultations,",
    ],
    "actor": [
        "the Alliance", "the documentation team", "the media office", "the general coordinator",
        "the board", "the legal team", "the Alliance delegation", "the monitoring centre",
        "the local council", "a field researcher", "the lawyer handling the case",
        "a representative of the families",
    ],
    "verb": ["documented", "recorded", "followed", "discussed", "presented", "prepared",
             "published", "reviewed", "collected", "submitted"],
    "object": [
        "new testimonies from detainees' families", "cases of smuggling through border crossings",
        "repeated violations against civilians", "a detailed report on displaced people",
        "evidence of sanctions evasion", "lists of the names of the missing",
        "data on shipping traffic in the ports", "a file on seized property",
        "photographs and documents from detention centres", "proposals to improve accountability",
        "information on drug trafficking networks", "residents' complaints about aid cuts",
    ],
    "where": [
        "in the northern Aleppo countryside", "in Idlib city", "on the border with Jordan",
        "in the camps of northern Syria", "ahead of the Security Council session",
        "during the last quarter of the year", "together with partner organisations",
        "despite the security risks", "in Brussels", "after weeks of field work",
        "in Gaziantep", "on the Syrian coast",
    ],
    "say": ["stressed", "explained", "said", "argued", "announced", "noted"],
    "speaker": [
        "a member of the delegation", "a spokesperson for the Alliance", "an eyewitness",
        "a human rights activist", "a relative of one of the detainees", "a member of the legal team",
    ],
    "claim": [
        "the sanctions have deprived the regime of large financial resources",
        "detainees are still held in harsh conditions",
        "careful documentation is a precondition for accountability",
        "humanitarian aid is not reaching the people who need it",
        "smuggling networks exploit weak controls at the crossings",
        "families are waiting for clear answers about the fate of their children",
        "the international community must take practical steps",
        "the testimonies reveal a systematic pattern of violations",
        "a political settlement remains the only way to end the suffering",
        "reconstruction cannot happen without accountability",
    ],
    "demand": [
        "the immediate release of detainees", "an independent investigation into the violations",
        "tighter control of the crossings", "protection for witnesses and their families",
        "unhindered access for humanitarian aid", "prosecution of those responsible",
        "inspection of suspect ships", "support for local civil-society organisations",
    ],
    "counted": ["documented cases", "recorded testimonies", "reports received", "files referred"],
    "month": [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ],
    "heading": [
        "Background", "What happened", "Testimonies", "Demands", "Next steps", "Legal context",
        "The figures", "Reactions", "Recommendations", "A note on method",
    ],
    "see_also": "See also:",
    "related": "For more, see",
    "image_alt": "Bar chart of documented cases per governorate",
    "place": [
        "Brussels — European Union headquarters", "Geneva — United Nations office",
        "Washington, D.C. — U.S. Department of State", "Berlin — German Federal Foreign Office",
        "Paris — French Ministry of Foreign Affairs", "Amman — Office of the Special Envoy",
        "Istanbul — Office of the Regional Coordinator",
    ],
    "counterpart": [
        "The Caesar Act team at the U.S. Department of State",
        "The UN Special Envoy for Syria", "The European Parliament's human rights committee",
        "The UN Office for the Coordination of Humanitarian Affairs",
        "The working group on missing persons", "A delegation of the German Foreign Office",
    ],
    "delegate": [
        "General Coordinator of the Alliance", "Secretary of the Alliance", "Member of the Board",
        "Head of the detainees file", "Representative of the families of the missing",
        "Legal adviser",
    ],
    "outcome": [
        "The other side promised to study the proposals within a month",
        "Both sides agreed to exchange information regularly",
        "The team showed interest in the oil smuggling file",
        "The Alliance was asked to provide further documented evidence",
    ],
    "followup": [
        "Send a detailed report within two weeks", "Hold a follow-up meeting in three months",
        "Give the team a list of the names of those involved",
        "Brief the families on the outcome of the meeting",
    ],
}
PARTS = {"ar": AR, "en": EN}


def _sentence(rng: random.Random, lang: str) -> str:
    p = PARTS[lang]
    kind = rng.randrange(6)
    if lang == "ar":
        if kind == 0:
            return f"{rng.choice(p['opener'])} {rng.choice(p['verb'])} {rng.choice(p['actor'])} {rng.choice(p['object'])} {rng.choice(p['where'])}."
        if kind == 1:
            return f"{rng.choice(p['say'])} {rng.choice(p['actor'])} أنّ {rng.choice(p['claim'])}."
        if kind == 2:
            first, second = rng.sample(p["demand"], 2)
            return f"ودعا {rng.choice(p['actor'])} إلى {first} و{second}."
        if kind == 3:
            return f"وقال {rng.choice(p['speaker'])} إنّ {rng.choice(p['claim'])}، مضيفاً أنّ {rng.choice(p['claim'])}."
        if kind == 4:
            return (f"وبلغ عدد {rng.choice(p['counted'])} {rng.randint(11, 999)} حالة "
                    f"حتى نهاية شهر {rng.choice(p['month'])}.")
        return f"{rng.choice(p['verb'])} {rng.choice(p['actor'])} {rng.choice(p['object'])}، ثم {rng.choice(p['verb'])} {rng.choice(p['object'])} {rng.choice(p['where'])}."
    if kind == 0:
        return f"{rng.choice(p['opener'])} {rng.choice(p['actor'])} {rng.choice(p['verb'])} {rng.choice(p['object'])} {rng.choice(p['where'])}."
    if kind == 1:
        return _cap(f"{rng.choice(p['actor'])} {rng.choice(p['say'])} that {rng.choice(p['claim'])}.")
    if kind == 2:
        first, second = rng.sample(p["demand"], 2)
        return _cap(f"{rng.choice(p['actor'])} called for {first} and {second}.")
    if kind == 3:
        return _cap(f"{rng.choice(p['speaker'])} said that {rng.choice(p['claim'])}, adding that {rng.choice(p['claim'])}.")
    if kind == 4:
        return (f"The number of {rng.choice(p['counted'])} reached {rng.randint(11, 999)} "
                f"by the end of {rng.choice(p['month'])}.")
    return _cap(f"{rng.choice(p['actor'])} {rng.choice(p['verb'])} {rng.choice(p['object'])}, then {rng.choice(p['verb'])} {rng.choice(p['object'])} {rng.choice(p['where'])}.")


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def _paragraph(rng: random.Random, lang: str) -> str:
    return " ".join(_sentence(rng, lang) for _ in range(rng.randint(3, 6)))


@dataclass(frozen=True)
class Item:
    """What the two language versions of a pair share."""

    number: int
    section: str
    slug: str
    date: datetime
    tags: tuple[int, ...]
    author: int
    links: tuple[int, ...]  # numbers of other items
    image: bool
    republished: bool
    words: int


def plan(pairs: int, seed: int) -> list[Item]:
    """The shared skeleton of every pair, in number order."""
    rng = random.Random(f"plan-{seed}")
    sections = [name for name, weight in SECTIONS for _ in range(weight)]
    items = []
    for number in range(pairs):
        section = rng.choice(sections)
        offset = timedelta(days=SPAN_DAYS * number / max(pairs, 1), minutes=rng.randrange(600))
        items.append(Item(
            number=number,
            section=section,
            slug=f"{section}-{number:05d}",
            date=FIRST_DATE + offset,
            tags=tuple(rng.sample(range(len(TAGS["en"])), rng.randint(2, 4))),
            author=rng.randrange(len(AUTHORS["en"])),
            links=tuple(rng.randrange(pairs) for _ in range(min(3, pairs - 1)) if pairs > 1),
            image=rng.random() < 0.2,
            republished=rng.random() < 0.1,
            words=rng.randint(WORDS[0] + 20, WORDS[1] - 40),
        ))
    # A link never points at its own item.
    return [
        Item(**{**item.__dict__, "links": tuple(n for n in item.links if n != item.number)})
        for item in items
    ]


def _title(rng: random.Random, lang: str) -> str:
    p = PARTS[lang]
    if lang == "ar":
        return f"{rng.choice(p['actor'])} {rng.choice(p['verb'])} {rng.choice(p['object'])} {rng.choice(p['where'])}"
    return _cap(f"{rng.choice(p['actor'])} {rng.choice(p['verb'])} {rng.choice(p['object'])} {rng.choice(p['where'])}")


def _list_field(name: str, values: list[str]) -> list[str]:
    return [f"{name}: {values[0]}", *(f"    {value}" for value in values[1:])]


def _meeting_header(rng: random.Random, lang: str, item: Item) -> list[str]:
    p = PARTS[lang]
    meeting_date = (item.date - timedelta(days=1 + item.number % 5)).date().isoformat()
    lines = [
        f"Meeting_Date: {meeting_date}",
        f"Place: {rng.choice(p['place'])}",
        f"Counterpart: {rng.choice(p['counterpart'])}",
        *_list_field("Delegation", rng.sample(p["delegate"], rng.randint(2, 4))),
        *_list_field("Topics", rng.sample(p["object"], rng.randint(3, 5))),
    ]
    if item.number % 3:  # the optional fields, in two thirds of the meetings
        lines += _list_field("Requests", rng.sample(p["demand"], 3))
        lines += _list_field("Outcomes", rng.sample(p["outcome"], 2))
        lines += _list_field("Followups", rng.sample(p["followup"], 2))
    return lines


def _link(lang: str, other: Item, titles: dict) -> str:
    return f"[{titles[lang][other.number]}]({{filename}}/{lang}/{other.section}/{other.slug}.md)"


def article(item: Item, lang: str, items: list[Item], titles: dict, seed: int) -> str:
    rng = random.Random(f"text-{seed}-{item.number}-{lang}")
    p = PARTS[lang]
    header = [
        f"Title: {titles[lang][item.number]}",
        f"Date: {item.date.strftime('%Y-%m-%d %H:%M:%S%z')[:-2]}:00",
        f"Slug: {item.slug}",
        f"Lang: {lang}",
        f"Summary: {_sentence(rng, lang)}",
        f"Tags: {', '.join(TAGS[lang][t] for t in item.tags)}",
        f"Authors: {AUTHORS[lang][item.author]}",
    ]
    if item.section == "meetings":
        header += _meeting_header(rng, lang, item)
    if item.republished:
        header += [
            f"Source: {'صحيفة المراقب الحر' if lang == 'ar' else 'The Free Observer'}",
            f"Source_Url: https://example.org/observer/{item.slug}",
        ]
    blocks = [_paragraph(rng, lang)]
    headings = rng.sample(p["heading"], 4)
    list_at, image_at = rng.randrange(4), rng.randrange(4)
    for index, heading in enumerate(headings):
        blocks.append(f"## {heading}")
        blocks.append(_paragraph(rng, lang))
        if index == list_at:
            marker = "1." if rng.random() < 0.3 else "-"
            blocks.append("\n".join(f"{marker} {_cap(d) if lang == 'en' else d}."
                                    for d in rng.sample(p["demand"], rng.randint(3, 5))))
        if index == image_at and item.image:
            blocks.append(f"![{p['image_alt']}]({{static}}/{IMAGE})")
    if item.links:
        first, *rest = (items[n] for n in item.links)
        blocks.append(f"{p['related']} {_link(lang, first, titles)}.")
        if rest:
            blocks.append(p["see_also"] + "\n\n" + "\n".join(f"- {_link(lang, o, titles)}" for o in rest))
    # Fill up to the item's word count with paragraphs before the links.
    links_at = len(blocks) - (1 if item.links else 0) - (1 if len(item.links) > 1 else 0)
    total = sum(len(block.split()) for block in blocks)
    while total < item.words:
        paragraph = _paragraph(rng, lang)
        if total + len(paragraph.split()) > WORDS[1]:
            paragraph = _sentence(rng, lang)
        blocks.insert(links_at, paragraph)
        links_at += 1
        total += len(paragraph.split())
    return "\n".join(header) + "\n\n" + "\n\n".join(blocks) + "\n"


PAGES = {
    "ar": {
        "about": ("من نحن", "تحالف من منظمات المجتمع المدني يوثّق الانتهاكات ويطالب بالمحاسبة."),
        "contact": ("أرسل الأدلة بأمان", "أرسل الملفات الأصلية كما هي، ولا تعرّض نفسك للخطر."),
    },
    "en": {
        "about": ("About us", "An alliance of civil-society groups that documents violations and seeks accountability."),
        "contact": ("Send evidence safely", "Send the original files as they are, and never put yourself at risk."),
    },
}

SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60" width="120" height="60" role="img" aria-labelledby="t">
  <title id="t">Documented cases per governorate / الحالات الموثقة في كل محافظة</title>
  <rect x="5" y="30" width="20" height="25" fill="#7d8c66"/>
  <rect x="35" y="15" width="20" height="40" fill="#8c7f66"/>
  <rect x="65" y="5" width="20" height="50" fill="#5b7a99"/>
  <rect x="95" y="40" width="20" height="15" fill="#a3624f"/>
</svg>
"""


def generate(out: Path, pairs: int, seed: int = 1) -> Path:
    """Write `<out>/content/`; return its path. `out/content` must not exist yet."""
    content = Path(out) / "content"
    if content.exists():
        raise FileExistsError(f"{content} exists (remove it, or pass another --out)")
    items = plan(pairs, seed)
    titles = {
        lang: [_title(random.Random(f"title-{seed}-{i}-{lang}"), lang) for i in range(pairs)]
        for lang in LANGS
    }
    for lang in LANGS:
        for item in items:
            path = content / lang / item.section / f"{item.slug}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(article(item, lang, items, titles, seed), encoding="utf-8", newline="\n")
        for slug, (title, text) in PAGES[lang].items():
            path = content / lang / "pages" / f"{slug}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            # No `Template: contact`: stock Pelican's theme has no such template.
            path.write_text(f"Title: {title}\nSlug: {slug}\nLang: {lang}\n\n{text}\n",
                            encoding="utf-8", newline="\n")
    (content / "images").mkdir(parents=True, exist_ok=True)
    (content / IMAGE).write_text(SVG, encoding="utf-8", newline="\n")
    return content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=300, help="article pairs (2 files each)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True, help="folder to write content/ into")
    parser.add_argument("--force", action="store_true", help="replace an existing <out>/content")
    args = parser.parse_args(argv)
    content = Path(args.out) / "content"
    if Path(args.out).resolve() == Path(__file__).resolve().parent.parent:
        parser.error("--out is the project itself: its content/ is not a benchmark corpus")
    if args.force and content.exists():
        shutil.rmtree(content)
    generate(Path(args.out), args.pairs, args.seed)
    print(f"wrote {2 * args.pairs} articles (+4 pages, 1 image) to {content}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
