import tomllib

import pytest

from preflight.checks.portal.vocabulary import (
    ROLE_NAMES,
    load_vocabulary,
    normalize,
    packaged_vocabulary_text,
    split_identifier,
    url_tokens,
)
from preflight.errors import ConfigError

VOCAB = load_vocabulary()


def roles_in(text):
    return [(hit.term, hit.label) for hit in VOCAB.roles.hits(normalize(text)) if hit.weight > 0]


def test_normalize_drops_case_accents_punctuation_and_marks_sentence_ends():
    assert normalize("Contraseña — Pre-Certification") == "contrasena pre certification"
    assert normalize("Are you a Provider? Log in here.") == "are you a provider . log in here ."
    assert normalize("Heading\nParagraph") == "heading . paragraph"
    assert normalize("UniProvider.com") == "uniprovider com"


def test_name_and_id_attributes_split_into_words():
    assert split_identifier("txtUserID") == "txt user id"
    assert split_identifier("session[username_or_email]") == "session username or email"
    assert split_identifier("j_password") == "j password"


def test_terms_match_whole_words_with_an_optional_plural():
    assert roles_in("Providers") == [("provider", "provider")]
    assert roles_in("proveedores") == [("proveedor", "provider")]
    assert roles_in("improvident") == []


def test_longest_phrase_uses_its_words_once():
    # Given a member phrase that contains the word "provider"
    # Then it counts once, for members
    assert roles_in("Find a provider near you") == [("find a provider", "member")]
    assert roles_in("verify member eligibility") == [("member eligibility", "provider")]


def test_neutral_phrases_use_up_role_words():
    assert roles_in("Sign in with your identity provider") == []
    assert roles_in("Member FDIC") == []


def test_wildcards_stand_for_one_to_three_words():
    assert roles_in("Find an in-network eye doctor") == [("find * eye doctor", "member")]
    assert roles_in("See your dental benefits") == [("your * benefits", "member")]
    assert roles_in("find doctor") == []


def test_a_phrase_saying_whose_plan_it_is_beats_a_wildcard_of_another_role():
    # "your * plan" (members) would swallow the words that say the plan is the company's
    assert roles_in("Review your company's dental plan") == [("your company s", "employer")]
    assert roles_in("Change your group's coverage") == [("your group", "employer")]
    # A wildcard of the same role still wins over its shorter literal
    assert roles_in("Check your pharmacy benefit") == [("your * benefit", "member")]


def test_phrases_do_not_span_sentences():
    assert roles_in("Choose a plan. Member FDIC") == []


def test_url_tokens_keep_host_labels_and_path_segments():
    tokens = url_tokens("https://provider.acme-health.com/hcp/Sign-In/index.html?x=1")
    assert ("provider", True) in tokens and ("acme", True) in tokens and ("health", True) in tokens
    assert ("hcp", False) in tokens and ("signin", False) in tokens
    assert not any(token in ("com", "index", "html") for token, _ in tokens)
    assert {label for *_, label, _ in VOCAB.role_urls.hits(url_tokens("https://my.example.com/providerportal/"))} \
        == {"member", "provider"}


def test_english_and_spanish_words_are_there():
    assert VOCAB.intent("login", "Iniciar sesión") and VOCAB.intent("login", "Log in")
    assert VOCAB.intent("signup", "Regístrese") and VOCAB.intent("signup", "Create an account")
    assert VOCAB.fields["password"].label_match(normalize("Contraseña"))
    for role in ROLE_NAMES:
        assert any(hit.label == role for hit in VOCAB.roles.hits(normalize(
            "portal de proveedores miembros empleadores corredores provider member employer broker")))


def test_every_weight_is_documented_in_the_file():
    # Tiers are explained in the header; zone and decision weights on their own line.
    text = packaged_vocabulary_text()
    data = tomllib.loads(text)
    commented: dict[str, set[str]] = {}
    section = ""
    for line in text.splitlines():
        if line.startswith("["):
            section = line.strip("[] ")
        elif "=" in line and "#" in line.split("=", 1)[1]:
            commented.setdefault(section, set()).add(line.split("=", 1)[0].strip())
    for section in ("zones", "decision"):
        assert set(data[section]) <= commented[section], f"undocumented {section} weights"
    assert all(f"#   {tier}" in text for tier in data["tiers"]), "every tier is explained in the header"


def test_an_override_file_extends_lists_and_replaces_numbers(tmp_path):
    # Given a payer's own words in an override file
    extra = tmp_path / "words.toml"
    extra.write_text('[role.provider]\nstrong = ["portal de prestadores"]\n[decision]\nmin_score = 9.5\n')
    # When the vocabulary is loaded with it
    vocab = load_vocabulary(extra)
    # Then the new words count, the packaged ones still do, and the number is replaced
    assert [h.term for h in vocab.roles.hits(normalize("Portal de Prestadores"))] == ["portal de prestadores"]
    assert [h.term for h in vocab.roles.hits(normalize("provider portal"))] == ["provider portal"]
    assert vocab.decision["min_score"] == 9.5
    assert str(extra) in vocab.source


@pytest.mark.parametrize("content, key", [
    ('[role.dentist]\nstrong = ["x"]\n', "role.dentist"),
    ('[tiers]\nstrong = "high"\n', "tiers.strong"),
    ('[intent]\nlogin = "sign in"\n', "intent.login"),
    ('[role.member]\nstrong = ["find *"]\n', "role.member.strong"),
    ("[role.member\n", "invalid TOML"),
    ('[senses.agency]\nphrases = ["dog walking agency"]\n', "senses.agency.phrases"),
    ('[senses.agency]\nmeaning = ["x"]\n', "senses.agency.meaning"),
])
def test_a_bad_override_names_the_file_and_key(tmp_path, content, key):
    bad = tmp_path / "bad.toml"
    bad.write_text(content)
    with pytest.raises(ConfigError, match=key) as caught:
        load_vocabulary(bad)
    assert str(bad) in str(caught.value)


def test_a_missing_override_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_vocabulary(tmp_path / "missing.toml")


def health_url_labels(url):
    return [(token, label) for token, _pattern, label, is_host in VOCAB.health_urls.hits(url_tokens(url)) if is_host]


def test_a_host_label_holding_a_health_word_anywhere_names_health_care():
    assert ("wattlebayhealthfund", "health") in health_url_labels("https://members.wattlebayhealthfund.example/")
    assert ("myhealthplan", "health") in health_url_labels("https://www.myhealthplan.example/")
    assert ("ostfriesenkasse", "health") in health_url_labels("https://kliniken.ostfriesenkasse.example/")
    # "commonwealth" and "stealth" hold "wealth" and "ealth", not "health"; "occidental" holds
    # "dental" and is used up; a savings bank is a "-kasse" too, and the longer word wins
    assert health_url_labels("https://advisors.commonwealthprivate.example/") == []
    assert health_url_labels("https://app.stealthmail.example/") == []
    assert ("occidentaltrust", "neutral") in health_url_labels("https://online.occidentaltrust.example/")
    assert ("sparkasse", "not_health") in health_url_labels("https://banking.sparkasse.example/")
    # "-kasse" only as an ending: a till software's "kassenprofi" is not a health fund
    assert health_url_labels("https://app.kassenprofi.example/") == []
