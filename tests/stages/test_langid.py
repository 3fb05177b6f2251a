"""Language detection: deterministic, per paragraph, with a fallback for short text."""

from __future__ import annotations

import pytest

from pipeline.stages.langid import UNDETERMINED, LanguageDetector


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Layanan komputasi awan itu mengalami gangguan selama sekitar empat belas jam sehingga aplikasi mati.",
            "id",
        ),
        ("The cloud provider said a configuration change caused the outage, which lasted about four hours.", "en"),
        ("Gangguan layanan AWS", "id"),
        ("Server mati total", "id"),
        ("AWS is down", "en"),
        ("Der Ausfall dauerte mehrere Stunden und betraf viele Nutzer in ganz Europa, sagte das Unternehmen.", "de"),
        ("12345 67890", UNDETERMINED),
        ("", UNDETERMINED),
    ],
)
def test_langid_detects_document_language(detector: LanguageDetector, text: str, language: str) -> None:
    assert detector.detect(text).language == language


def test_langid_is_deterministic(detector: LanguageDetector) -> None:
    text = "Insiden ini berdampak pada layanan bank dan aplikasi daring di seluruh Indonesia."
    assert len({detector.detect(text) for _ in range(5)}) == 1


def test_langid_paragraphs_have_offsets_and_languages(detector: LanguageDetector) -> None:
    text = (
        "Layanan perbankan daring lumpuh sejak pagi hari dan pengguna tidak bisa bertransaksi.\n"
        '"We are deeply sorry for the impact this event had on our customers," the company said.\n'
    )
    paragraphs = detector.detect_paragraphs(text)
    assert [p["language"] for p in paragraphs] == ["id", "en"]
    for paragraph in paragraphs:
        assert text[paragraph["start"] : paragraph["end"]].strip()
        assert "\n" not in text[paragraph["start"] : paragraph["end"]]


def test_langid_short_text_uses_function_word_fallback(detector: LanguageDetector) -> None:
    guess = detector.detect("Layanan mati")
    assert guess.language == "id" and guess.fallback


MIXED = (
    "Layanan komputasi awan Amazon mengalami gangguan besar pada Senin sehingga banyak aplikasi mati.\n"
    "Perusahaan menyebut masalah bermula dari entri DNS yang kosong di wilayah Virginia Utara.\n"
    '"We are working to resolve the issue as quickly as possible," the company said.\n'
    "Gangguan itu berlangsung sekitar empat belas jam dan berdampak pada bank serta gim daring."
)


def test_langid_document_language_is_the_language_of_most_paragraph_letters(detector: LanguageDetector) -> None:
    paragraphs = detector.detect_paragraphs(MIXED)
    assert [p["language"] for p in paragraphs] == ["id", "id", "en", "id"]
    guess = detector.detect_document(MIXED, paragraphs)
    assert guess.language == "id" and not guess.fallback
    assert 0.6 < guess.confidence < 0.9  # an English quarter of the letters lowers it
    assert detector.detect_document(MIXED, paragraphs) == guess


def test_langid_document_language_falls_back_to_the_whole_text_when_paragraphs_are_short(
    detector: LanguageDetector,
) -> None:
    text = "AWS down\nServer mati total\nGangguan layanan AWS"
    paragraphs = detector.detect_paragraphs(text)
    assert detector.detect_document(text, paragraphs) == detector.detect(text)
    assert detector.detect_document("", []) == detector.detect("")


_PROSE = {
    "en": "The company said the outage began on Monday and that a fault in the network was the cause of it.",
    "id": "Perusahaan itu mengatakan bahwa gangguan tersebut terjadi pada hari Senin dan berasal dari jaringan.",
    "de": "Der Ausfall des Rechenzentrums hat am Montag viele Dienste lahmgelegt, weil ein Fehler auftrat.",
    "nl": "De storing bij het datacenter heeft maandag veel diensten platgelegd omdat er een fout in het netwerk zat.",
    "fr": "La panne du centre de données a paralysé de nombreux services lundi en raison d'une erreur du réseau.",
    "tl": "Ang pagkawala ng serbisyo ay nagdulot ng malaking problema sa mga gumagamit ng internet noong Lunes.",
    "es": "La caída del centro de datos paralizó muchos servicios el lunes por un error en la configuración de la red.",
}


@pytest.mark.parametrize("language", sorted(_PROSE))
def test_langid_function_word_shortcut_fires_only_on_supported_prose_and_agrees_with_statistics(
    detector: LanguageDetector, language: str
) -> None:
    text = _PROSE[language]
    decisive = detector._decisive(text.lower().replace(",", " ").replace(".", " ").split())
    statistical = detector._statistical(text)
    assert statistical is not None and statistical.language == language
    if language in detector.languages:
        assert decisive is not None and decisive.language == language and not decisive.fallback
    else:
        assert decisive is None
    assert detector.detect(text).language == language


def test_langid_mixed_paragraph_goes_to_statistics(detector: LanguageDetector) -> None:
    text = "the outage was caused by a fault in the network yang terjadi pada hari senin di dalam jaringan"
    assert detector._decisive(text.split()) is None
