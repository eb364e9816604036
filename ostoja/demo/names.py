"""Invented names for the demo's clients, in each nation's own script with the Latin form a
passport prints, and what the demo needs to know of each nation (languages, how many need
an interpreter, the phone prefix, EU or not). Never real people."""

import random
import unicodedata
from dataclasses import dataclass

Pair = tuple[str, str]


def _pairs(text: str) -> list[Pair]:
    """``"Олександр/Oleksandr Андрій/Andrii"`` → the (name, Latin form) pairs."""
    return [(word.split("/")[0], word.split("/")[1]) for word in text.split()]


UA_M = _pairs(
    "Олександр/Oleksandr Андрій/Andrii Сергій/Serhii Василь/Vasyl Микола/Mykola "
    "Іван/Ivan Дмитро/Dmytro Юрій/Yurii Богдан/Bohdan Петро/Petro Тарас/Taras "
    "Віталій/Vitalii Роман/Roman Ігор/Ihor"
)
UA_F = _pairs(
    "Оксана/Oksana Наталія/Nataliia Ірина/Iryna Олена/Olena Тетяна/Tetiana "
    "Галина/Halyna Юлія/Yuliia"
)
UA_S = _pairs(
    "Коваленко/Kovalenko Бондаренко/Bondarenko Шевчук/Shevchuk Ткачук/Tkachuk "
    "Мельник/Melnyk Кравчук/Kravchuk Олійник/Oliinyk Лисенко/Lysenko Савчук/Savchuk "
    "Гнатюк/Hnatiuk Марченко/Marchenko Поліщук/Polishchuk Бойко/Boiko Руденко/Rudenko"
)
BY_M = _pairs("Аляксандр/Aliaksandr Сяргей/Siarhei Андрэй/Andrei Дзмітрый/Dzmitry Павел/Pavel")
BY_F = _pairs("Вольга/Volha Наталля/Natallia")
BY_S = _pairs(
    "Навумчык/Navumchyk Бабровіч/Babrovich Кузьміч/Kuzmich Лукашэвіч/Lukashevich Грыцук/Hrytsuk"
)
BG_M = _pairs("Георги/Georgi Димитър/Dimitar Стоян/Stoyan Николай/Nikolay Иван/Ivan")
BG_F = _pairs("Мария/Maria Десислава/Desislava Йорданка/Yordanka Петя/Petya")
BG_S = _pairs(  # the masculine form; the feminine adds -а / -a
    "Иванов/Ivanov Петров/Petrov Христов/Hristov Георгиев/Georgiev Стоянов/Stoyanov Колев/Kolev"
)
VN_S = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ"]
VN_M = ["Văn Hùng", "Văn Dũng", "Đức Tuấn", "Văn Long", "Minh Quang", "Văn Thắng", "Đức Nam"]
VN_F = ["Thị Lan", "Thị Hương", "Thị Mai", "Thị Thảo", "Ngọc Ánh"]
RO_M = ["Ion", "Gheorghe", "Constantin", "Marian", "Florin", "Vasile", "Ștefan", "Răzvan"]
RO_F = ["Maria", "Elena", "Ioana", "Andreea", "Mihaela"]
RO_S = ["Popescu", "Dumitru", "Stan", "Ionescu", "Radu", "Munteanu", "Bălan", "Tănase", "Lungu"]
CO_M = [
    "Juan Carlos",
    "Andrés Felipe",
    "Luis Fernando",
    "Jhon Alexander",
    "Diego Alejandro",
    "Carlos Andrés",
    "José David",
]
CO_F = ["María Fernanda", "Luisa Fernanda", "Yuliana"]
CO_S = ["Rodríguez", "Gómez", "Martínez", "López", "García", "Herrera", "Ramírez", "Torres"]
CO_S += ["Vargas", "Castro", "Moreno", "Ríos", "Ospina", "Cárdenas"]
PH_M = ["Mark Anthony", "Jerome", "Ronaldo", "Joel", "Rommel"]
PH_F = ["Maricel", "Rowena", "Jocelyn"]
PH_S = ["Reyes", "Dela Cruz", "Santos", "Bautista", "Mendoza", "Villanueva", "Aquino"]
PL_M = ["Marek", "Dariusz", "Grzegorz", "Sławomir", "Tadeusz", "Zbigniew", "Łukasz"]
PL_F = ["Agnieszka", "Magdalena", "Karolina", "Justyna", "Natalia", "Wiktoria"]
PL_S = _pairs(  # masculine/feminine
    "Jabłoński/Jabłońska Kaczmarek/Kaczmarek Wróbel/Wróbel Mazur/Mazur Pawlak/Pawlak "
    "Górski/Górska Sikora/Sikora Wilk/Wilk Baran/Baran Szymański/Szymańska"
)


def _fold(text: str) -> str:
    """Vietnamese as a passport prints it: Nguyễn Văn Đạt → Nguyen Van Dat."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def invented_name(rng: random.Random, nation: str, woman: bool) -> Pair:
    """An invented name and its Latin form ('' when the name is already in Latin letters)."""
    pick = rng.choice
    if nation in ("UA", "BY"):
        given = pick({"UA": (UA_M, UA_F), "BY": (BY_M, BY_F)}[nation][woman])
        family = pick(UA_S if nation == "UA" else BY_S)
        return f"{given[0]} {family[0]}", f"{given[1]} {family[1]}"
    if nation == "BG":
        given, family = pick(BG_F if woman else BG_M), pick(BG_S)
        end = ("а", "a") if woman else ("", "")
        return f"{given[0]} {family[0]}{end[0]}", f"{given[1]} {family[1]}{end[1]}"
    if nation == "VN":
        name = f"{pick(VN_S)} {pick(VN_F if woman else VN_M)}"
        return name, _fold(name)
    if nation == "PL":
        return f"{pick(PL_F if woman else PL_M)} {pick(PL_S)[woman]}", ""
    if nation == "CO":
        first, second = rng.sample(CO_S, 2)
        return f"{pick(CO_F if woman else CO_M)} {first} {second}", ""
    if nation == "RO":
        return f"{pick(RO_F if woman else RO_M)} {pick(RO_S)}", ""
    return f"{pick(PH_F if woman else PH_M)} {pick(PH_S)}", ""


@dataclass(frozen=True)
class Nation:
    languages: tuple[str, ...]
    interpreter: float  # share who need an interpreter
    phone: str
    eu: bool
    language_pl: str  # "tłumacz języka …"


NATIONS = {
    "UA": Nation(("ukr", "rus"), 0.4, "+380", False, "ukraińskiego"),
    "BY": Nation(("rus", "bel"), 0.3, "+375", False, "rosyjskiego"),
    "VN": Nation(("vie",), 1.0, "+84", False, "wietnamskiego"),
    "RO": Nation(("ron",), 1.0, "+40", True, "rumuńskiego"),
    "BG": Nation(("bul",), 1.0, "+359", True, "bułgarskiego"),
    "CO": Nation(("spa",), 1.0, "+57", False, "hiszpańskiego"),
    "PH": Nation(("eng", "tgl"), 0.0, "+63", False, "angielskiego"),
    "PL": Nation(("pol",), 0.0, "+48", True, ""),
}
