"""A deterministic generator of news-like corpora for the benchmarks.

    python -m bench.corpus --size 10k --out /tmp/corpus-10k [--seed 7]

Articles of 5–20 paragraphs about invented events: a Zipf-like mix of common English words
and a generated long tail, people with roles, places, organisations, numbers with the noun
they count ("339 children", "over 6,000 bodies"), dates, quotes with their speaker. About a
third of the files start with a `` date YYYY-MM-DD `` line, a quarter are Markdown with
headings and links, and some end with an ``Original url:`` footer. Same seed and size →
byte-identical files. Nothing is downloaded; the word lists below are the whole data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path


def _words(text: str, sep: str | None = None) -> list[str]:
    return [w.strip() for w in text.split(sep) if w.strip()]


SIZES = {"tiny": 50, "1k": 1_000, "10k": 10_000, "100k": 100_000}

# The most frequent English words, most frequent first (rank → Zipf weight 1/rank).
COMMON = _words("""the of and to a in that is was he for it with as his on be at by i this had not
are but from or have an they which one you were her all she there would their we him been
has when who will more no if out so said what up its about into than them can only other new
some could time these two may then do first any my now such like our over man me even most
made after also did many before must through back years where much your way well down should
because each just those people how too little state good very make world still own see men
work long get here between both life being under never day same another know while last might
us great old year off come since against go came right used take three states himself few
house use during without again place american around however home small found thought went
say part once general high upon school every does got united left number course war until
always away something fact though water less public put think almost hand enough far took
head yet government system better set told nothing night end why called did eyes find going
look asked later point knew city next program business give group toward young days let room
president side social given present several order national possible rather second face per
among form important often things looked early white case john become large big need four
within felt along children saw best church ever least power development light thing seemed
family interest want members mind country area others done turned although open god service
certain kind problem began different door thus help means sense whole matter perhaps itself
york times law human line above name example action company hands local show five history
whether gave either today act feet across taken past quite anything seen having death week
experience body word half really field am car words already themselves information tell
together college shall money period held keep sure probably free seems political real behind
cannot miss question air office making brought whose special heard major problems ago became
federal moment study available known result street economic boy position reason change south
board individual job areas society west close turn love community true court force full seem
am wife future age voice center woman control common policy necessary following front sometimes
six girl clear further land run students provide military talks officials forces agreement
ceasefire delegation negotiations prisoners exchange bodies soldiers ministry minister border
troops attack strikes drones missiles civilians killed wounded region security sanctions
envoy summit statement spokesman meeting round peace deal proposal document memorandum
humanitarian aid talks deported returned released captured hostages refugees villages
""")

# Syllables for the long tail of rare words (place-like and jargon-like tokens).
SYLLABLES = _words("ka ri to mel an dro vis ter pol ush en gar ni lo ve sta bri cor dun fel ham")

FIRST = _words("""Rustem Volodymyr Vladimir Sergei Maria Olena Andriy Dmitry Hakan Recep Marco
Antonio Keith Kaja Emmanuel Friedrich Ursula Yulia Oleksandr Kirill Anna Mikhail Ivan Petro Tetiana
Yuri Hanna Nikolai Svitlana Ahmet Elif Lindsey Steve Jake Natalia""")
LAST = _words("""Umerov Zelensky Medinsky Fidan Erdogan Rubio Kellogg Kallas Macron Merz Leyen
Svyrydenko Syrskyi Budanov Peskov Lavrov Kostiuk Sybiha Galuzin Fomin Yermak Shmyhal
Kuleba Podolyak Kovalenko Demir Yilmaz Graham Witkoff Sullivan Melnyk Bondarenko""")
ROLES = _words(
    """defence minister | foreign minister | presidential aide | spokesman | envoy |
head of the delegation | deputy foreign minister | chief of staff | senator | governor |
military intelligence chief | ombudsman""",
    "|",
)
PLACES = _words(
    """Istanbul Kyiv Moscow Ankara Washington Brussels Geneva Kharkiv Odesa Sumy Donetsk
Zaporizhzhia Kherson Belgorod Kursk Riyadh Doha Vienna Warsaw Berlin Paris London Minsk
Dnipro Lviv Mariupol Crimea Abu-Dhabi""".replace("-", " ")
)
ORGS = _words(
    """NATO | the United Nations | the European Union | the Red Cross | the Kremlin |
the State Department | the SBU | Gazprom | the IAEA | the OSCE | the World Bank |
the Security Council""",
    "|",
)
NOUNS = _words(
    """children | prisoners | bodies | soldiers | civilians | drones | missiles | people |
villages | tanks | refugees | hostages | aircraft | wounded soldiers | families | pages""",
    "|",
)
APPROX = ["", "", "", "over ", "about ", "at least ", "nearly ", "more than ", "some "]
MONTHS = _words("""January February March April May June July August September October November
December""")
VERBS = _words("""said announced stressed confirmed denied claimed told reporters noted added
warned insisted""")
OUTLETS = _words("""themoscowtimes.com kyivindependent.com pravda.com.ua ukrinform.net tass.com
reuters.com apnews.com bbc.com theguardian.com aljazeera.com euronews.com dw.com
meduza.io kyivpost.com aa.com.tr example-news.org dailyledger.net""")


class Writer:
    """One random stream; every choice goes through it so output is reproducible."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        tail = [
            "".join(self.r.choice(SYLLABLES) for _ in range(self.r.randint(2, 4)))
            for _ in range(3000)
        ]
        self.words = COMMON + tail
        self.weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words))]
        self.cum: list[float] = []
        total = 0.0
        for w in self.weights:
            total += w
            self.cum.append(total)

    # --- atoms ---------------------------------------------------------------------

    def person(self) -> str:
        return f"{self.r.choice(FIRST)} {self.r.choice(LAST)}"

    def number(self) -> str:
        r = self.r.random()
        if r < 0.15:
            return self.r.choice(["two", "three", "five", "ten", "dozens of", "hundreds of"])
        if r < 0.6:
            return str(self.r.randint(2, 999))
        n = self.r.randint(1, 60) * self.r.choice([100, 1000])
        return f"{n:,}"

    def date(self) -> str:
        d = dt.date(2025, 1, 1) + dt.timedelta(days=self.r.randint(0, 364))
        if self.r.random() < 0.5:
            return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
        return f"{d.strftime('%A')}, {MONTHS[d.month - 1]} {d.day}"

    def filler(self, n: int) -> str:
        words = self.r.choices(self.words, cum_weights=self.cum, k=n)
        return " ".join(words)

    # --- sentences -------------------------------------------------------------------

    def sentence(self) -> str:
        r = self.r.random()
        if r < 0.22:
            s = (
                f"{self.r.choice(APPROX)}{self.number()} {self.r.choice(NOUNS)} "
                f"{self.filler(self.r.randint(4, 10))} in {self.r.choice(PLACES)}"
            )
        elif r < 0.36:
            s = f"On {self.date()}, {self.filler(self.r.randint(5, 12))}"
        elif r < 0.5:
            s = (
                f"{self.person()}, the {self.r.choice(ROLES)}, {self.r.choice(VERBS)} "
                f"that {self.filler(self.r.randint(5, 12))}"
            )
        elif r < 0.6:
            s = f"According to {self.r.choice(ORGS)}, {self.filler(self.r.randint(6, 14))}"
        elif r < 0.7:
            quote = self.filler(self.r.randint(6, 14))
            quote = quote[:1].upper() + quote[1:]
            if self.r.random() < 0.5:
                return f'"{quote}," {self.person()} said.'
            return f'{self.person()} said: "{quote}."'
        else:
            s = self.filler(self.r.randint(8, 20))
        return s[:1].upper() + s[1:] + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.r.randint(1, 4)))

    # --- articles --------------------------------------------------------------------

    def article(self, n: int, paragraphs: int) -> tuple[str, str]:
        """(file name, text) of article ``n`` with ``paragraphs`` paragraphs of text."""
        place = self.r.choice(PLACES)
        title = f"{self.person()} says {self.number()} {self.r.choice(NOUNS)} in {place}"
        day = dt.date(2025, 1, 1) + dt.timedelta(days=self.r.randint(0, 364))
        host = self.r.choice(OUTLETS)
        url = f"https://www.{host}/news/{day.isoformat()}/{n:06d}-{place.lower()}"
        body = [self.paragraph() for _ in range(paragraphs)]
        markdown = self.r.random() < 0.25
        if markdown:
            lines = [f"# {title}", ""]
            for i, p in enumerate(body):
                if i and i % 5 == 0:
                    lines += [f"## {self.filler(3).capitalize()}", ""]
                if self.r.random() < 0.15:
                    p += f" [{self.filler(2)}](https://{host}/related/{self.r.randint(1, 9999)})"
                lines += [p, ""]
        else:
            lines = [title, ""]
            for p in body:
                lines += [p, ""]
            if self.r.random() < 0.1:
                lines[2:2] = ["Advertisement", ""]
        if self.r.random() < 0.35:
            lines[0] = f" date {day.isoformat()} {lines[0].lstrip('# ')}"
        if self.r.random() < 0.4:
            lines += [f"Original url: {url}"]
        ext = "md" if markdown else "txt"
        return f"{n // 1000:03d}/{n:06d}_{host.split('.')[0]}.{ext}", "\n".join(lines) + "\n"


def generate(out: Path, passages: int, seed: int = 7) -> dict[str, int]:
    """Write articles until about ``passages`` paragraphs exist. Replaces ``out``."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    w = Writer(seed)
    written = files = 0
    while written < passages:
        n = min(w.r.randint(5, 20), max(passages - written, 5))
        name, text = w.article(files, n)
        path = out / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += n
        files += 1
    return {"files": files, "paragraphs": written}


def parse_size(size: str) -> int:
    if size in SIZES:
        return SIZES[size]
    return int(size.lower().replace("k", "000"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", default="1k", help="tiny, 1k, 10k, 100k or a number")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    print(generate(args.out, parse_size(args.size), args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
