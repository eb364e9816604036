"""Synthetic people of the centre's populations, with planted duplicates (seeded).

Used by the matcher's acceptance test (``ostoja/people/tests/test_matching.py``, 500+ people)
and by ``bench/people.py`` (100,000 people, PERFORMANCE.md B6). The populations are those a
Polish anti-trafficking centre meets: Polish, Ukrainian and Russian (written in Cyrillic,
often with a passport spelling beside it), Vietnamese (with diacritics), Romanian, Bulgarian
(Cyrillic) and Colombian/Spanish. Surnames are built from stems and suffixes, so a large
population has a realistic long tail of surnames as well as real namesakes.

A planted duplicate is the same person written down again by someone else: in the other
script or another romanisation (typed by hand: *Aleksander* for Олександр, *Szczerbakowa*),
without diacritics (or, with ``Generator(wider=True)``, Vietnamese with some of them), in
another order (Vietnamese given name first, middle name dropped), with one or two typos,
and with the date of birth missing, estimated or mistyped (day and month swapped, or the day
moved by ten — modulo 28, so often to an unrelated day; with ``wider``, also a digit of the
day or month changed, or the day's digits transposed).

A planted namesake (``Generator.evaluation``) is *another* person with the same name —
written the same way, or in another script or romanisation — and a date of birth of their
own: wholly different, the same day and month in another year, missing, or an estimated
age. The matcher must not call them "probably the same person".

The spellings here are written independently of ``ostoja.lib.names`` (hand-listed given-name
variants and this module's own "typed" transliteration), so the test does not test the
matcher against itself. The date typos are partly the kinds the matcher counts as a typo (a
swap, a digit, a transposition) and partly not (the day moved by ten, modulo 28).
"""

import datetime as dt
import random
from dataclasses import dataclass, replace

from unidecode import unidecode

# Cyrillic given names with spellings people type (passport, Polish, English, German-ish).
UA_GIVEN_F = {
    "Олена": ["Olena", "Olena", "Elena", "Helena"],
    "Юлія": ["Yuliia", "Julia", "Yulia", "Julija"],
    "Оксана": ["Oksana", "Oxana"],
    "Наталія": ["Nataliia", "Natalia", "Natalija", "Natalya"],
    "Ірина": ["Iryna", "Irina", "Iryna"],
    "Тетяна": ["Tetiana", "Tatiana", "Tetyana", "Tatjana"],
    "Світлана": ["Svitlana", "Swietlana", "Svetlana"],
    "Катерина": ["Kateryna", "Katarzyna", "Katerina", "Ekaterina"],
    "Ганна": ["Hanna", "Anna", "Ganna"],
    "Марія": ["Mariia", "Maria", "Marija"],
    "Людмила": ["Liudmyla", "Ludmila", "Lyudmila"],
    "Вікторія": ["Viktoriia", "Wiktoria", "Victoria"],
    "Анастасія": ["Anastasiia", "Anastazja", "Anastasia"],
    "Євгенія": ["Yevheniia", "Eugenia", "Jewhenija", "Evgenia"],
    "Христина": ["Khrystyna", "Krystyna", "Christina", "Hrystyna"],
    "Ольга": ["Olha", "Olga", "Olga"],
}  # fmt: skip
UA_GIVEN_M = {
    "Олександр": ["Oleksandr", "Aleksander", "Alexander", "Oleksander"],
    "Сергій": ["Serhii", "Sergiusz", "Sergey", "Serhiy"],
    "Андрій": ["Andrii", "Andrzej", "Andriy", "Andrey"],
    "Михайло": ["Mykhailo", "Michał", "Mychajło", "Mikhail"],
    "Володимир": ["Volodymyr", "Włodzimierz", "Wolodymyr", "Vladimir"],
    "Дмитро": ["Dmytro", "Dmitrij", "Dmitro", "Dmitry"],
    "Юрій": ["Yurii", "Jurij", "Yuriy", "Jerzy"],
    "Віталій": ["Vitalii", "Witalij", "Vitaliy"],
    "Ігор": ["Ihor", "Igor", "Ihor"],
    "Євген": ["Yevhen", "Eugeniusz", "Jewhen", "Evgen"],
    "Олег": ["Oleh", "Oleg", "Oleh"],
    "Тарас": ["Taras", "Taras"],
    "Богдан": ["Bohdan", "Bogdan"],
    "Микола": ["Mykola", "Mikołaj", "Nikolai", "Mykoła"],
    "Петро": ["Petro", "Piotr", "Petr"],
    "Григорій": ["Hryhorii", "Grzegorz", "Grigoriy", "Hryhoriy"],
}  # fmt: skip
RU_GIVEN_F = {
    "Елена": ["Elena", "Yelena", "Jelena"], "Юлия": ["Iuliia", "Yuliya", "Julia", "Julija"],
    "Наталья": ["Natalia", "Natalya", "Natalja"], "Ирина": ["Irina", "Iryna"],
    "Татьяна": ["Tatiana", "Tatyana", "Tatjana"], "Светлана": ["Svetlana", "Swietłana"],
    "Екатерина": ["Ekaterina", "Yekaterina", "Jekaterina"], "Мария": ["Mariia", "Maria"],
    "Ксения": ["Kseniia", "Ksenia", "Xenia"], "Дарья": ["Daria", "Darya", "Daria"],
}  # fmt: skip
RU_GIVEN_M = {
    "Александр": ["Aleksandr", "Alexander", "Aleksander"], "Сергей": ["Sergei", "Sergey"],
    "Дмитрий": ["Dmitrii", "Dmitry", "Dmitrij"], "Алексей": ["Aleksei", "Alexey", "Aleksiej"],
    "Евгений": ["Evgenii", "Yevgeniy", "Jewgienij"], "Михаил": ["Mikhail", "Michaił"],
    "Николай": ["Nikolai", "Nikolay", "Mikołaj"], "Иван": ["Ivan", "Iwan"],
    "Максим": ["Maksim", "Maxim", "Maksym"], "Юрий": ["Iurii", "Yuriy", "Jurij"],
}  # fmt: skip
UA_STEMS = [
    "Коваль", "Шевч", "Бондар", "Ткач", "Кравч", "Мельнич", "Олійн", "Лис", "Руд", "Марч",
    "Гонч", "Павл", "Петр", "Сидор", "Кузьм", "Вовч", "Зайч", "Соколь", "Мороз", "Жук",
    "Хмельн", "Щерб", "Чорн", "Білоус", "Дяч", "Юрч", "Кирил", "Ярош", "Федор", "Гриц",
    "Савч", "Костюч", "Левч", "Гуцал", "Приход", "Тимош", "Назар", "Остап", "Якимч", "Шаповал",
]  # fmt: skip
UA_SUFFIXES = ["енко", "ук", "чук", "ак", "ишин", "ович", "ко", "ин", "енко", "ук"]
RU_STEMS = [
    "Иван", "Смирн", "Кузнец", "Попов", "Васил", "Петр", "Соколов", "Михайл", "Новик",
    "Федор", "Морозов", "Волк", "Алексе", "Лебед", "Семен", "Егор", "Павл", "Козл", "Степан",
    "Никола", "Орл", "Андре", "Макар", "Захар", "Зайц", "Соловь", "Борис", "Яковл", "Григорь",
    "Роман", "Воробь", "Сергее", "Кузьмин", "Фролов", "Александр", "Дмитри", "Корол", "Гусев",
]  # fmt: skip
RU_SUFFIXES_M = ["ов", "ев", "ин", "ский"]
BG_GIVEN = {
    "Георги": ["Georgi", "Gieorgi"], "Иван": ["Ivan", "Iwan"], "Димитър": ["Dimitar"],
    "Мария": ["Maria", "Mariya"], "Йордан": ["Yordan", "Jordan"], "Цветелина": ["Tsvetelina"],
    "Христо": ["Hristo", "Khristo", "Christo"], "Стоян": ["Stoyan", "Stojan"],
    "Радостина": ["Radostina"], "Живко": ["Zhivko", "Živko", "Zivko"],
}  # fmt: skip
BG_STEMS = ["Петр", "Георги", "Димитр", "Стоян", "Христ", "Тодор", "Николо", "Ангел",
            "Илие", "Атанас", "Цвет", "Жел", "Костади", "Марин", "Русе", "Енч"]  # fmt: skip
PL_GIVEN_F = ["Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna",
              "Elżbieta", "Zofia", "Joanna", "Magdalena", "Monika", "Justyna", "Beata",
              "Aleksandra", "Dorota", "Grażyna", "Jadwiga", "Urszula", "Żaneta"]  # fmt: skip
PL_GIVEN_M = ["Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Marcin", "Michał",
              "Grzegorz", "Józef", "Marek", "Łukasz", "Jerzy", "Tadeusz", "Mateusz", "Dawid",
              "Wojciech", "Zbigniew", "Kazimierz", "Sławomir", "Przemysław"]  # fmt: skip
PL_STEMS = ["Kowal", "Nowak", "Wiśniew", "Wójcik", "Kamiń", "Lewandow", "Zieliń", "Szyman",
            "Woźniak", "Dąbrow", "Kozłow", "Jankow", "Mazur", "Kwiatkow", "Krawczyk",
            "Piotrow", "Grabow", "Nowakow", "Pawłow", "Michal", "Zając", "Król", "Wieczor",
            "Jabłoń", "Wróbl", "Majew", "Olszew", "Jaworsk", "Malinow", "Górski", "Rutkow",
            "Sikor", "Baran", "Duda", "Szczep", "Chmiel", "Przybył", "Żuraw", "Sobczak",
            "Brzeziń", "Rzepeck", "Szewczyk", "Ostrow", "Tomaszew", "Czarnec"]  # fmt: skip
PL_SUFFIXES = ["ski", "czyk", "ak", "ek", "icz", "ewicz", ""]
VN_SURNAMES = ["Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan",
               "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]  # fmt: skip
VN_MIDDLE_M = ["Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Công"]
VN_MIDDLE_F = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ"]
VN_GIVEN_M = ["Đạt", "Hùng", "Dũng", "Tuấn", "Nam", "Phong", "Long", "Khánh", "Thắng", "Sơn",
              "Trung", "Hải", "Quân", "Bảo", "Cường", "Tiến", "Hiếu", "Vinh"]  # fmt: skip
VN_GIVEN_F = ["Lan", "Hương", "Hoa", "Mai", "Linh", "Ngọc", "Trang", "Thảo", "Hằng", "Yến",
              "Phương", "Nhung", "Loan", "Thủy", "Hạnh", "Vy", "Quỳnh", "Anh"]  # fmt: skip
RO_GIVEN = ["Andrei", "Ionuț", "Mihai", "Ștefan", "Gheorghe", "Vasile", "Florin", "Cătălin",
            "Elena", "Ioana", "Mădălina", "Alexandra", "Andreea", "Cristina", "Mirela",
            "Raluca"]  # fmt: skip
RO_STEMS = ["Pop", "Ion", "Radu", "Dumitr", "Stan", "Stoic", "Gheorghi", "Munteanu", "Constantin",
            "Ciobanu", "Lungu", "Moldovan", "Țurcan", "Șerban", "Dinu", "Bălan", "Nistor",
            "Păun"]  # fmt: skip
RO_SUFFIXES = ["escu", "escu", "eanu", "", "a", "ache"]
ES_GIVEN = ["José", "Luis", "Carlos", "Juan", "Andrés", "Jesús", "Sebastián", "Camilo",
            "María", "Ángela", "Luz", "Daniela", "Valentina", "Sofía", "Mónica", "Lucía",
            "Jhon", "Yesenia"]  # fmt: skip
ES_SURNAMES = ["García", "Rodríguez", "Martínez", "López", "González", "Hernández", "Pérez",
               "Sánchez", "Ramírez", "Torres", "Díaz", "Vargas", "Gómez", "Jiménez", "Muñoz",
               "Rojas", "Castaño", "Ospina", "Londoño", "Quintero", "Cárdenas", "Zuluaga",
               "Betancur", "Echeverri", "Valencia", "Restrepo", "Arango", "Guzmán"]  # fmt: skip

# How a Polish counsellor types Cyrillic by ear: an independent, lossy scheme.
TYPED_POLISH = {
    "а": "a", "б": "b", "в": "w", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "je",
    "ж": "ż", "з": "z", "и": "y", "і": "i", "ї": "ji", "й": "j", "к": "k", "л": "ł",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz", "ь": "", "ю": "ju",
    "я": "ja", "ы": "y", "э": "e", "ё": "io", "ъ": "",
}  # fmt: skip
# As an English-speaking clerk would (BGN-like): y for й/и/ы, ya/yu, kh, ts.
TYPED_ENGLISH = TYPED_POLISH | {
    "в": "v", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "л": "l",
    "й": "y", "ю": "yu", "я": "ya", "є": "ye", "ї": "yi", "г": "g", "и": "i", "ь": "",
}  # fmt: skip
TO_CYRILLIC = {
    "shch": "щ", "szcz": "щ", "sh": "ш", "sz": "ш", "ch": "ч", "cz": "ч", "kh": "х",
    "zh": "ж", "ts": "ц", "ya": "я", "ja": "я", "yu": "ю", "ju": "ю", "a": "а", "b": "б",
    "c": "ц", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "і", "j": "й",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с",
    "t": "т", "u": "у", "v": "в", "w": "в", "y": "и", "z": "з", "x": "кс", "q": "к",
}  # fmt: skip


@dataclass(frozen=True)
class PersonSpec:
    """One record as a counsellor would enter it."""

    name: str
    name_latin: str = ""
    aliases: str = ""
    birth_date: dt.date | None = None
    estimated_age: int | None = None
    age_estimated_on: dt.date | None = None
    population: str = ""


@dataclass(frozen=True)
class Duplicate:
    """A planted duplicate: ``original`` is the index of the person it duplicates."""

    original: int
    spec: PersonSpec
    changes: tuple[str, ...]


@dataclass(frozen=True)
class Population:
    people: list[PersonSpec]
    duplicates: list[Duplicate]


@dataclass(frozen=True)
class Lookup:
    """A record typed at the duplicate check: ``original`` is the index of the registered
    person it is, or None for a namesake (someone else with the name of ``namesake_of``)."""

    spec: PersonSpec
    original: int | None
    changes: tuple[str, ...]
    namesake_of: int | None = None


@dataclass(frozen=True)
class Evaluation:
    """Registered people (planted namesakes among them) and the lookups to try: planted
    duplicates, and namesakes of registered people."""

    people: list[PersonSpec]
    lookups: list[Lookup]


def _typed(cyrillic: str, table: dict[str, str]) -> str:
    out = "".join(table.get(c.lower(), c.lower()) for c in cyrillic)
    return " ".join(w.capitalize() for w in out.split())


def _cyrillic(latin: str) -> str:
    word = unidecode(latin).lower()
    out, i = [], 0
    while i < len(word):
        for size in (4, 2, 1):
            if word[i : i + size] in TO_CYRILLIC:
                out.append(TO_CYRILLIC[word[i : i + size]])
                i += size
                break
        else:
            out.append(word[i])
            i += 1
    return " ".join(w.capitalize() for w in "".join(out).split())


class Generator:
    """``Generator(seed).population(n, duplicates=k)``: deterministic for a seed.

    ``wider=True`` adds the error kinds of 2026-11-30: Vietnamese typed with some of its
    diacritics, and date typos other than a swap or the day moved by ten. It is off by
    default so that the populations measured before (the acceptance test, B6) stay the
    same; ``evaluation`` sets are made with it."""

    TODAY = dt.date(2026, 6, 1)

    def __init__(self, seed: int = 1, *, wider: bool = False) -> None:
        self.rng = random.Random(seed)
        self.wider = wider

    # --- people --------------------------------------------------------------------------
    def _birth(self) -> dt.date:
        return self.TODAY - dt.timedelta(days=self.rng.randint(16 * 365, 60 * 365))

    def _cyrillic_person(self, population: str) -> tuple[str, str, str]:
        """(population, Cyrillic name, passport spelling)."""
        rng = self.rng
        female = rng.random() < 0.6
        if population == "ua":
            given = rng.choice(list(UA_GIVEN_F if female else UA_GIVEN_M))
            surname = rng.choice(UA_STEMS) + rng.choice(UA_SUFFIXES)
            if female and surname.endswith("ський"):
                surname = surname[:-5] + "ська"
        elif population == "ru":
            given = rng.choice(list(RU_GIVEN_F if female else RU_GIVEN_M))
            surname = rng.choice(RU_STEMS) + rng.choice(RU_SUFFIXES_M)
            if female:
                surname = surname[:-2] + "ая" if surname.endswith("ий") else surname + "а"
        else:
            given = rng.choice(list(BG_GIVEN))
            surname = rng.choice(BG_STEMS) + rng.choice(["ов", "ев", "ова", "ева"])
        name = f"{given} {surname}"
        return population, name, unidecode(name)

    def person(self) -> PersonSpec:
        rng = self.rng
        born = self._birth() if rng.random() < 0.85 else None
        estimate: dict[str, object] = {}
        if born is None:
            on = self.TODAY - dt.timedelta(days=rng.randint(0, 2000))
            estimate = {"estimated_age": rng.randint(16, 55), "age_estimated_on": on}
        roll = rng.random()
        name_latin = ""
        if roll < 0.30:
            population = "pl"
            female = rng.random() < 0.5
            given = rng.choice(PL_GIVEN_F if female else PL_GIVEN_M)
            surname = rng.choice(PL_STEMS) + rng.choice(PL_SUFFIXES)
            if female and surname.endswith("ski"):
                surname = surname[:-1] + "a"
            name = f"{given} {surname}"
        elif roll < 0.62:
            population, name, passport = self._cyrillic_person(
                rng.choice(["ua", "ua", "ua", "ru", "bg"])
            )
            name_latin = passport if rng.random() < 0.5 else ""
        elif roll < 0.80:
            population = "vn"
            female = rng.random() < 0.5
            name = " ".join(
                (
                    rng.choice(VN_SURNAMES),
                    rng.choice(VN_MIDDLE_F if female else VN_MIDDLE_M),
                    rng.choice(VN_GIVEN_F if female else VN_GIVEN_M),
                )
            )
        elif roll < 0.90:
            population = "ro"
            name = f"{rng.choice(RO_GIVEN)} {rng.choice(RO_STEMS)}{rng.choice(RO_SUFFIXES)}"
        else:
            population = "co"
            first, second = rng.sample(ES_SURNAMES, 2)
            name = f"{rng.choice(ES_GIVEN)} {first} {second}"
        return PersonSpec(
            name=name,
            name_latin=name_latin,
            birth_date=born,
            population=population,
            **estimate,  # type: ignore[arg-type]
        )

    # --- duplicates ----------------------------------------------------------------------
    def _typo(self, text: str) -> str:
        rng = self.rng
        letters = [i for i, c in enumerate(text) if c.isalpha()]
        i = rng.choice(letters[1:] or letters)
        kind = rng.choice(["sub", "del", "ins", "swap"])
        alphabet = "абвгдеиклмнопрстуя" if "\u0400" <= text[i] <= "\u04ff" else "aeiklmnorstuy"
        if kind == "sub":
            return text[:i] + rng.choice(alphabet) + text[i + 1 :]
        if kind == "del":
            return text[:i] + text[i + 1 :]
        if kind == "ins":
            return text[:i] + rng.choice(alphabet) + text[i:]
        if i + 1 < len(text) and text[i + 1].isalpha():
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        return text[:i] + text[i + 1 :]

    def _respell(self, spec: PersonSpec) -> tuple[str, str]:
        """The name as someone else writes it: other script or romanisation."""
        rng = self.rng
        name = spec.name
        if spec.population in ("ua", "ru", "bg"):
            given, surname = name.split(" ", 1)
            variants = {**UA_GIVEN_F, **UA_GIVEN_M, **RU_GIVEN_F, **RU_GIVEN_M, **BG_GIVEN}
            scheme = rng.choice([TYPED_POLISH, TYPED_ENGLISH, None])
            latin_given = rng.choice(variants[given])
            latin_surname = unidecode(surname) if scheme is None else _typed(surname, scheme)
            return f"{latin_given} {latin_surname}", "romanised"
        if spec.population in ("pl", "ro") and rng.random() < 0.5:
            return _cyrillic(name), "cyrillic"
        if self.wider and spec.population == "vn" and rng.random() < 0.3:
            words = name.split()
            keep = rng.randrange(len(words))  # one word keeps its diacritics
            typed = [w if n == keep else unidecode(w) for n, w in enumerate(words)]
            return " ".join(typed), "some_diacritics"
        return unidecode(name), "no_diacritics"

    def _date_typo(self, born: dt.date) -> dt.date:
        """A mistyped date of birth, in the same year."""
        rng = self.rng
        if not self.wider:
            if born.day <= 12 and born.day != born.month:
                return born.replace(month=born.day, day=born.month)
            return born.replace(day=max(1, (born.day + 10) % 28))
        options = []
        if born.day <= 12 and born.day != born.month:
            options.append((born.day, born.month))  # day and month swapped
        day = f"{born.day:02d}"
        options += [
            (born.month, int(day[1] + day[0])),  # the day's digits transposed
            (born.month, int(day[0] + str(rng.randrange(10)))),  # a digit of the day
            (int(f"{born.month:02d}"[0] + str(rng.randrange(10))), born.day),  # of the month
            (born.month, max(1, (born.day + 10) % 28)),  # as without ``wider``
        ]
        rng.shuffle(options)
        for month, day_of_month in options:
            try:
                typo = born.replace(month=month, day=day_of_month)
            except ValueError:
                continue
            if typo != born:
                return typo
        return born.replace(day=1 if born.day != 1 else 2)

    def duplicate(self, original: int, spec: PersonSpec) -> Duplicate:
        rng = self.rng
        changes: list[str] = []
        name = spec.name
        if rng.random() < 0.7:
            name, change = self._respell(spec)
            changes.append(change)
        words = name.split()
        if rng.random() < 0.4 and len(words) > 1:
            if spec.population == "vn" and len(words) == 3 and rng.random() < 0.5:
                words = [words[2], words[0]]  # given name first, middle name dropped
            else:
                words = words[1:] + words[:1]
            changes.append("order")
        name = " ".join(words)
        for _ in range(rng.choice([0, 1, 1, 2])):
            name = self._typo(name)
            changes.append("typo")
        born, estimate = spec.birth_date, {}
        roll = rng.random()
        if born is not None and roll < 0.2:
            born = None
            changes.append("no_date")
        elif born is not None and roll < 0.4:
            on = self.TODAY - dt.timedelta(days=rng.randint(0, 700))
            age = (on - born).days // 365 + rng.choice([-1, 0, 0, 1])
            born, estimate = None, {"estimated_age": age, "age_estimated_on": on}
            changes.append("estimated")
        elif born is not None and roll < 0.5:
            born = self._date_typo(born)
            changes.append("date_typo")
        if not changes:
            name = self._typo(name)
            changes.append("typo")
        dup = replace(
            spec,
            name=name,
            name_latin="",
            birth_date=born,
            estimated_age=estimate.get("estimated_age"),  # type: ignore[arg-type]
            age_estimated_on=estimate.get("age_estimated_on"),  # type: ignore[arg-type]
        )
        return Duplicate(original=original, spec=dup, changes=tuple(changes))

    def population(self, size: int, *, duplicates: int) -> Population:
        """``size`` distinct people and ``duplicates`` planted duplicates of some of them."""
        people = [self.person() for _ in range(size)]
        chosen = self.rng.sample(range(size), duplicates)
        return Population(people, [self.duplicate(i, people[i]) for i in chosen])

    # --- namesakes -----------------------------------------------------------------------
    NAMESAKE_DATES = ("other_date", "day_month", "other_date", "day_month", "no_date", "estimated")

    def namesake(self, spec: PersonSpec, kind: str) -> PersonSpec:
        """Another person with ``spec``'s name (as written, or in another script or
        romanisation) and a date of birth of their own, as ``kind`` says: ``other_date``
        (year, and day and month, all different), ``day_month`` (the same day and month in
        another year), ``no_date`` or ``estimated`` (an estimated age)."""
        rng = self.rng
        name = spec.name if rng.random() < 0.5 else self._respell(spec)[0]
        mine = spec.birth_date or self._birth()
        born: dt.date | None = None
        estimate: dict[str, object] = {}
        if kind == "day_month":
            while born is None:
                year = mine.year + rng.choice([-9, -7, -5, -3, -2, -1, 1, 2, 3, 5, 7, 9])
                try:
                    born = mine.replace(year=year)
                except ValueError:  # 29 February
                    continue
        elif kind == "other_date":
            born = self._birth()
            while born.year == mine.year or (born.month, born.day) == (mine.month, mine.day):
                born = self._birth()
        elif kind == "estimated":
            on = self.TODAY - dt.timedelta(days=rng.randint(0, 700))
            estimate = {"estimated_age": (on - self._birth()).days // 365, "age_estimated_on": on}
        return replace(
            spec,
            name=name,
            name_latin="",
            aliases="",
            birth_date=born,
            estimated_age=estimate.get("estimated_age"),  # type: ignore[arg-type]
            age_estimated_on=estimate.get("age_estimated_on"),  # type: ignore[arg-type]
        )

    def evaluation(self, size: int, *, duplicates: int, namesakes: int) -> Evaluation:
        """``population(size, duplicates=…)``, then ``namesakes`` namesakes of registered
        people, their dates as ``NAMESAKE_DATES`` in turn: half are registered too (half of
        those namesakes of people a lookup duplicates, so the lookup must tell the two
        apart), half are lookups of their own."""
        population = self.population(size, duplicates=duplicates)
        people = list(population.people)
        lookups = [Lookup(d.spec, d.original, d.changes) for d in population.duplicates]
        duplicated = [d.original for d in population.duplicates]
        for n in range(namesakes):
            kind = self.NAMESAKE_DATES[n % len(self.NAMESAKE_DATES)]
            of = self.rng.choice(duplicated) if n % 4 == 0 else self.rng.randrange(size)
            twin = self.namesake(people[of], kind)
            if n % 2 == 0:
                people.append(twin)
            else:
                lookups.append(Lookup(twin, None, (f"namesake_{kind}",), namesake_of=of))
        return Evaluation(people, lookups)


def birth_year(spec: PersonSpec) -> int | None:
    """The year of birth a counsellor would give: known, or from the estimated age."""
    if spec.birth_date is not None:
        return spec.birth_date.year
    if spec.estimated_age is not None and spec.age_estimated_on is not None:
        return spec.age_estimated_on.year - spec.estimated_age
    return None
