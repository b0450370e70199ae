"""Properties of what people type into the filing forms: any amount text is either read as
the number it means or refused with a French message (never a crash, never a negative
expense); any file is either recognised by its first bytes or refused."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.aids.forms_intake import AmountField, french_number
from guichet.aids.services.documents import ACCEPTED, upload_problem

amounts = st.decimals(
    min_value=Decimal("-99999999.99"),
    max_value=Decimal("99999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(amounts)
def test_an_amount_written_the_french_way_reads_back_as_itself(value):
    text = french_number(value)
    grouped = text.replace("-", "")
    whole, _, cents = grouped.partition(",")
    spaced = f"{int(whole):,}".replace(",", "\u202f") + ("," + cents if cents else "") + " €"
    sign = "-" if value < 0 else ""
    assert AmountField(label="Montant").clean(text) == value
    assert AmountField(label="Montant").clean(sign + spaced) == value


@settings(max_examples=300)
@given(
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(["NaN", "sNaN", "-Infinity", "1e999", "1e-5", "12,5,3", "١٢"]),
    )
)
def test_any_text_is_a_number_or_a_french_refusal(text):
    field = AmountField(label="Montant", required=False)
    messages = []
    value = None
    try:
        value = field.clean(text)
    except ValidationError as error:
        messages = error.messages
    if messages:
        assert messages[0][:1].isupper()
        assert any(w in messages[0] for w in ("Saisissez", "chiffres", "grand", "caract"))
    else:
        assert value is None or isinstance(value, Decimal)


@given(
    st.binary(max_size=64),
    st.text(alphabet="abcdéèçXYZ0123456789 ._-", min_size=1, max_size=30).filter(
        lambda n: n.strip(" .")
    ),
)
def test_a_file_is_accepted_only_when_its_bytes_say_pdf_png_or_jpeg(content, name):
    upload = SimpleUploadedFile(name, content)
    problem = upload_problem(upload)
    recognised = any(content.startswith(kind.signature) for kind in ACCEPTED)
    if recognised:
        assert problem is None
    else:
        assert problem is not None
        assert problem.startswith("Le fichier « ")
