"""Word pools and the deterministic note generators behind the benchmark corpus."""

from __future__ import annotations

import random
from collections.abc import Callable

Fields = dict[str, str]
NoteMaker = Callable[[random.Random, int], tuple[Fields, list[str]]]


# --- word pools ---------------------------------------------------------------------------

_WORD_TEXT = (
    "river mountain quickly abstract lantern harvest silent voltage meadow orbit glacier harbor "
    "whisper copper delta forest fragile ember canyon signal marble thunder velvet compass cedar "
    "falcon prism tundra lagoon quartz"
)
WORDS = _WORD_TEXT.split()
GERMAN = [
    ("der Hund", "the dog"),
    ("die Katze", "the cat"),
    ("das Haus", "the house"),
    ("laufen", "to run"),
    ("schnell", "fast"),
    ("die Brücke", "the bridge"),
    ("das Mädchen", "the girl"),
    ("grün", "green"),
    ("die Straße", "the street"),
    ("fröhlich", "cheerful"),
    ("der Schlüssel", "the key"),
    ("vergessen", "to forget"),
]
JAPANESE = [
    ("食べる", "食[た]べる", "to eat"),
    ("飲む", "飲[の]む", "to drink"),
    ("学校", "学校[がっこう]", "school"),
    ("先生", "先生[せんせい]", "teacher"),
    ("電車", "電車[でんしゃ]", "train"),
    ("新しい", "新[あたら]しい", "new"),
    ("図書館", "図書館[としょかん]", "library"),
    ("天気", "天気[てんき]", "weather"),
    ("勉強", "勉強[べんきょう]", "study"),
    ("友達", "友達[ともだち]", "friend"),
    ("会社", "会社[かいしゃ]", "company"),
    ("病院", "病院[びょういん]", "hospital"),
    ("大きい", "大[おお]きい", "big"),
    ("見る", "見[み]る", "to see"),
]
JAPANESE_SENTENCES = [
    (
        "私は毎日学校に行きます。",
        "私[わたし]は 毎日[まいにち] 学校[がっこう]に 行[い]きます。",
        "I go to school every day.",
    ),
    (
        "昨日、友達と映画を見ました。",
        "昨日[きのう]、 友達[ともだち]と 映画[えいが]を 見[み]ました。",
        "Yesterday I watched a film with a friend.",
    ),
    (
        "この本はとても面白いです。",
        "この 本[ほん]はとても 面白[おもしろ]いです。",
        "This book is very interesting.",
    ),
    (
        "駅までどのくらいかかりますか。",
        "駅[えき]までどのくらいかかりますか。",
        "How long does it take to the station?",
    ),
]
CHINESE = [
    ("你好", "nǐ hǎo", "hello"),
    ("谢谢", "xiè xie", "thank you"),
    ("学生", "xué sheng", "student"),
    ("中国", "Zhōng guó", "China"),
    ("朋友", "péng you", "friend"),
    ("喜欢", "xǐ huan", "to like"),
    ("电脑", "diàn nǎo", "computer"),
    ("医生", "yī shēng", "doctor"),
    ("飞机", "fēi jī", "plane"),
    ("咖啡", "kā fēi", "coffee"),
]
SPANISH = [
    ("¿Dónde está la biblioteca?", "Where is the library?", "biblioteca"),
    ("Me gustaría un café con leche.", "I would like a coffee with milk.", "gustaría"),
    ("Ayer fuimos a la playa.", "Yesterday we went to the beach.", "fuimos"),
    ("No sé si vendrá mañana.", "I don't know if he will come tomorrow.", "vendrá"),
]
DRUGS = [
    ("Metformin", "biguanide", "decreases hepatic gluconeogenesis", "lactic acidosis"),
    ("Lisinopril", "ACE inhibitor", "blocks conversion of angiotensin I to II", "dry cough"),
    ("Warfarin", "vitamin K antagonist", "inhibits epoxide reductase", "bleeding"),
    (
        "Amiodarone",
        "class III antiarrhythmic",
        "blocks K<sup>+</sup> channels",
        "pulmonary fibrosis",
    ),
    ("Furosemide", "loop diuretic", "inhibits NKCC2 in the thick ascending limb", "ototoxicity"),
    ("Atorvastatin", "statin", "inhibits HMG-CoA reductase", "myopathy"),
]
COUNTRIES = [
    ("France", "Paris", "Europe"),
    ("Japan", "Tokyo", "Asia"),
    ("Kenya", "Nairobi", "Africa"),
    ("Peru", "Lima", "South America"),
    ("Canada", "Ottawa", "North America"),
    ("Australia", "Canberra", "Oceania"),
    ("Mongolia", "Ulaanbaatar", "Asia"),
]
EVENTS = [
    ("1066", "Battle of Hastings"),
    ("1453", "Fall of Constantinople"),
    ("1789", "Storming of the Bastille"),
    ("1869", "Suez Canal opens"),
    ("1969", "Apollo 11 lands on the Moon"),
    ("1989", "Fall of the Berlin Wall"),
]


def sentence(rng: random.Random, low: int = 4, high: int = 14) -> str:
    """A sentence of pool words."""
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))
    return text.capitalize() + "."


def decorate(rng: random.Random, text: str) -> str:
    """Sometimes wrap text in the markup Anki's editor produces."""
    roll = rng.random()
    if roll < 0.15:
        return f"<b>{text}</b>"
    if roll < 0.25:
        return f"<div>{text}</div><div><br></div>"
    if roll < 0.3:
        return text.replace(" ", "&nbsp;", 1)
    if roll < 0.35:
        return f'{text}<br><img src="paste-{rng.randint(1000, 9999)}.jpg">'
    return text


def maybe(rng: random.Random, text: str, probability: float = 0.6) -> str:
    """``text`` with the given probability, else an empty field."""
    return text if rng.random() < probability else ""


def sound(rng: random.Random, probability: float = 0.5) -> str:
    """A ``[sound:…]`` reference or nothing."""
    return maybe(rng, f"[sound:rec_{rng.randint(1, 99999):05d}.mp3]", probability)


def tags(rng: random.Random, *pool: str) -> list[str]:
    """A few tags from ``pool``."""
    return rng.sample(pool, rng.randint(0, min(3, len(pool))))


def clozes(rng: random.Random, count: int, *, hints: bool = True, start: int = 1) -> str:
    """Text with ``count`` cloze deletions, some sharing a number, some with hints."""
    parts = []
    for index in range(count):
        number = start + (index if rng.random() < 0.8 else max(0, index - 1))
        hint = f"::{rng.choice(WORDS)}" if hints and rng.random() < 0.3 else ""
        parts.append(f"{sentence(rng, 2, 6)[:-1]} {{{{c{number}::{rng.choice(WORDS)}{hint}}}}}")
    return ", ".join(parts) + "."


# --- note generators ----------------------------------------------------------------------


def basic(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    return {
        "Front": decorate(rng, sentence(rng) + "?"),
        "Back": decorate(rng, sentence(rng)),
    }, tags(rng, "chapter1", "chapter2", "exam", "leech")


def german(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    word, meaning = rng.choice(GERMAN)
    return {"Front": word, "Back": decorate(rng, meaning)}, tags(rng, "german", "a1", "nouns")


def optional_reverse(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    word, meaning = rng.choice(GERMAN)
    return {"Front": word, "Back": meaning, "Add Reverse": maybe(rng, "y", 0.4)}, []


def type_in(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    country, capital, _ = rng.choice(COUNTRIES)
    return {"Front": f"Capital of {country}?", "Back": capital}, ["geography"]


def cloze(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    text = decorate(rng, clozes(rng, rng.randint(1, 3)))
    return {"Text": text, "Back Extra": maybe(rng, sentence(rng), 0.5)}, tags(rng, "bio", "ch3")


def cloze_many(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    text = "<br>".join(clozes(rng, rng.randint(3, 6), start=1 + 6 * k) for k in range(4))
    if rng.random() < 0.3:  # a nested cloze, as power users write them
        text += " {{c30::outer {{c31::inner}} text}}"
    return {"Text": text, "Extra": maybe(rng, sentence(rng))}, tags(rng, "lists", "enumerations")


def image_occlusion(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    shapes = []
    for n in range(1, rng.randint(2, 8)):
        left, top = rng.random() * 0.8, rng.random() * 0.8
        shape = rng.choice(["rect", "ellipse"])
        shapes.append(
            f"{{{{c{n}::image-occlusion:{shape}:left={left:.4f}:top={top:.4f}:"
            f"width=.1200:height=.0500:oi=1}}}}"
        )
    return {
        "Occlusion": "<br>".join(shapes),
        "Image": f'<img src="diagram-{rng.randint(1, 500)}.png">',
        "Header": maybe(rng, "Brachial plexus"),
        "Back Extra": maybe(rng, sentence(rng), 0.3),
        "Comments": "",
    }, ["anatomy"]


def japanese(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    expression, reading, meaning = rng.choice(JAPANESE)
    return {
        "Expression": expression,
        "Reading": reading,
        "Meaning": decorate(rng, meaning),
        "Audio": sound(rng),
        "Notes": maybe(rng, sentence(rng), 0.3),
    }, tags(rng, "japanese", "jlpt::n5", "jlpt::n4", "core2k")


def japanese_sentence(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    plain, reading, meaning = rng.choice(JAPANESE_SENTENCES)
    return {
        "Sentence": plain,
        "Reading": reading,
        "Translation": meaning,
        "Audio": sound(rng, 0.8),
        "Hint": maybe(rng, "polite form", 0.3),
    }, ["japanese", "sentences"]


def chinese(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    hanzi, pinyin, meaning = rng.choice(CHINESE)
    return {
        "Hanzi": hanzi,
        "Pinyin": pinyin,
        "English": meaning,
        "Audio": sound(rng, 0.7),
        "Example": maybe(rng, f"{hanzi}！", 0.4),
    }, tags(rng, "hsk1", "hsk2", "chinese")


def spanish(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    sentence_es, sentence_en, word = rng.choice(SPANISH)
    return {
        "Sentence": sentence_es.replace(word, f"<b>{word}</b>"),
        "Word": word,
        "Translation": sentence_en,
        "Audio": sound(rng, 0.9),
        "Image": maybe(rng, f'<img src="es-{i}.jpg">', 0.3),
    }, ["spanish"]


def anking(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    name, klass, mechanism, adverse = rng.choice(DRUGS)
    text = (
        f"{{{{c1::{name}}}}} is a {{{{c2::{klass}}}}} that {{{{c3::{mechanism}}}}}; "
        f"a key adverse effect is {{{{c4::{adverse}::organ}}}}."
    )
    optional = {
        field: maybe(rng, decorate(rng, sentence(rng)), 0.35)
        for field in (
            "Extra",
            "Personal Notes",
            "Missed Questions",
            "Lecture Notes",
            "Pathoma",
            "Boards and Beyond",
            "First Aid",
            "Sketchy",
            "Pixorize",
            "Physeo",
            "Bootcamp",
            "Additional Resources",
        )
    }
    return {"Text": text, **optional, "One by one": maybe(rng, "y", 0.2)}, tags(
        rng, "#AK_Step1_v12::#B&B::Pharm", "#AK_Step1_v12::#FirstAid::Cardio", "missed"
    )


def anking_basic(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    name, klass, mechanism, adverse = rng.choice(DRUGS)
    return {
        "Front": f"Mechanism of {name}?",
        "Back": mechanism,
        "Extra": maybe(rng, f"Class: {klass}"),
        "Personal Notes": maybe(rng, f"AE: {adverse}", 0.3),
        "Lecture Notes": maybe(rng, sentence(rng), 0.3),
        "Missed Questions": maybe(rng, sentence(rng), 0.2),
    }, tags(rng, "#AK::Pharm", "#AK::Cards")


def geography(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    country, capital, region = rng.choice(COUNTRIES)
    return {
        "Country": country,
        "Country info": maybe(rng, sentence(rng), 0.4),
        "Capital": maybe(rng, capital, 0.9),
        "Capital info": maybe(rng, sentence(rng), 0.2),
        "Flag": maybe(rng, f'<img src="ug-flag-{country.lower()}.svg">', 0.8),
        "Map": maybe(rng, f'<img src="ug-map-{country.lower()}.png">', 0.7),
        "Region": region,
    }, ["UG::" + region.replace(" ", "_")]


def code(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    snippet = (
        f"<pre><code>def {rng.choice(WORDS)}(x):<br>    return x &lt; {rng.randint(0, 99)}"
        "</code></pre>"
    )
    return {
        "Question": "What does this return for x = 3?",
        "Code": snippet,
        "Answer": rng.choice(["True", "False"]),
        "Explanation": maybe(rng, sentence(rng), 0.5),
    }, ["python"]


def vocab_special(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    word, meaning = rng.choice(GERMAN)
    return {
        "Word": word,
        "Meaning": meaning,
        "Image": maybe(rng, f'<img src="v{i}.jpg">', 0.5),
        "Gender": maybe(rng, rng.choice(["m", "f", "n"]), 0.6),
    }, tags(rng, "german", "vocab", "level::b1")


def math(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    a, b = rng.randint(2, 9), rng.randint(2, 9)
    return {
        "Front": rf"Solve \(x^{a} = {b**a}\)" if rng.random() < 0.5 else f"[$]x^{a}[/$]",
        "Back": rf"\[x = {b}\]",
        "Proof": maybe(rng, rf"Take the {a}th root: \(\sqrt[{a}]{{{b**a}}}\)", 0.4),
    }, ["math"]


def history(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    year, event = rng.choice(EVENTS)
    return {"Year": year, "Event": event, "Context": maybe(rng, sentence(rng), 0.5)}, ["history"]


def minimal_pairs(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    first, second = rng.sample(WORDS, 2)
    return {
        "Word 1": first,
        "Audio 1": f"[sound:{first}.mp3]",
        "Word 2": second,
        "Audio 2": f"[sound:{second}.mp3]",
        "Compare": maybe(rng, "y", 0.5),
    }, ["pronunciation"]


def type_cloze(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    return {"Text": clozes(rng, rng.randint(1, 2), hints=False), "Extra": ""}, ["spelling"]


def poem(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    lines = [f"{{{{c{n}::{sentence(rng, 3, 6)}}}}}" for n in range(1, rng.randint(3, 9))]
    return {"Text": "<br>".join(lines), "Title": f"Poem {i}", "Author": "Anonymous"}, ["poetry"]


def scripted(rng: random.Random, i: int) -> tuple[Fields, list[str]]:
    return {
        "Front": sentence(rng),
        "Back": decorate(rng, sentence(rng)),
        "Source": maybe(rng, f"https://example.org/{i}", 0.4),
    }, []
