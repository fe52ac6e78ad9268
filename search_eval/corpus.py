"""The evaluation corpus: the sample content plus generated articles with known words.

    python -m search_eval.corpus --out DIR

Writes DIR/content/: a copy of the project's content/ and, per language, short
news articles of neutral filler text (weather, markets, farming…). Most of them
carry one or two planted sentences, each with one written form of a test word
(والحكومات, فالمحكمة, الكرامـــة, للأطفال…); the rest are filler only. The filler
never contains a test word, so the pages that must be found for a query are the
pages where its forms were planted, plus any sample page that uses them
(search_eval/queries.json lists both; run.py checks that list against the
built pages). Same seed, same corpus: nothing depends on the clock or on hashing.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

AR_FILLER = [
    "شهدت المنطقة خلال الأسبوع الماضي أمطاراً غزيرة رفعت منسوب المياه في الأودية.",
    "وارتفعت أسعار الخبز والخضار في الأسواق الشعبية بنسبة ملحوظة.",
    "ويعمل المزارعون على إصلاح قنوات الري قبل بدء موسم الزراعة.",
    "وتحدث السكان عن صعوبة التنقل بين القرى بسبب سوء حالة الطرق.",
    "ونظف متطوعون الشوارع وزرعوا الأشجار في الحدائق العامة.",
    "وتستمر ورش الكتابة الصحفية حتى نهاية الشهر.",
    "وأشار مهندسون إلى ضرورة صيانة شبكة الكهرباء قبل حلول فصل الشتاء.",
    "وتراجعت حركة البيع والشراء في سوق المدينة القديمة.",
    "ويأمل الأهالي أن تعود المياه إلى الأحياء الشرقية قريباً.",
    "وقدمت فرقة موسيقية عرضاً في ساحة البلدة مساء الخميس.",
    "واستقبلت المكتبة العامة عدداً كبيراً من الزوار خلال العطلة.",
    "ويحتاج القطاع الزراعي إلى دعم أكبر لمواجهة الجفاف.",
    "وتبادل المشاركون الآراء حول مستقبل الحرف اليدوية.",
    "وقال عدد من التجار إن تكاليف النقل تضاعفت منذ بداية العام.",
    "وتعيد ورشة صغيرة تدوير البلاستيك وتحويله إلى أدوات منزلية.",
    "وتزداد الحاجة إلى مراكز تدريب مهني للشباب في الأرياف.",
    "ووصلت درجات الحرارة إلى مستويات قياسية في منتصف الصيف.",
    "ويتابع الصيادون عملهم على ضفاف النهر رغم قلة الأسماك.",
    "وأطلق ناشطون مبادرة لتعليم الكبار القراءة والكتابة.",
    "وتشير الأرقام إلى زيادة عدد الطلاب في الجامعات الخاصة.",
    "ويقضي كثيرون ساعات طويلة في انتظار وسائل النقل العامة.",
    "وافتتح معرض للصور الفوتوغرافية عن الحياة اليومية في الريف.",
    "وناقش الحاضرون أفضل الطرق لحفظ التراث الشعبي.",
    "وتأثرت محاصيل القمح والشعير بموجة الصقيع الأخيرة.",
    "ويبحث سكان الحي عن حلول لمشكلة تراكم النفايات.",
    "وتوقعت نشرة الطقس استقرار الأجواء خلال الأيام المقبلة.",
    "وصدر كتاب جديد عن تاريخ المدينة ومعالمها.",
    "وتواصل البلدية أعمال ترميم الجسر الحجري القديم.",
    "ويشكو أصحاب المحلات من انقطاع التيار الكهربائي لساعات.",
    "وشارك عشرات الرياضيين في سباق الجري السنوي.",
]
EN_FILLER = [
    "Heavy rain last week raised the water level in the valleys.",
    "Prices of bread and vegetables rose in the popular markets.",
    "Farmers are repairing irrigation channels before the planting season.",
    "Residents spoke of how hard it is to travel between villages on damaged roads.",
    "Volunteers cleaned the streets and planted trees in the public gardens.",
    "Engineers warned that the power network needs maintenance before winter.",
    "Trade slowed in the market of the old city.",
    "A music group performed in the town square on Thursday evening.",
    "The public library welcomed many visitors during the holiday.",
    "Merchants said transport costs have doubled since the start of the year.",
    "A small workshop recycles plastic into household tools.",
    "Temperatures reached record levels in the middle of the summer.",
    "Fishermen keep working on the river banks despite the low catch.",
    "Activists launched an initiative to teach adults to read and write.",
    "Figures show more students enrolling in private universities.",
    "Many people spend long hours waiting for public transport.",
    "An exhibition of photographs shows daily life in the countryside.",
    "Wheat and barley crops were damaged by the recent frost.",
    "Neighbours are looking for solutions to the piles of rubbish.",
    "The municipality continues to restore the old stone bridge.",
]
# Planted sentences: {} is replaced by one form of a test word.
AR_FRAMES = [
    "وتناول اللقاء موضوع {} بالتفصيل.",
    "وجرى الحديث عن {} في ختام الجلسة.",
    "وتكرر ذكر {} في رسائل القراء هذا الأسبوع.",
]
EN_FRAMES = [
    "The meeting discussed {} in detail.",
    "Talk turned to {} at the end of the session.",
    "Readers' letters mentioned {} again this week.",
]
# The test words, one written form per article (some articles get two).
PLANTED = {
    "ar": [
        # the article and clitics before it
        "والحكومات", "الحكومات", "للحكومات", "بالحكومات", "فالحكومات", "وحكومات", "الحكومة",
        "فالمحكمة", "المحكمة", "والمحكمة", "بالمحكمة", "للمحكمة", "المَحكمة",
        # clitics before a hamza, the word spelled without its madda
        "وآمنة", "آمنة", "الآمنة", "امنة",
        "الأطفال", "للأطفال", "وللأطفال", "بالأطفال", "أطفال", "لأطفال", "والأطفال",
        # ى and ي, plural
        "المستشفى", "مستشفى", "والمستشفيات", "المستشفي", "بالمستشفى",
        # tatweel, tashkeel
        "الكرامـــة", "الكَرامة", "والكرامة", "كرامة", "بكرامة",
        # hamza misspelled
        "الانتخابات", "والانتخابات", "انتخابات", "الإنتخابات", "للانتخابات",
        # ل + ال + لجنة is written للجنة
        "اللجنة", "لجنة", "واللجنة", "للجنة", "باللجنة",
        # و and ب that are not clitics, and one that is
        "وزارة", "الوزارة", "والوزارة", "بوزارة",
        "البيان", "بيان", "والبيانات", "ببيان",
    ],
    "en": [
        "governments", "government", "the Government's plans",
        "the court", "courts", "children", "a child", "children's rights",
        "elections", "the election", "the hospital", "hospitals", "the committee", "committees",
    ],
}
FILLER_ONLY = {"ar": 10, "en": 5}
FIRST_DAY = 1  # of March 2024, the generated articles' dates


def _article(lang: str, number: int, planted: list[str], rng: random.Random) -> str:
    filler = AR_FILLER if lang == "ar" else EN_FILLER
    frames = AR_FRAMES if lang == "ar" else EN_FRAMES
    sentences = rng.sample(filler, rng.randint(5, 8))
    for form in planted:
        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(frames).format(form))
    title = f"نشرة محلية رقم {number}" if lang == "ar" else f"Local bulletin no. {number}"
    day = FIRST_DAY + number % 28
    header = [
        f"Title: {title}",
        f"Date: 2024-03-{day:02d} 10:{number % 60:02d}:00+03:00",
        f"Slug: eval-{lang}-{number:02d}",
        f"Lang: {lang}",
        f"Summary: {rng.choice(filler)}",
        "Authors: " + ("المكتب الإعلامي" if lang == "ar" else "Media Office"),
    ]
    half = len(sentences) // 2
    body = [" ".join(sentences[:half]), " ".join(sentences[half:])]
    return "\n".join(header) + "\n\n" + "\n\n".join(body) + "\n"


def plan(lang: str, seed: int) -> list[list[str]]:
    """The planted forms of each generated article of a language, in order."""
    rng = random.Random(f"plan-{seed}-{lang}")
    forms = list(PLANTED[lang])
    rng.shuffle(forms)
    articles = []
    while forms:  # one or two forms per article
        take = 2 if len(forms) > 1 and rng.random() < 0.5 else 1
        articles.append(forms[:take])
        forms = forms[take:]
    articles += [[] for _ in range(FILLER_ONLY[lang])]
    rng.shuffle(articles)
    return articles


def generate(out: Path, seed: int = 1) -> Path:
    """Write `out/content/` (the sample content and the generated articles); return it."""
    content = Path(out) / "content"
    if content.exists():
        shutil.rmtree(content)
    shutil.copytree(ROOT / "content", content)
    for lang in PLANTED:
        folder = content / lang / "news"
        for number, planted in enumerate(plan(lang, seed), 1):
            rng = random.Random(f"text-{seed}-{lang}-{number}")
            text = _article(lang, number, planted, rng)
            (folder / f"eval-{lang}-{number:02d}.md").write_text(text, encoding="utf-8", newline="\n")
    return content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m search_eval.corpus", description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="folder to write content/ into")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(generate(Path(args.out), args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
