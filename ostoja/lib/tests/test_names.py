"""Folding, romanisation variants and phonetic skeletons (``ostoja.lib.names``)."""

import pytest

from ostoja.lib.names import (
    canonical,
    clear_caches,
    deletions,
    fold,
    has_other_script,
    name_words,
    romanisations,
    skeleton,
    skeletons,
    tokens,
)


def skeleton_set(name: str) -> set[str]:
    """The main skeletons of a name's words (order ignored)."""
    return {key for word in name_words(name) for key in word.keys}


def test_it_folds_any_script_to_ascii_words() -> None:
    assert fold("Nguyễn Văn Đạt") == "nguyen van dat"
    assert fold("Łukasz Żółć-Wiśniewski") == "lukasz zolc wisniewski"
    assert fold("Хмельницька") == "khmelnitska"  # the soft sign's apostrophe vanishes
    assert fold("O'Brien, Seán") == "obrien sean"
    assert tokens("Ştefan  Ţurcanu") == ["stefan", "turcanu"]


def test_it_gives_several_romanisations_of_cyrillic() -> None:
    assert romanisations("Юлия Щербакова") == (
        "iuliia shcherbakova",
        "yuliya shcherbakova",
        "julija szczerbakowa",
    )
    # Ukrainian letters pick the Ukrainian national scheme (г → h, и → y).
    assert "yevheniya khmelnytska" in romanisations("Євгенія Хмельницька")
    assert romanisations("Anna Nowak") == ("anna nowak",)


@pytest.mark.parametrize(
    "spellings",
    [
        ["Олександр", "Oleksandr", "Aleksander", "Александр", "Alexander"],
        ["Щербакова", "Shcherbakova", "Szczerbakowa"],
        ["Юлия", "Yuliya", "Julia", "Iuliia", "Юлія"],
        ["Хмельницька", "Khmelnytska", "Chmielnicka", "Hmelnitska"],
        ["Ковальчик", "Kowalczyk", "Kovalchyk"],
        ["Михайло", "Mykhailo", "Mychajło"],
        ["Ольга", "Olha", "Olga"],
        ["Nguyễn", "Nguyen"],
        ["Grzegorz", "Гжегож"],
        ["Mitchell", "митцхелл"],
    ],
)
def test_it_gives_one_skeleton_across_schemes(spellings: list[str]) -> None:
    keys = [skeleton_set(s) for s in spellings]
    assert all(k == keys[0] for k in keys), dict(zip(spellings, keys, strict=True))


def test_it_ignores_word_order_and_diacritics() -> None:
    assert skeleton_set("Nguyễn Văn Đạt") == skeleton_set("Nguyen Van Dat")
    assert skeleton_set("Dat Nguyen") <= skeleton_set("Nguyễn Văn Đạt")
    assert skeleton_set("Юлия Щербакова") == skeleton_set("Julia Szczerbakowa")
    assert skeleton_set("Yuliya Shcherbakova") == skeleton_set("Szczerbakowa Julia")


def test_it_keeps_different_names_apart() -> None:
    assert skeleton("kowalski") != skeleton("nowak")
    assert skeleton("maria") != skeleton("marek")
    assert skeleton_set("Anna Nowak") != skeleton_set("Anna Kowalska")


def test_rz_may_be_one_sound_or_two() -> None:
    assert skeletons("grzegorz") == ("KSKS", "KRSKRS")
    assert skeleton("herzog") == "KSK"  # the main skeleton reads rz as ż


def test_the_canonical_form_keeps_vowels_but_not_spellings() -> None:
    assert canonical("iuliia") == canonical("yuliya") == canonical("julia") == "iLi"
    assert canonical("oleksandr") == "oLeKSaNTR"


def test_a_typo_leaves_a_shared_deletion() -> None:
    one, other = skeleton("kowalski"), skeleton("kowarski")  # substitution
    assert one != other
    assert deletions(one) & deletions(other)
    assert skeleton("kowlski") == skeleton("kowalski")  # a vowel typo changes nothing


def test_it_aligns_words_of_every_romanisation() -> None:
    words = name_words("Юлия Щербакова")
    assert len(words) == 2
    assert words[0].spellings == ("iuliia", "yuliya", "julija")
    assert words[1].keys == ("SRPKF",)
    assert name_words("") == ()


def test_it_tells_other_scripts() -> None:
    assert has_other_script("Юлия")
    assert has_other_script("Σοφία")
    assert not has_other_script("Nguyễn Thị Phương")
    assert not has_other_script("Żaneta Wróbel")


def test_words_are_prepared_per_part_but_the_language_per_name() -> None:
    # Гнат alone reads as Russian (г → g); in a name with a Ukrainian letter (Їжак) it is
    # romanised the Ukrainian way, and the cached parts do not leak between the two.
    clear_caches()
    assert name_words("Гнат")[0].spellings == ("gnat",)  # Russian: г → g
    assert name_words("Гнат Їжак")[0].spellings == ("gnat", "hnat")  # Ukrainian: г → h
    assert name_words("Гнат")[0].spellings == ("gnat",)
    assert [w.spellings[0] for w in name_words("Jean-Luc O'Brien", limit=2)] == ["jean", "luc"]
    assert len(name_words("a b c d e f g h")) == 6
